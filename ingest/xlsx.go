package ingest

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Caps against zip bombs: the whole unpacked workbook, and the part of a
// worksheet excelize keeps in memory (larger sheets stream from a temp file).
const (
	xlsxUnzipLimit    = 1 << 30
	xlsxUnzipXMLLimit = 16 << 20
)

// Cells are read raw: a date cell yields its Excel serial, which ParseDate
// understands, instead of a locale-formatted string such as "7-15-23".
var xlsxOptions = excelize.Options{
	RawCellValue:      true,
	UnzipSizeLimit:    xlsxUnzipLimit,
	UnzipXMLSizeLimit: xlsxUnzipXMLLimit,
}

type xlsxBook struct{ f *excelize.File }

func openXLSX(br *bufio.Reader, path string) (wb workbook, err error) {
	defer func() {
		// excelize trusts the XML it is given; a crafted file must not
		// take the run down.
		if p := recover(); p != nil {
			wb, err = nil, fmt.Errorf("corrupt workbook: %w", ErrUnreadable)
		}
	}()
	var f *excelize.File
	if path != "" {
		f, err = excelize.OpenFile(path, xlsxOptions)
	} else {
		f, err = excelize.OpenReader(br, xlsxOptions)
	}
	if err != nil {
		// Not wrapped: an XML syntax error can quote cell content.
		return nil, fmt.Errorf("corrupt workbook: %w", ErrUnreadable)
	}
	if len(f.GetSheetList()) == 0 {
		f.Close()
		return nil, fmt.Errorf("workbook without sheets: %w", ErrUnreadable)
	}
	return &xlsxBook{f: f}, nil
}

func (b *xlsxBook) Sheets() []string { return b.f.GetSheetList() }

func (b *xlsxBook) Rows(sheet string) (rs rowSource, err error) {
	defer func() {
		if p := recover(); p != nil {
			rs, err = nil, fmt.Errorf("corrupt sheet %q: %w", sheet, ErrUnreadable)
		}
	}()
	rows, err := b.f.Rows(sheet)
	if err != nil {
		var missing excelize.ErrSheetNotExist
		if errors.As(err, &missing) {
			return nil, fmt.Errorf("no sheet %q: %w", sheet, ErrNoHeader)
		}
		return nil, fmt.Errorf("sheet %q: %w", sheet, ErrUnreadable)
	}
	return &xlsxSource{rows: rows}, nil
}

func (b *xlsxBook) Close() error { return b.f.Close() }

// xlsxSource streams one worksheet. excelize's Rows.Next advances one row
// number at a time, including rows absent from the XML, so counting calls
// gives the row number Excel shows.
type xlsxSource struct {
	rows *excelize.Rows
	row  int
}

func (s *xlsxSource) Next() (cells []string, at Pos, err error) {
	defer func() {
		if p := recover(); p != nil {
			cells, err = nil, fmt.Errorf("row %d: corrupt sheet: %w", s.row, ErrUnreadable)
		}
	}()
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return nil, Pos{}, fmt.Errorf("after row %d: %w: %w", s.row, err, ErrUnreadable)
		}
		return nil, Pos{}, io.EOF
	}
	s.row++
	cells, err = s.rows.Columns(xlsxOptions)
	if err != nil {
		return nil, Pos{}, fmt.Errorf("row %d: corrupt cell: %w", s.row, ErrUnreadable)
	}
	return cells, Pos{Row: s.row}, nil
}

func (s *xlsxSource) Close() error { return s.rows.Close() }
