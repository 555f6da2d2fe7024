package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// readSharedStrings reads the shared string table. The strings are slices
// of one allocation, built without a final copy.
func readSharedStrings(r io.Reader, maxCount int) ([]string, error) {
	x := newXMLScanner(r)
	var (
		all  strings.Builder
		item []byte
		ends []uint32 // parts are capped far below 4 GiB
	)
	for {
		k, err := x.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if k == tokEnd || !x.is("si") {
			continue
		}
		if len(ends) == maxCount {
			return nil, fmt.Errorf("more than %d shared strings", maxCount)
		}
		if k == tokStart {
			if item, err = x.richText(item[:0]); err != nil {
				return nil, err
			}
			if !utf8.Valid(item) {
				return nil, errBadUTF8
			}
			if uint64(all.Len())+uint64(len(item)) > math.MaxUint32 {
				return nil, errTextTooLong
			}
			all.Write(item)
		}
		ends = append(ends, uint32(all.Len()))
	}
	text := all.String()
	sst := make([]string, len(ends))
	start := uint32(0)
	for i, end := range ends {
		sst[i] = text[start:end]
		start = end
	}
	return sst, nil
}

// sheetScanner streams the rows of a worksheet.
type sheetScanner struct {
	x   *xmlScanner
	sst []string

	xmlRow int // row number of the last <row>, as its r says or counted
	row    int // row number last returned
	done   bool

	cells []string
	text  []byte     // the row's decoded text other than shared strings
	spans []textSpan // cells whose value lies in text
}

type textSpan struct{ cell, start, end int }

func newSheetScanner(r io.Reader, sst []string) *sheetScanner {
	return &sheetScanner{x: newXMLScanner(r), sst: sst}
}

// Next returns the cells of the next <row>, trailing empty cells dropped,
// and its number. Rows absent from the XML are not returned; the row
// number still counts them, as Excel shows it.
func (s *sheetScanner) Next() ([]string, int, error) {
	if s.done {
		return nil, 0, io.EOF
	}
	x := s.x
	for {
		k, err := x.next()
		if errors.Is(err, io.EOF) {
			s.done = true
			return nil, 0, io.EOF
		}
		if err != nil {
			return nil, 0, err
		}
		switch {
		case k == tokEnd && x.is("sheetData"):
			s.done = true
			return nil, 0, io.EOF
		case k != tokEnd && x.is("row"):
			if err := s.rowNumber(); err != nil {
				return nil, 0, err
			}
			s.cells, s.text, s.spans = s.cells[:0], s.text[:0], s.spans[:0]
			if k == tokStart {
				if err := s.readRow(); err != nil {
					return nil, 0, err
				}
			}
			return s.cells, s.row, nil
		}
	}
}

// rowNumber sets the row number from the <row> just read. A row without r
// follows the previous one; one whose r goes backwards gets the next
// number, so that numbers always increase.
func (s *sheetScanner) rowNumber() error {
	s.xmlRow++
	if v, ok := s.x.getAttr("r"); ok {
		n, err := strconv.Atoi(string(bytes.TrimSpace(v)))
		if err != nil || n < 1 {
			return errRowRef
		}
		s.xmlRow = n
	}
	s.row = max(s.row+1, s.xmlRow)
	if s.row > xlsxMaxRows {
		return errRowRef
	}
	return nil
}

// readRow reads the cells of the row whose start tag was just read.
func (s *sheetScanner) readRow() error {
	x := s.x
	col := 0
	for {
		k, err := x.next()
		if err != nil {
			return eofIsEarly(err)
		}
		switch {
		case k == tokEnd:
			if len(s.spans) > 0 {
				if !utf8.Valid(s.text) {
					return errBadUTF8
				}
				all := string(s.text)
				for _, sp := range s.spans {
					s.cells[sp.cell] = all[sp.start:sp.end]
				}
			}
			return nil
		case x.is("c"):
			col++
			if col, err = s.readCell(k, col); err != nil {
				return err
			}
		case k == tokStart:
			if err := x.skip(); err != nil {
				return err
			}
		}
	}
}

// Cell types, from the t attribute.
const (
	cellNumber = iota // n, d, e, b, str: the value as written
	cellShared        // s: an index into the shared strings
	cellInline        // inlineStr: the text of <is>
)

// readCell reads the <c> just read, which is at column col unless its r
// says otherwise, and returns its column.
func (s *sheetScanner) readCell(k tokKind, col int) (int, error) {
	typ, col, err := s.cellAttrs(col)
	if err != nil {
		return 0, err
	}
	if k == tokEmpty {
		return col, nil
	}
	c, err := s.cellContent()
	if err != nil {
		return 0, err
	}
	// The value as excelize gives it with RawCellValue, which the reader
	// has always used: shared and inline strings resolved, everything else
	// (numbers, date serials, booleans as 0/1, errors) as written.
	var val string
	start, end := 0, 0 // of the value in s.text, when it is there
	switch {
	case typ == cellShared && c.v >= 0 && c.vEnd > c.v:
		i, err := strconv.Atoi(string(bytes.TrimSpace(s.text[c.v:c.vEnd])))
		if err != nil || i < 0 || i >= len(s.sst) {
			return 0, errSharedIndex
		}
		val = s.sst[i]
		s.text = s.text[:c.v]
	case typ == cellInline && c.is >= 0:
		start, end = c.is, c.isEnd
	case c.v >= 0:
		start, end = c.v, c.vEnd
	}
	if start == end && val == "" && !c.formula {
		return col, nil // excelize leaves out empty cells
	}
	return col, s.addCell(col, val, start, end)
}

// cellAttrs reads the type and, when r gives one, the column of the <c>
// just read.
func (s *sheetScanner) cellAttrs(col int) (typ, column int, err error) {
	x := s.x
	typ = cellNumber
	for a := x.attrs; ; {
		key, val, rest, ok := nextAttr(a)
		if !ok {
			break
		}
		a = rest
		if len(key) != 1 || key[0] != 'r' && key[0] != 't' {
			continue
		}
		if val, ok = x.attrValue(val); !ok {
			return 0, 0, errXMLEntity
		}
		if key[0] == 't' {
			switch string(val) {
			case "s":
				typ = cellShared
			case "inlineStr":
				typ = cellInline
			}
		} else if col, ok = cellColumn(val); !ok {
			return 0, 0, errCellRef
		}
	}
	if col > xlsxMaxCols {
		return 0, 0, errTooManyCols
	}
	return typ, col, nil
}

// cellText is where the texts of a cell's <v> and <is> lie in s.text; -1
// when the cell has none.
type cellText struct {
	formula   bool
	v, vEnd   int
	is, isEnd int
}

// cellContent reads the children of a <c> up to its end tag.
func (s *sheetScanner) cellContent() (cellText, error) {
	x := s.x
	c := cellText{v: -1, is: -1}
	for {
		k, err := x.next()
		if err != nil {
			return c, eofIsEarly(err)
		}
		if k == tokEnd {
			return c, nil
		}
		switch {
		case x.is("f"):
			c.formula = true
			if k == tokStart {
				err = x.skip()
			}
		case x.is("v"):
			c.v, c.vEnd = len(s.text), len(s.text)
			if k == tokStart {
				s.text, err = x.elementText(s.text)
				c.vEnd = len(s.text)
			}
		case x.is("is"):
			c.is, c.isEnd = len(s.text), len(s.text)
			if k == tokStart {
				s.text, err = x.richText(s.text)
				c.isEnd = len(s.text)
			}
		case k == tokStart:
			err = x.skip()
		}
		if err != nil {
			return c, err
		}
		if len(s.text) > xlsxMaxRowBytes {
			return c, errTextTooLong
		}
	}
}

// addCell appends a cell at column col: val, or the text s.text[start:end]
// once the row is complete. A cell at or left of the last one is appended,
// as excelize does.
func (s *sheetScanner) addCell(col int, val string, start, end int) error {
	for len(s.cells) < col-1 {
		s.cells = append(s.cells, "")
	}
	if len(s.cells) >= xlsxMaxCols {
		return errTooManyCols
	}
	if start < end {
		s.spans = append(s.spans, textSpan{cell: len(s.cells), start: start, end: end})
	}
	s.cells = append(s.cells, val)
	return nil
}

// cellColumn returns the 1-based column of a cell reference such as "AB12".
func cellColumn(ref []byte) (int, bool) {
	col, i := 0, 0
	for ; i < len(ref); i++ {
		c := ref[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a') + 1
		if col > xlsxMaxCols {
			return 0, false
		}
	}
	if i == 0 || i == len(ref) {
		return 0, false
	}
	for _, c := range ref[i:] {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	return col, true
}
