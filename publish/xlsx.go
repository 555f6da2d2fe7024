package publish

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/ivz-twente/jeugd/aggregate"
)

// Fixed sheets of a municipality workbook. Legenda comes first so that it is
// what opens; then Samenvatting, then the tables of each indicator.
const (
	sheetLegenda      = "Legenda"
	sheetSamenvatting = "Samenvatting"
	maxSheetName      = 31 // Excel's limit
	// MaxSheetColumns is the widest a sheet gets: a table with more periods
	// than fit is written in long form (one row per area and period).
	MaxSheetColumns = 60
)

// writeXLSX writes the municipality workbook for gm's cells: per indicator
// one sheet per period type with the areas down and the periods across,
// and one sheet with its breakdowns (uitsplitsingen) per class.
func writeXLSX(w io.Writer, gm, naam string, cells []aggregate.Cell, opts GemeenteOptions) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	tables := buildTables(cells, gm, opts.Indicators)
	names := sheetNames(tables)

	if err := f.SetSheetName(f.GetSheetName(0), sheetLegenda); err != nil {
		return err
	}
	if err := writeLegenda(f, st, gm, naam, tables, names, opts); err != nil {
		return err
	}
	if _, err := f.NewSheet(sheetSamenvatting); err != nil {
		return err
	}
	if err := writeSamenvatting(f, st, gm, naam, headlines(cells, gm, opts), opts); err != nil {
		return err
	}
	for i, t := range tables {
		if _, err := f.NewSheet(names[i]); err != nil {
			return err
		}
		if err := writeTable(f, st, names[i], t); err != nil {
			return fmt.Errorf("sheet %s: %w", names[i], err)
		}
	}
	// Legenda, the renamed first sheet, is already active. SetActiveSheet
	// would parse every streamed sheet back into memory.
	buf, err := f.WriteToBuffer()
	if err != nil {
		return err
	}
	return sortZip(w, buf.Bytes())
}

// sortZip copies the zip in b to w with its entries in a fixed order.
// excelize writes streamed sheets in map order, so without this the same
// cells give a different file each run. The entries are copied compressed.
func sortZip(w io.Writer, b []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return err
	}
	files := slices.Clone(zr.File)
	// Descending, the order excelize uses for the parts it does not stream.
	slices.SortFunc(files, func(a, b *zip.File) int { return strings.Compare(b.Name, a.Name) })
	zw := zip.NewWriter(w)
	for _, f := range files {
		if err := zw.Copy(f); err != nil {
			return err
		}
	}
	return zw.Close()
}

// marker is what a withheld cell shows. Small cells and their complements
// share it on purpose: telling them apart would say which cells are small.
// It is not "<5": a complement can be any count.
const marker = "x"

type styles struct {
	title, bold, header, block, number, marker, wrap, percent int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	border := []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}
	defs := []struct {
		id    *int
		style excelize.Style
	}{
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.bold, excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&s.header, excelize.Style{Font: &excelize.Font{Bold: true}, Border: border}},
		{&s.block, excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&s.number, excelize.Style{NumFmt: 3}}, // #,##0
		{&s.marker, excelize.Style{Alignment: &excelize.Alignment{Horizontal: "right"}}},
		{&s.wrap, excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&s.percent, excelize.Style{NumFmt: 10}}, // 0.00%
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.style)
		if err != nil {
			return s, err
		}
		*d.id = id
	}
	return s, nil
}

// truncate cuts s to at most n runes.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

func cellName(col, row int) string {
	name, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		panic(err) // col and row come from our own layout, within Excel's limits
	}
	return name
}
