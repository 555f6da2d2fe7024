package publish

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/ivz-twente/jeugd/aggregate"
)

// xlsxParts returns the unzipped parts of an XLSX file.
func xlsxParts(t *testing.T, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = b
	}
	return parts
}

// writeWorkbook writes Borne's files from cells and opens its workbook.
func writeWorkbook(t *testing.T, cells []aggregate.Cell, opts GemeenteOptions) (f *excelize.File, dir, path string) {
	t.Helper()
	dir = t.TempDir()
	if err := WriteGemeente(dir, "GM0147", "Borne", cells, opts); err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(dir, "gemeenten", "GM0147", "indicatoren.xlsx")
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, dir, path
}

func TestWriteGemeenteXLSX(t *testing.T) {
	f, _, path := writeWorkbook(t, fixtureCells(), fixtureOptions())

	// Per indicator, in the order of opts.Indicators: a sheet per period
	// type, then the breakdowns.
	if diff := cmp.Diff([]string{"Legenda", "Samenvatting", "minderjarige_daders jaar", "minderjarige_daders maand",
		"minderjarige_daders klassen", "jeugdoverlast jaar", "jeugdoverlast kwartaal"}, f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	if got := f.GetActiveSheetIndex(); got != 0 {
		t.Errorf("active sheet %d, want 0 (Legenda)", got)
	}
	for sheet, want := range map[string][][]string{
		"jeugdoverlast jaar": {
			{"indicator: jeugdoverlast, per jaar"},
			{"gebiedsniveau", "gebiedscode", "gebiedsnaam", "2025"},
			{"gemeente", "GM0147", "Borne", "31"},
			{"wijk", "WK014700", "Wijk 00 Borne", "23"},
			{"buurt", "BU01470000", "Borne-Centrum", "15"},
			{"buurt", "BU01470001", `'=HYPERLINK("http://x")`, "8"},
			{"buurt", "BU01470002", `Het "Hof", Zuid`, "0"},
			{"wijk", "WK0147XX", "onbekend", "8"},
			{"buurt", "BU0147XXXX", "onbekend", "8"},
		},
		"jeugdoverlast kwartaal": {
			{"indicator: jeugdoverlast, per kwartaal"},
			{"gebiedsniveau", "gebiedscode", "gebiedsnaam", "2025-K1"},
			{"gemeente", "GM0147", "Borne", "9"},
			{"wijk", "WK014700", "Wijk 00 Borne", "x"},
			{"buurt", "BU01470000", "Borne-Centrum", "x"},
			{"wijk", "WK0147XX", "onbekend", "x"},
			{"buurt", "BU0147XXXX", "onbekend", "x"},
		},
		"minderjarige_daders klassen": {
			{"indicator: minderjarige_daders, per jaar, per klasse van elke uitsplitsing"},
			{"gebiedsniveau", "gebiedscode", "gebiedsnaam", "uitsplitsing", "klasse", "2025"},
			{"gemeente", "GM0147", "Borne", "geslacht", "m", "8"},
			{"gemeente", "GM0147", "Borne", "geslacht", "v", "x"},
		},
	} {
		if diff := cmp.Diff(want, sheetRows(t, f, sheet)); diff != "" {
			t.Errorf("sheet %s (-want +got):\n%s", sheet, diff)
		}
	}

	// Values are numbers, markers and names are text.
	for _, c := range []struct {
		cell string
		want excelize.CellType
	}{{"D3", excelize.CellTypeUnset}, {"D4", excelize.CellTypeInlineString}, {"C6", excelize.CellTypeInlineString}} {
		typ, err := f.GetCellType("jeugdoverlast kwartaal", c.cell)
		if c.cell == "C6" {
			typ, err = f.GetCellType("jeugdoverlast jaar", c.cell)
		}
		if err != nil {
			t.Fatal(err)
		}
		if typ != c.want {
			t.Errorf("%s: type %v, want %v", c.cell, typ, c.want)
		}
	}
	if id, err := f.GetCellStyle("jeugdoverlast jaar", "D3"); err != nil {
		t.Fatal(err)
	} else if style, err := f.GetStyle(id); err != nil || style.NumFmt != 3 {
		t.Errorf("jeugdoverlast jaar!D3: number format %+v (err %v), want 3 (#,##0)", style, err)
	}
	panes, err := f.GetPanes("jeugdoverlast jaar")
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.XSplit != 3 || panes.YSplit != 2 {
		t.Errorf("panes %+v, want frozen at D3", panes)
	}

	legend := strings.Join(flatten(sheetRows(t, f, "Legenda")), "\n")
	for _, s := range []string{"x", "ook 0", "hetzelfde teken", "niet als 'minder dan 5'", "(leeg)", "CBS",
		"Politie-incidenten gemeld als jeugdoverlast", "drempel k = 5", "drempel k = 0: zonder drempel", "jeugdoverlast kwartaal",
		"per jaar: de gemeente, wijken en buurten"} {
		if !strings.Contains(legend, s) {
			t.Errorf("Legenda does not mention %q", s)
		}
	}
	if strings.Contains(legend, "<5") {
		t.Errorf("Legenda explains a withheld cell as <5")
	}

	// The Samenvatting: the headline figures of the last year, with the
	// regio beside them, then the run summary.
	summary := sheetRows(t, f, "Samenvatting")
	wantHead := [][]string{
		{"Kerncijfers 2025"},
		{"indicator", "drempel k", "Borne 2025", "Twente 2025", "aandeel Borne in Twente"},
		{"minderjarige_daders", "5", "11"},
		{"jeugdoverlast", "0", "31", "120", "0.258333333333333"},
	}
	if diff := cmp.Diff(wantHead, summary[2:6]); diff != "" {
		t.Errorf("Samenvatting headline figures (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"'=bron", "'-1"}, summary[len(summary)-1]); diff != "" {
		t.Errorf("last summary line (-want +got):\n%s", diff)
	}
	if typ, _ := f.GetCellType("Samenvatting", "D6"); typ != excelize.CellTypeUnset {
		t.Errorf("regio figure in the summary has type %v, want a number", typ)
	}

	checkNoFormula(t, f)
	for name, part := range xlsxParts(t, path) {
		for _, other := range []string{"GM1742", "1742", "Rijssen"} {
			if bytes.Contains(part, []byte(other)) {
				t.Errorf("xlsx part %s of GM0147 holds %q", name, other)
			}
		}
		if strings.HasPrefix(name, "xl/worksheets/") && (bytes.Contains(part, []byte("<f>")) || bytes.Contains(part, []byte("<f "))) {
			t.Errorf("xlsx part %s holds a formula", name)
		}
	}
	// The regio is only in the summary, as the comparison.
	for _, sheet := range f.GetSheetList() {
		if sheet == "Samenvatting" {
			continue
		}
		for _, v := range flatten(sheetRows(t, f, sheet)) {
			if strings.Contains(v, "Twente") || strings.Contains(v, "RG14") {
				t.Errorf("sheet %s holds the regio: %q", sheet, v)
			}
		}
	}
}

// TestXLSXWidth: no sheet is wider than MaxSheetColumns, however many
// periods are published; a table that does not fit goes into long form.
func TestXLSXWidth(t *testing.T) {
	var cells []aggregate.Cell
	for m := range 80 { // 80 months of one gemeente, and 80 of one wijk
		per := fmt.Sprintf("%d-%02d", 2019+m/12, m%12+1)
		for _, a := range [][2]string{{"gemeente", "GM0147"}, {"wijk", "WK014700"}} {
			cells = append(cells, aggregate.Cell{Indicator: "jeugdoverlast", Gebiedsniveau: a[0], Gebiedscode: a[1], Gebiedsnaam: a[1],
				Gemeentecode: "GM0147", Periodetype: "maand", Periode: per, Uitsplitsing: "totaal", Klasse: "totaal", Waarde: int64(m), Ouder: "GM0147"})
		}
	}
	for y := range 8 {
		for _, k := range []string{"m", "v", "x", "onbekend"} {
			cells = append(cells, aggregate.Cell{Indicator: "jeugdoverlast", Gebiedsniveau: "gemeente", Gebiedscode: "GM0147", Gebiedsnaam: "Borne",
				Gemeentecode: "GM0147", Periodetype: "jaar", Periode: strconv.Itoa(2018 + y), Uitsplitsing: "geslacht", Klasse: k, Waarde: 5})
		}
	}
	f, _, _ := writeWorkbook(t, cells, GemeenteOptions{})
	for _, sheet := range f.GetSheetList() {
		for i, r := range sheetRows(t, f, sheet) {
			if len(r) > MaxSheetColumns {
				t.Errorf("%s row %d has %d columns, more than %d", sheet, i+1, len(r), MaxSheetColumns)
			}
		}
	}
	rows := sheetRows(t, f, "jeugdoverlast maand")
	if diff := cmp.Diff([]string{"gebiedsniveau", "gebiedscode", "gebiedsnaam", "periode", "waarde"}, rows[1]); diff != "" {
		t.Errorf("80 months: header (-want +got):\n%s", diff)
	}
	if len(rows) != 2+2*80 || !slices.Equal(rows[2], []string{"gemeente", "GM0147", "GM0147", "2019-01", "0"}) {
		t.Errorf("80 months in long form: %d rows, first %q", len(rows), rows[2])
	}
	if got := sheetRows(t, f, "jeugdoverlast klassen"); len(got[1]) != 5+8 {
		t.Errorf("8 years of breakdowns: header %q, want the years across", got[1])
	}
}

// sheetRows reads a sheet's raw values, without number formats.
func sheetRows(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

func checkNoFormula(t *testing.T, f *excelize.File) {
	t.Helper()
	for _, sheet := range f.GetSheetList() {
		rows := sheetRows(t, f, sheet)
		for r, row := range rows {
			for c := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if fx, err := f.GetCellFormula(sheet, cell); err != nil || fx != "" {
					t.Errorf("%s!%s: formula %q (err %v)", sheet, cell, fx, err)
				}
			}
		}
	}
}

func TestWriteGemeenteRejects(t *testing.T) {
	tests := []struct {
		gm   string
		opts func(*GemeenteOptions)
	}{
		{"../GM0147", func(*GemeenteOptions) {}},
		{"GM147", func(*GemeenteOptions) {}},
		{"gm0147", func(*GemeenteOptions) {}},
	}
	for i, tt := range tests {
		dir := t.TempDir()
		opts := fixtureOptions()
		tt.opts(&opts)
		if err := WriteGemeente(dir, tt.gm, "Borne", fixtureCells(), opts); err == nil {
			t.Errorf("case %d: WriteGemeente(%q) succeeded, want an error", i, tt.gm)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("case %d: a rejected call wrote %d entries", i, len(entries))
		}
	}
}

func TestOrderAreas(t *testing.T) {
	in := []area{
		{"buurt", "BU0147XXXX", "", "WK0147XX"},
		{"buurt", "BU01470101", "", "WK014701"},
		{"wijk", "WK0147XX", "", "GM0147"},
		{"buurt", "BU01470001", "", "WK014700"},
		{"wijk", "WK014701", "", "GM0147"},
		{"buurt", "BU01479999", "", "WK014799"}, // its wijk is not published
		{"wijk", "WK014700", "", "GM0147"},
		{"gemeente", "GM0147", "", "RG14"},
		{"buurt", "BU01470000", "", "WK014700"},
	}
	var got []string
	for _, a := range orderAreas(in) {
		got = append(got, a.code)
	}
	want := []string{"GM0147", "WK014700", "BU01470000", "BU01470001", "WK014701", "BU01470101",
		"WK0147XX", "BU0147XXXX", "BU01479999"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("orderAreas (-want +got):\n%s", diff)
	}
}

func TestSheetNames(t *testing.T) {
	tests := []struct {
		in, want []string
	}{
		{[]string{"jeugdoverlast"}, []string{"jeugdoverlast"}},
		{[]string{"legenda", "Samenvatting"}, []string{"legenda~2", "Samenvatting~2"}},
		{[]string{"a/b:c?d*e[f]g\\h"}, []string{"a_b_c_d_e_f_g_h"}},
		{[]string{"'quoted'"}, []string{"quoted"}},
		{
			[]string{"feiten_gepleegd_door_minderjarigen_a", "feiten_gepleegd_door_minderjarigen_b", "FEITEN_GEPLEEGD_DOOR_MINDERJARIGEN_C"},
			[]string{"feiten_gepleegd_door_minderjari", "feiten_gepleegd_door_minderja~2", "FEITEN_GEPLEEGD_DOOR_MINDERJA~3"},
		},
	}
	for _, tt := range tests {
		got := excelNames(tt.in)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("sheetNames(%q) (-want +got):\n%s", tt.in, diff)
		}
		for _, n := range got {
			if len([]rune(n)) > maxSheetName {
				t.Errorf("sheet name %q is longer than %d", n, maxSheetName)
			}
		}
	}
}

// TestXLSXGeenGegevens: a period a source does not cover shows – (no
// figure, not 0), in the tables and the summary; its meaningless Waarde is
// never written.
func TestXLSXGeenGegevens(t *testing.T) {
	const planted = 424242
	cell := func(niveau, code, per string, n int64, geen bool) aggregate.Cell {
		return aggregate.Cell{Indicator: "verzuimmeldingen", Gebiedsniveau: niveau, Gebiedscode: code, Gebiedsnaam: code,
			Gemeentecode: "GM0147", Periodetype: "jaar", Periode: per, Uitsplitsing: "totaal", Klasse: "totaal", Waarde: n, GeenGegevens: geen}
	}
	cells := []aggregate.Cell{cell("gemeente", "GM0147", "2024", planted, true), cell("gemeente", "GM0147", "2025", 40, false)}
	f, dir, path := writeWorkbook(t, cells, GemeenteOptions{Indicators: []IndicatorDoc{{Name: "verzuimmeldingen", K: 5}}})
	if diff := cmp.Diff([]string{"gemeente", "GM0147", "GM0147", "–", "40"}, sheetRows(t, f, "verzuimmeldingen jaar")[2]); diff != "" {
		t.Errorf("row with a year without figures (-want +got):\n%s", diff)
	}
	if !slices.Contains(sheetRows(t, f, "Samenvatting")[4], "–") {
		t.Errorf("summary does not show – for 2024: %q", sheetRows(t, f, "Samenvatting")[4])
	}
	for name, part := range xlsxParts(t, path) {
		if bytes.Contains(part, []byte("424242")) {
			t.Errorf("%s holds the Waarde of a cell without figures", name)
		}
	}
	csv := string(readFile(t, filepath.Join(dir, "gemeenten", "GM0147", "indicatoren.csv")))
	if !strings.Contains(csv, ";2024;totaal;totaal;;false;true\n") || strings.Contains(csv, "424242") {
		t.Errorf("gemeente CSV for a year without figures:\n%s", csv)
	}
}
