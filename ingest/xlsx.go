package ingest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
)

// Caps against zip bombs: the whole unpacked workbook, the small parts
// decoded whole (workbook and relationships), and the shared strings, which
// are held in memory. Worksheets stream.
const (
	xlsxUnzipLimit    = 1 << 30
	xlsxUnzipXMLLimit = 16 << 20
	xlsxSharedLimit   = 256 << 20
	xlsxMaxShared     = 1 << 24
)

// Relationship types, matched by suffix: strict OOXML uses another base.
const (
	relOfficeDocument = "/officeDocument"
	relWorksheet      = "/worksheet"
	relSharedStrings  = "/sharedStrings"
)

// xlsxBook reads a workbook straight from the zip: excelize decoded every
// cell through encoding/xml reflection, some 380 allocations a row.
type xlsxBook struct {
	zr     *zip.Reader
	file   *os.File // when opened by path
	parts  map[string]*zip.File
	sheets []xlsxSheet
	sstAt  string // part of the shared strings; "" when there are none
	sst    []string
	sstErr error
	sstOK  bool
}

type xlsxSheet struct{ name, part string }

func openXLSX(br *bufio.Reader, name string) (wb workbook, err error) {
	b := &xlsxBook{}
	var (
		ra   io.ReaderAt
		size int64
	)
	if name != "" {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrUnreadable, err) // *PathError names the file only
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%w: %w", ErrUnreadable, err)
		}
		b.file, ra, size = f, f, st.Size()
	} else {
		data, err := io.ReadAll(io.LimitReader(br, xlsxUnzipLimit+1))
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrUnreadable, err)
		}
		if len(data) > xlsxUnzipLimit {
			return nil, fmt.Errorf("workbook larger than 1 GiB: %w", ErrUnreadable)
		}
		ra, size = bytes.NewReader(data), int64(len(data))
	}
	if err := b.open(ra, size); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

func (b *xlsxBook) open(ra io.ReaderAt, size int64) error {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		// Not wrapped: the detail adds nothing a supplier can act on.
		return fmt.Errorf("corrupt workbook: %w", ErrUnreadable)
	}
	b.zr = zr
	b.parts = make(map[string]*zip.File, len(zr.File))
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		key := partKey(f.Name)
		if _, dup := b.parts[key]; !dup {
			b.parts[key] = f
		}
	}
	if total > xlsxUnzipLimit {
		return fmt.Errorf("workbook unpacks to more than 1 GiB: %w", ErrUnreadable)
	}

	wbPart := "xl/workbook.xml"
	var root xlsxRels
	if err := b.decode("_rels/.rels", &root); err == nil {
		if t := root.target(relOfficeDocument); t != "" {
			wbPart = resolvePart("", t)
		}
	}
	var wbx struct {
		Sheets []struct {
			Attrs []xml.Attr `xml:",any,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := b.decode(wbPart, &wbx); err != nil {
		return fmt.Errorf("workbook: %w: %w", err, ErrUnreadable)
	}
	var rels xlsxRels
	relsPart := path.Join(path.Dir(wbPart), "_rels", path.Base(wbPart)+".rels")
	if err := b.decode(relsPart, &rels); err != nil {
		return fmt.Errorf("workbook relationships: %w: %w", err, ErrUnreadable)
	}
	dir := path.Dir(wbPart)
	for _, s := range wbx.Sheets {
		var name, id string
		for _, a := range s.Attrs {
			switch {
			case a.Name.Local == "name" && a.Name.Space == "":
				name = a.Value
			case a.Name.Local == "id" && a.Name.Space != "":
				id = a.Value
			}
		}
		// Chart sheets and dialog sheets have no rows; they are not listed.
		if t, typ := rels.byID(id); strings.HasSuffix(typ, relWorksheet) {
			b.sheets = append(b.sheets, xlsxSheet{name: name, part: resolvePart(dir, t)})
		}
	}
	if len(b.sheets) == 0 {
		return fmt.Errorf("workbook without sheets: %w", ErrUnreadable)
	}
	if t := rels.target(relSharedStrings); t != "" {
		b.sstAt = resolvePart(dir, t)
	}
	return nil
}

// partKey is how parts are looked up: OPC part names are case-insensitive
// and some writers put a leading slash or backslashes in zip names.
func partKey(name string) string {
	return strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(name, `\`, "/"), "/"))
}

// resolvePart resolves a relationship target against the directory of the
// part that holds the relationship.
func resolvePart(dir, target string) string {
	target = strings.ReplaceAll(target, `\`, "/")
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Join(dir, target), "/")
}

type xlsxRels struct {
	Rel []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
		Mode   string `xml:"TargetMode,attr"`
	} `xml:"Relationship"`
}

func (r *xlsxRels) target(typ string) string {
	for _, x := range r.Rel {
		if strings.HasSuffix(x.Type, typ) && x.Mode != "External" {
			return x.Target
		}
	}
	return ""
}

func (r *xlsxRels) byID(id string) (target, typ string) {
	for _, x := range r.Rel {
		if x.ID == id && x.Mode != "External" {
			return x.Target, x.Type
		}
	}
	return "", ""
}

var errNoPart = errors.New("part missing")

// openPart opens a part for streaming, refusing one larger than limit.
func (b *xlsxBook) openPart(name string, limit uint64) (io.ReadCloser, error) {
	f := b.parts[partKey(name)]
	if f == nil {
		return nil, errNoPart
	}
	if f.UncompressedSize64 > limit {
		return nil, fmt.Errorf("part of %d bytes unpacked", f.UncompressedSize64)
	}
	// archive/zip fails a read past the declared size, so the cap holds.
	return f.Open()
}

// decode unmarshals a small part. Its errors may quote the XML, which in
// these parts holds sheet names and paths only.
func (b *xlsxBook) decode(name string, v any) error {
	rc, err := b.openPart(name, xlsxUnzipXMLLimit)
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := xml.NewDecoder(rc).Decode(v); err != nil {
		return errXMLSyntax
	}
	return nil
}

// sharedStrings loads the shared string table once.
func (b *xlsxBook) sharedStrings() ([]string, error) {
	if b.sstOK {
		return b.sst, b.sstErr
	}
	b.sstOK = true
	if b.sstAt == "" {
		return nil, nil
	}
	rc, err := b.openPart(b.sstAt, xlsxSharedLimit)
	if errors.Is(err, errNoPart) {
		return nil, nil // a cell that uses one fails instead
	}
	if err != nil {
		b.sstErr = fmt.Errorf("shared strings: %w: %w", err, ErrUnreadable)
		return nil, b.sstErr
	}
	defer rc.Close()
	b.sst, err = readSharedStrings(rc, xlsxMaxShared)
	if err != nil {
		b.sst, b.sstErr = nil, fmt.Errorf("shared strings: %w: %w", err, ErrUnreadable)
	}
	return b.sst, b.sstErr
}

func (b *xlsxBook) Sheets() []string {
	names := make([]string, len(b.sheets))
	for i, s := range b.sheets {
		names[i] = s.name
	}
	return names
}

// Rows streams a sheet. Names match case-insensitively, as in Excel.
func (b *xlsxBook) Rows(sheet string) (rowSource, error) {
	i := 0
	for i < len(b.sheets) && !strings.EqualFold(b.sheets[i].name, sheet) {
		i++
	}
	if i == len(b.sheets) {
		return nil, fmt.Errorf("no sheet %q: %w", sheet, ErrNoHeader)
	}
	sst, err := b.sharedStrings()
	if err != nil {
		return nil, err
	}
	rc, err := b.openPart(b.sheets[i].part, xlsxUnzipLimit)
	if err != nil {
		return nil, fmt.Errorf("sheet %q: %w: %w", sheet, err, ErrUnreadable)
	}
	return &xlsxSource{sc: newSheetScanner(rc, sst), rc: rc}, nil
}

func (b *xlsxBook) Close() error {
	if b.file != nil {
		return b.file.Close()
	}
	return nil
}

// xlsxSource streams one worksheet.
type xlsxSource struct {
	sc  *sheetScanner
	rc  io.ReadCloser
	err error
}

func (s *xlsxSource) Next() (cells []string, at Pos, err error) {
	if s.err != nil {
		return nil, Pos{}, s.err
	}
	defer func() {
		// The scanner is fuzzed, but a crafted file must never take the
		// run down.
		if p := recover(); p != nil {
			s.err = fmt.Errorf("after row %d: corrupt sheet: %w", s.sc.row, ErrUnreadable)
			cells, at, err = nil, Pos{}, s.err
		}
	}()
	last := s.sc.row
	cells, row, err := s.sc.Next()
	switch {
	case errors.Is(err, io.EOF):
		return nil, Pos{}, io.EOF
	case err != nil:
		// Scanner errors name the problem, never the text.
		s.err = fmt.Errorf("after row %d: %w: %w", last, err, ErrUnreadable)
		return nil, Pos{}, s.err
	}
	return cells, Pos{Row: row}, nil
}

func (s *xlsxSource) Close() error { return s.rc.Close() }
