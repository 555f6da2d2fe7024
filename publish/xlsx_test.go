package publish

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
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

func TestWriteGemeenteXLSX(t *testing.T) {
	dir := t.TempDir()
	if err := WriteGemeente(dir, "GM0147", "Borne", fixtureCells(), fixtureOptions()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "gemeenten", "GM0147", "indicatoren.xlsx")
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	// Indicator sheets follow the order of opts.Indicators.
	if diff := cmp.Diff([]string{"Legenda", "Samenvatting", "minderjarige_daders", "jeugdoverlast"}, f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}

	if got := f.GetActiveSheetIndex(); got != 0 {
		t.Errorf("active sheet %d, want 0 (Legenda)", got)
	}
	got := sheetRows(t, f, "jeugdoverlast")
	want := [][]string{
		{"indicator: jeugdoverlast", "", "", "totaal"},
		{"gebiedsniveau", "gebiedscode", "gebiedsnaam", "2025", "2025-K1"},
		{"gemeente", "GM0147", "Borne", "31", "9"},
		{"wijk", "WK014700", "Wijk 00 Borne", "23", "x"},
		{"buurt", "BU01470000", "Borne-Centrum", "15", "x"},
		{"buurt", "BU01470001", `'=HYPERLINK("http://x")`, "8"},
		{"buurt", "BU01470002", `Het "Hof", Zuid`, "0"},
		{"wijk", "WK0147XX", "onbekend", "8", "x"},
		{"buurt", "BU0147XXXX", "onbekend", "8", "x"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sheet jeugdoverlast (-want +got):\n%s", diff)
	}
	got = sheetRows(t, f, "minderjarige_daders")
	want = [][]string{
		{"indicator: minderjarige_daders", "", "", "totaal", "", "geslacht: m", "", "geslacht: v"},
		{"gebiedsniveau", "gebiedscode", "gebiedsnaam", "2025", "2025-03", "2025", "2025-03", "2025", "2025-03"},
		{"gemeente", "GM0147", "Borne", "11", "6", "8", "", "x"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sheet minderjarige_daders (-want +got):\n%s", diff)
	}

	// Values are numbers, markers and names are text.
	for _, c := range []struct {
		cell string
		want excelize.CellType
	}{{"D3", excelize.CellTypeUnset}, {"E4", excelize.CellTypeInlineString}, {"C6", excelize.CellTypeInlineString}} {
		typ, err := f.GetCellType("jeugdoverlast", c.cell)
		if err != nil {
			t.Fatal(err)
		}
		if typ != c.want {
			t.Errorf("jeugdoverlast!%s: type %v, want %v", c.cell, typ, c.want)
		}
	}
	if id, err := f.GetCellStyle("jeugdoverlast", "D3"); err != nil {
		t.Fatal(err)
	} else if style, err := f.GetStyle(id); err != nil || style.NumFmt != 3 {
		t.Errorf("jeugdoverlast!D3: number format %+v (err %v), want 3 (#,##0)", style, err)
	}
	panes, err := f.GetPanes("jeugdoverlast")
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.XSplit != 3 || panes.YSplit != 2 {
		t.Errorf("panes %+v, want frozen at D3", panes)
	}

	legend := strings.Join(flatten(sheetRows(t, f, "Legenda")), "\n")
	for _, s := range []string{"x", "ook 0", "hetzelfde teken", "(leeg)", "CBS", "Politie-incidenten gemeld als jeugdoverlast", "drempel k = 5", "Zonder drempel"} {
		if !strings.Contains(legend, s) {
			t.Errorf("Legenda does not mention %q", s)
		}
	}
	summary := sheetRows(t, f, "Samenvatting")
	if diff := cmp.Diff([]string{"'=bron", "'-1"}, summary[len(summary)-1]); diff != "" {
		t.Errorf("last summary line (-want +got):\n%s", diff)
	}
	if typ, _ := f.GetCellType("Samenvatting", "B7"); typ != excelize.CellTypeUnset {
		t.Errorf("row count in the summary has type %v, want a number", typ)
	}

	checkNoFormula(t, f)
	for name, part := range xlsxParts(t, path) {
		for _, other := range []string{"GM1742", "1742", "RG14", "Twente", "Rijssen"} {
			if bytes.Contains(part, []byte(other)) {
				t.Errorf("xlsx part %s of GM0147 holds %q", name, other)
			}
		}
		if strings.HasPrefix(name, "xl/worksheets/") && (bytes.Contains(part, []byte("<f>")) || bytes.Contains(part, []byte("<f "))) {
			t.Errorf("xlsx part %s holds a formula", name)
		}
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
		var tables []*table
		for _, name := range tt.in {
			tables = append(tables, &table{indicator: name})
		}
		got := sheetNames(tables)
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
