package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// maxRecordBytes caps one CSV record (after decoding). encoding/csv has no
// limit of its own, so a runaway quote or a 10 MB cell would otherwise be
// held in memory whole.
const maxRecordBytes = 1 << 20

var errRecordTooLong = errors.New("record longer than 1 MiB")

// csvSource streams records from delimited text.
type csvSource struct {
	r    *csv.Reader
	lim  *recordLimit
	utf8 bool // true when sniffed as UTF-8: invalid cells fall back to Windows-1252
	last int  // line of the last record read, for errors
	used bool // Rows was called
}

// openCSV decides the encoding and the delimiter from the first 64 KiB and
// sets up a streaming reader.
func openCSV(br *bufio.Reader, _ string) (workbook, error) {
	head, err := br.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	var text io.Reader = br
	isUTF8 := true
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		br.Discard(3)
	case bytes.HasPrefix(head, []byte("\xff\xfe")), bytes.HasPrefix(head, []byte("\xfe\xff")):
		// UTF-16 from "Unicode text" exports; the BOM gives the byte order.
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		text = transform.NewReader(br, dec)
	case binary(head):
		return nil, fmt.Errorf("binary content, not text: %w", ErrUnreadable)
	case !utf8.Valid(completeRunes(head, len(head) == sniffSize)):
		text = transform.NewReader(br, charmap.Windows1252.NewDecoder())
		isUTF8 = false
	}
	tr := bufio.NewReaderSize(text, sniffSize)
	decoded, err := tr.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	if len(decoded) == 0 {
		return nil, ErrEmptyFile
	}
	lim := &recordLimit{r: tr}
	r := csv.NewReader(lim)
	r.Comma = sniffDelimiter(decoded)
	r.FieldsPerRecord = -1 // title rows and short rows are handled above csv
	r.LazyQuotes = true
	r.ReuseRecord = true
	return &csvSource{r: r, lim: lim, utf8: isUTF8}, nil
}

func (s *csvSource) Sheets() []string { return []string{""} }

func (s *csvSource) Rows(sheet string) (rowSource, error) {
	if sheet != "" || s.used {
		return nil, fmt.Errorf("no sheet %q in a CSV file: %w", sheet, ErrNoHeader)
	}
	s.used = true
	return s, nil
}

func (s *csvSource) Next() ([]string, Pos, error) {
	rec, err := s.r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, Pos{}, io.EOF
		}
		if errors.Is(err, errRecordTooLong) {
			return nil, Pos{}, fmt.Errorf("after line %d: %w: %w", s.last, errRecordTooLong, ErrUnreadable)
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			// ParseError names the line and the problem, never the text.
			return nil, Pos{}, fmt.Errorf("line %d: %w: %w", pe.Line, pe.Err, ErrUnreadable)
		}
		return nil, Pos{}, fmt.Errorf("after line %d: %w: %w", s.last, err, ErrUnreadable)
	}
	s.lim.n = 0
	s.last, _ = s.r.FieldPos(0)
	if s.utf8 {
		for i, c := range rec {
			if !utf8.ValidString(c) {
				// A mostly UTF-8 file with a stray Windows-1252 cell.
				rec[i], _ = charmap.Windows1252.NewDecoder().String(c)
			}
		}
	}
	return rec, Pos{Row: s.last}, nil
}

func (s *csvSource) Close() error { return nil }

// recordLimit fails the read once a record has consumed maxRecordBytes.
// csvSource resets n after every record; encoding/csv reads ahead at most
// one bufio buffer (4 KiB), so the cap is exact to within that.
type recordLimit struct {
	r io.Reader
	n int
}

func (l *recordLimit) Read(p []byte) (int, error) {
	if l.n >= maxRecordBytes {
		return 0, errRecordTooLong
	}
	if rest := maxRecordBytes - l.n; len(p) > rest {
		p = p[:rest]
	}
	n, err := l.r.Read(p)
	l.n += n
	return n, err
}

// binary reports whether head looks like binary data: a NUL byte, or more
// than 1 in 20 control characters other than tab, CR, LF and form feed.
func binary(head []byte) bool {
	ctl := 0
	for _, c := range head {
		switch {
		case c == 0:
			return true
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f':
			ctl++
		}
	}
	return ctl*20 > len(head)
}

// completeRunes drops a UTF-8 sequence cut off at the end of a sniffed
// prefix, so that a full buffer is not mistaken for invalid UTF-8.
func completeRunes(b []byte, truncated bool) []byte {
	if !truncated {
		return b
	}
	for i := 1; i <= utf8.UTFMax && i <= len(b); i++ {
		if utf8.RuneStart(b[len(b)-i]) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			break
		}
	}
	return b
}

// sniffDelimiter picks ';', ',' or tab: the one that splits the most of
// the first lines into the same number of fields, outside quotes. Title
// lines without delimiters do not count against a candidate.
func sniffDelimiter(head []byte) rune {
	const maxLines = 20
	best, bestScore, bestFields := ';', -1, 0
	for _, d := range []byte{';', ',', '\t'} {
		var counts []int
		n, inQuote := 0, false
		for _, c := range head {
			switch {
			case c == '"':
				inQuote = !inQuote
			case inQuote:
			case c == d:
				n++
			case c == '\n':
				counts = append(counts, n)
				n = 0
			}
			if len(counts) == maxLines {
				break
			}
		}
		if n > 0 {
			counts = append(counts, n)
		}
		// The most frequent non-zero count and how many lines have it.
		mode, freq := 0, 0
		for _, c := range counts {
			if c == 0 {
				continue
			}
			f := 0
			for _, o := range counts {
				if o == c {
					f++
				}
			}
			if f > freq || f == freq && c > mode {
				mode, freq = c, f
			}
		}
		if freq > bestScore || freq == bestScore && mode > bestFields {
			best, bestScore, bestFields = rune(d), freq, mode
		}
	}
	return best
}
