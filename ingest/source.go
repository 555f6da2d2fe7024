package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Pos is where a row sits in the file as the supplier sees it.
type Pos struct {
	Row int // 1-based: the Excel row, or the CSV line the record starts on
}

// rowSource is all a file format provides: cell text plus the position the
// supplier sees. csv.go and xlsx.go implement it; io.EOF ends the stream.
// The cells slice may be reused by the next call; the strings may be kept.
type rowSource interface {
	Next() (cells []string, at Pos, err error)
	Close() error
}

// workbook is an opened file: one or more sheets of rows. Formats without
// sheets have a single sheet named "".
type workbook interface {
	Sheets() []string
	Rows(sheet string) (rowSource, error)
	Close() error
}

// format is one entry of the format table. A file is told apart by content,
// never by its extension: the first format whose magic prefixes the file
// wins, and the entry without magic takes the rest.
type format struct {
	name  string
	magic string
	// open reads the file from in; path is the file name when there is
	// one, so that a format needing random access can reopen it.
	open func(in *bufio.Reader, path string) (workbook, error)
}

var formats = [...]format{
	{name: "xlsx", magic: "PK\x03\x04", open: openXLSX},
	{name: "csv", open: openCSV},
}

// Legacy formats we recognise only to say what to do with them.
var knownUnsupported = []struct{ magic, hint string }{
	{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Excel .xls; save it as .xlsx"},
	{"%PDF", "PDF"},
	{"PK\x05\x06", "empty zip archive"},
}

const sniffSize = 64 << 10

// openBook sniffs in and opens it with the matching format.
func openBook(in io.Reader, path string) (workbook, error) {
	br := bufio.NewReaderSize(in, sniffSize)
	head, err := br.Peek(8)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	if len(head) == 0 {
		return nil, ErrEmptyFile
	}
	for _, u := range knownUnsupported {
		if bytes.HasPrefix(head, []byte(u.magic)) {
			return nil, fmt.Errorf("%s: %w", u.hint, ErrUnknownFormat)
		}
	}
	for _, f := range formats {
		if bytes.HasPrefix(head, []byte(f.magic)) {
			return f.open(br, path)
		}
	}
	return nil, ErrUnknownFormat // unreachable: the last format has no magic
}
