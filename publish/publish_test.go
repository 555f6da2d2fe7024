package publish

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/ivz-twente/jeugd/aggregate"
	"github.com/ivz-twente/jeugd/internal/golden"
	"github.com/ivz-twente/jeugd/internal/quarantine"
)

// secret is the true value of every suppressed fixture cell; it must appear
// in no published file.
const secret = 987654

// fixtureCells is a small protected table: a regio, Borne with wijken, an
// unknown buurt, a buurt whose name is a formula and one whose name needs
// CSV quoting, and Rijssen-Holten, whose rows must stay out of Borne's files.
func fixtureCells() []aggregate.Cell {
	c := func(ind, niveau, code, naam, gm, ouder, ptype, per, uit, klasse string, n int64) aggregate.Cell {
		return aggregate.Cell{Indicator: ind, Gebiedsniveau: niveau, Gebiedscode: code, Gebiedsnaam: naam,
			Gemeentecode: gm, Periodetype: ptype, Periode: per, Uitsplitsing: uit, Klasse: klasse,
			Waarde: n, Onderdrukt: n == secret, Ouder: ouder}
	}
	const j, d = "jeugdoverlast", "minderjarige_daders"
	return []aggregate.Cell{
		c(j, "regio", "RG14", "Twente", "", "", "jaar", "2025", "totaal", "totaal", 120),
		c(j, "regio", "RG14", "Twente", "", "", "kwartaal", "2025-K1", "totaal", "totaal", 40),
		c(j, "gemeente", "GM0147", "Borne", "GM0147", "RG14", "jaar", "2025", "totaal", "totaal", 31),
		c(j, "gemeente", "GM0147", "Borne", "GM0147", "RG14", "kwartaal", "2025-K1", "totaal", "totaal", 9),
		c(j, "gemeente", "GM1742", "Rijssen-Holten", "GM1742", "RG14", "jaar", "2025", "totaal", "totaal", 30),
		c(j, "wijk", "WK014700", "Wijk 00 Borne", "GM0147", "GM0147", "jaar", "2025", "totaal", "totaal", 23),
		c(j, "wijk", "WK014700", "Wijk 00 Borne", "GM0147", "GM0147", "kwartaal", "2025-K1", "totaal", "totaal", secret),
		c(j, "wijk", "WK0147XX", "onbekend", "GM0147", "GM0147", "jaar", "2025", "totaal", "totaal", 8),
		c(j, "wijk", "WK0147XX", "onbekend", "GM0147", "GM0147", "kwartaal", "2025-K1", "totaal", "totaal", secret),
		c(j, "wijk", "WK174200", "Wijk 00 Rijssen", "GM1742", "GM1742", "jaar", "2025", "totaal", "totaal", 30),
		c(j, "buurt", "BU01470000", "Borne-Centrum", "GM0147", "WK014700", "jaar", "2025", "totaal", "totaal", 15),
		c(j, "buurt", "BU01470000", "Borne-Centrum", "GM0147", "WK014700", "kwartaal", "2025-K1", "totaal", "totaal", secret),
		c(j, "buurt", "BU01470001", "=HYPERLINK(\"http://x\")", "GM0147", "WK014700", "jaar", "2025", "totaal", "totaal", 8),
		c(j, "buurt", "BU01470002", `Het "Hof", Zuid`, "GM0147", "WK014700", "jaar", "2025", "totaal", "totaal", 0),
		c(j, "buurt", "BU0147XXXX", "onbekend", "GM0147", "WK0147XX", "jaar", "2025", "totaal", "totaal", 8),
		c(j, "buurt", "BU0147XXXX", "onbekend", "GM0147", "WK0147XX", "kwartaal", "2025-K1", "totaal", "totaal", secret),
		c(j, "buurt", "BU17420000", "Rijssen-Centrum", "GM1742", "WK174200", "jaar", "2025", "totaal", "totaal", 12),
		c(d, "gemeente", "GM0147", "Borne", "GM0147", "RG14", "jaar", "2025", "totaal", "totaal", 11),
		c(d, "gemeente", "GM0147", "Borne", "GM0147", "RG14", "jaar", "2025", "geslacht", "m", 8),
		c(d, "gemeente", "GM0147", "Borne", "GM0147", "RG14", "jaar", "2025", "geslacht", "v", secret),
		c(d, "gemeente", "GM0147", "Borne", "GM0147", "RG14", "maand", "2025-03", "totaal", "totaal", 6),
		c(d, "gemeente", "GM1742", "Rijssen-Holten", "GM1742", "RG14", "jaar", "2025", "totaal", "totaal", 9),
	}
}

func fixtureOptions() GemeenteOptions {
	return GemeenteOptions{
		MinCount: 5,
		Indicators: []IndicatorDoc{
			{Name: "minderjarige_daders", Doc: "Unieke personen van 12-17 jaar die verdachte zijn, naar woonbuurt."},
			{Name: "jeugdoverlast", Doc: "Politie-incidenten gemeld als jeugdoverlast, naar pleegbuurt."},
		},
		Summary: []KeyValue{
			{"run", "20250401T020000Z"}, {"perioden", "2025-01 t/m 2025-03"}, {"k", "5"},
			{"beleid", "suppress"}, {"versie", "v0.1.0"}, {"politie/incidenten rijen", "1234"},
			{"=bron", "-1"},
		},
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestNeutralise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Borne", "Borne"},
		{"=1+1", "'=1+1"},
		{"+31 6", "'+31 6"},
		{"-2", "'-2"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"'s-Hertogenbosch", "'s-Hertogenbosch"},
		{"a=b", "a=b"},
		{"23+", "23+"},
		{"2025-K1", "2025-K1"},
	}
	for _, tt := range tests {
		if got := Neutralise(tt.in); got != tt.want {
			t.Errorf("Neutralise(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// neutralised keeps Neutralise's results alive, so the compiler cannot drop
// the calls the allocation test measures.
var neutralised string

func TestNeutraliseDoesNotAllocate(t *testing.T) {
	texts := []string{"Borne-Centrum", "=1+1"} // not constants: no folding
	allocs := func(s string) float64 {
		return testing.AllocsPerRun(100, func() { neutralised = Neutralise(s) })
	}
	if n := allocs(texts[0]); n != 0 {
		t.Errorf("Neutralise of a safe text: %v allocations, want 0", n)
	}
	// The measurement works: a text that needs a quote costs one.
	if n := allocs(texts[1]); n != 1 {
		t.Errorf("Neutralise of a formula: %v allocations, want 1", n)
	}
}

func TestWriteDashboardCSV(t *testing.T) {
	dir := t.TempDir()
	if err := WriteDashboard(dir, fixtureCells()); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/dashboard.csv", readFile(t, filepath.Join(dir, "dashboard", "indicatoren.csv")))
}

func TestWriteGemeenteCSV(t *testing.T) {
	dir := t.TempDir()
	if err := WriteGemeente(dir, "GM0147", "Borne", fixtureCells(), fixtureOptions()); err != nil {
		t.Fatal(err)
	}
	got := readFile(t, filepath.Join(dir, "gemeenten", "GM0147", "indicatoren.csv"))
	golden.Check(t, "testdata/gemeente_GM0147.csv", got)
	for _, other := range []string{"1742", "RG14"} {
		if bytes.Contains(got, []byte(other)) {
			t.Errorf("GM0147's CSV holds %s", other)
		}
	}
}

// TestWriteDeterministic writes the same cells twice and expects the same
// bytes from every file but the XLSX.
func TestWriteDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if err := WriteDashboard(dir, fixtureCells()); err != nil {
			t.Fatal(err)
		}
		if err := WriteGemeente(dir, "GM0147", "Borne", fixtureCells(), fixtureOptions()); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"dashboard/indicatoren.csv", "dashboard/indicatoren.parquet", "gemeenten/GM0147/indicatoren.csv", "gemeenten/GM0147/indicatoren.xlsx"} {
		if !bytes.Equal(readFile(t, filepath.Join(a, name)), readFile(t, filepath.Join(b, name))) {
			t.Errorf("%s differs between two writes of the same cells", name)
		}
	}
}

// parquetRow is one row read back from indicatoren.parquet.
type parquetRow struct {
	Strings    [9]string
	Waarde     *int64
	Onderdrukt bool
}

func TestParquetRoundTrip(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	cells := fixtureCells()
	var buf bytes.Buffer
	if err := writeParquet(&buf, cells, mem); err != nil {
		t.Fatal(err)
	}
	var want []parquetRow
	for _, c := range cells {
		r := parquetRow{Strings: [9]string{c.Indicator, c.Gebiedsniveau, c.Gebiedscode, c.Gebiedsnaam,
			c.Gemeentecode, c.Periodetype, c.Periode, c.Uitsplitsing, c.Klasse}, Onderdrukt: c.Onderdrukt}
		if !c.Onderdrukt {
			r.Waarde = &c.Waarde
		}
		want = append(want, r)
	}
	got := readParquet(t, buf.Bytes(), mem)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parquet read back (-want +got):\n%s", diff)
	}
}

func readParquet(t *testing.T, b []byte, mem memory.Allocator) []parquetRow {
	t.Helper()
	pf, err := file.NewParquetReader(bytes.NewReader(b), file.WithReadProps(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, mem)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	type field struct {
		Name, Type string
		Nullable   bool
	}
	var gotFields, wantFields []field
	for _, f := range tbl.Schema().Fields() {
		gotFields = append(gotFields, field{f.Name, f.Type.String(), f.Nullable})
	}
	for _, f := range parquetSchema.Fields() {
		wantFields = append(wantFields, field{f.Name, f.Type.String(), f.Nullable})
	}
	if diff := cmp.Diff(wantFields, gotFields); diff != "" {
		t.Fatalf("schema read back (-want +got):\n%s", diff)
	}
	tr := array.NewTableReader(tbl, -1)
	defer tr.Release()
	var rows []parquetRow
	for tr.Next() {
		rec := tr.RecordBatch()
		for i := 0; i < int(rec.NumRows()); i++ {
			var r parquetRow
			for c := range r.Strings {
				r.Strings[c] = rec.Column(c).(*array.String).Value(i)
			}
			if w := rec.Column(9).(*array.Int64); w.IsValid(i) {
				v := w.Value(i)
				r.Waarde = &v
			}
			r.Onderdrukt = rec.Column(10).(*array.Boolean).Value(i)
			rows = append(rows, r)
		}
	}
	return rows
}

// TestParquetRowGroups writes more cells than one row group holds.
func TestParquetRowGroups(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	cells := benchCells(rowGroupRows + 10)
	var buf bytes.Buffer
	if err := writeParquet(&buf, cells, mem); err != nil {
		t.Fatal(err)
	}
	pf, err := file.NewParquetReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	if got, want := pf.NumRowGroups(), 2; got != want {
		t.Errorf("row groups = %d, want %d", got, want)
	}
	if got := pf.NumRows(); got != int64(len(cells)) {
		t.Errorf("rows = %d, want %d", got, len(cells))
	}
}

// TestSecretNeverWritten looks for the true value of the suppressed cells
// in every file, the XLSX parts unzipped.
func TestSecretNeverWritten(t *testing.T) {
	dir := t.TempDir()
	if err := WriteDashboard(dir, fixtureCells()); err != nil {
		t.Fatal(err)
	}
	if err := WriteGemeente(dir, "GM0147", "Borne", fixtureCells(), fixtureOptions()); err != nil {
		t.Fatal(err)
	}
	s := []byte(strconv.Itoa(secret))
	for _, name := range []string{"dashboard/indicatoren.csv", "gemeenten/GM0147/indicatoren.csv"} {
		if bytes.Contains(readFile(t, filepath.Join(dir, name)), s) {
			t.Errorf("%s holds the value of a suppressed cell", name)
		}
	}
	for _, r := range readParquet(t, readFile(t, filepath.Join(dir, "dashboard/indicatoren.parquet")), memory.DefaultAllocator) {
		if r.Onderdrukt && r.Waarde != nil {
			t.Errorf("parquet: suppressed cell %v has waarde %d", r.Strings, *r.Waarde)
		}
	}
	for name, part := range xlsxParts(t, filepath.Join(dir, "gemeenten/GM0147/indicatoren.xlsx")) {
		if bytes.Contains(part, s) {
			t.Errorf("xlsx part %s holds the value of a suppressed cell", name)
		}
	}
}

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
		{"wijk", "WK014700", "Wijk 00 Borne", "23", "<5"},
		{"buurt", "BU01470000", "Borne-Centrum", "15", "<5"},
		{"buurt", "BU01470001", `'=HYPERLINK("http://x")`, "8"},
		{"buurt", "BU01470002", `Het "Hof", Zuid`, "0"},
		{"wijk", "WK0147XX", "onbekend", "8", "<5"},
		{"buurt", "BU0147XXXX", "onbekend", "8", "<5"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sheet jeugdoverlast (-want +got):\n%s", diff)
	}
	got = sheetRows(t, f, "minderjarige_daders")
	want = [][]string{
		{"indicator: minderjarige_daders", "", "", "totaal", "", "geslacht: m", "", "geslacht: v"},
		{"gebiedsniveau", "gebiedscode", "gebiedsnaam", "2025", "2025-03", "2025", "2025-03", "2025", "2025-03"},
		{"gemeente", "GM0147", "Borne", "11", "6", "8", "", "<5"},
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
	for _, s := range []string{"<5", "1 tot en met 4", "hetzelfde teken", "(leeg)", "CBS", "Politie-incidenten gemeld als jeugdoverlast", "secundaire onderdrukking"} {
		if !strings.Contains(legend, s) {
			t.Errorf("Legenda does not mention %q", s)
		}
	}
	summary := sheetRows(t, f, "Samenvatting")
	if diff := cmp.Diff([]string{"'=bron", "'-1"}, summary[len(summary)-1]); diff != "" {
		t.Errorf("last summary line (-want +got):\n%s", diff)
	}
	if typ, _ := f.GetCellType("Samenvatting", "B8"); typ != excelize.CellTypeUnset {
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

func TestWriteGemeenteRound5(t *testing.T) {
	var cells []aggregate.Cell
	for _, c := range fixtureCells() {
		if c.Onderdrukt {
			c.Onderdrukt, c.Waarde = false, 5
		}
		cells = append(cells, c)
	}
	opts := fixtureOptions()
	opts.Policy = PolicyRound5
	dir := t.TempDir()
	if err := WriteGemeente(dir, "GM0147", "Borne", cells, opts); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(filepath.Join(dir, "gemeenten", "GM0147", "indicatoren.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, sheet := range []string{"jeugdoverlast", "minderjarige_daders"} {
		for _, v := range flatten(sheetRows(t, f, sheet)) {
			if v == "<5" {
				t.Errorf("sheet %s shows a marker under round5", sheet)
			}
		}
	}
	legend := strings.Join(flatten(sheetRows(t, f, "Legenda")), "\n")
	if !strings.Contains(legend, "afgerond op een veelvoud van 5") {
		t.Errorf("Legenda does not explain the rounding:\n%s", legend)
	}
	if strings.Contains(legend, "secundaire onderdrukking") {
		t.Errorf("Legenda of a round5 file describes suppression")
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
		{"GM0147", func(o *GemeenteOptions) { o.Policy = "round10" }},
		{"GM0147", func(o *GemeenteOptions) { o.MinCount = 0 }},
	}
	for i, tt := range tests {
		dir := t.TempDir()
		opts := fixtureOptions()
		tt.opts(&opts)
		if err := WriteGemeente(dir, tt.gm, "Borne", fixtureCells(), opts); err == nil {
			t.Errorf("case %d: WriteGemeente(%q, %+v) succeeded, want an error", i, tt.gm, opts.Policy)
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

func TestWriteQuarantine(t *testing.T) {
	dir := t.TempDir()
	errs := []quarantine.RowError{
		{File: "politie/incidenten.csv", Row: 12, Column: "Postcode", Kind: quarantine.KindBadPostcode},
		{File: "halt/verwijzingen.xlsx", Sheet: "Blad1", Row: 3, Column: "", Kind: quarantine.KindFieldCount},
		{File: "=cmd|' /C calc'!A0.csv", Sheet: "@x", Row: 4, Column: "-geboortedatum", Kind: quarantine.KindBadDate},
	}
	if err := WriteQuarantine(dir, errs); err != nil {
		t.Fatal(err)
	}
	got := string(readFile(t, filepath.Join(dir, "kwaliteit", "quarantaine.csv")))
	want := "bestand,blad,rij,kolom,reden\n" +
		"politie/incidenten.csv,,12,Postcode,is not a postcode (1234AB)\n" +
		"halt/verwijzingen.xlsx,Blad1,3,,row has more cells than the header\n" +
		"'=cmd|' /C calc'!A0.csv,'@x,4,'-geboortedatum,\"is not a date (dd-mm-jjjj, jjjj-mm-dd, dd/mm/jjjj or Excel date)\"\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("quarantaine.csv (-want +got):\n%s", diff)
	}
}

func TestWriteJSON(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "runs", "r1", "manifest.json")
	v := map[string]any{"run_id": "r1", "bestanden": []int{1, 2}}
	if err := WriteJSON(path, v); err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"bestanden\": [\n    1,\n    2\n  ],\n  \"run_id\": \"r1\"\n}\n"
	if diff := cmp.Diff(want, string(readFile(t, path))); diff != "" {
		t.Errorf("manifest.json (-want +got):\n%s", diff)
	}
	for p, perm := range map[string]os.FileMode{path: 0o644, filepath.Dir(path): 0o755 | os.ModeDir} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != perm {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode(), perm)
		}
	}
	if err := WriteJSON(path, func() {}); err == nil {
		t.Error("WriteJSON of a func succeeded, want an error")
	}
}

func TestWriteReadOnlyDir(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes into read-only directories")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	err := WriteDashboard(dir, fixtureCells())
	if !errors.Is(err, os.ErrPermission) {
		t.Fatalf("WriteDashboard into a read-only directory: %v, want a permission error", err)
	}
	if !strings.Contains(err.Error(), dir) {
		t.Errorf("error %q does not name the path", err)
	}
}

// TestWriteBlockedDir fails to create the run directory because a file is in
// the way; unlike a read-only directory, this fails for root too.
func TestWriteBlockedDir(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "run")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, write := range map[string]func() error{
		"dashboard":  func() error { return WriteDashboard(blocker, fixtureCells()) },
		"gemeente":   func() error { return WriteGemeente(blocker, "GM0147", "Borne", fixtureCells(), fixtureOptions()) },
		"quarantine": func() error { return WriteQuarantine(blocker, nil) },
		"json":       func() error { return WriteJSON(filepath.Join(blocker, "manifest.json"), 1) },
	} {
		err := write()
		if err == nil {
			t.Errorf("%s: writing under a file succeeded, want an error", name)
			continue
		}
		if !strings.Contains(err.Error(), blocker) {
			t.Errorf("%s: error %q does not name the path", name, err)
		}
	}
}

// TestWriteFileFailure checks that a failing write is returned, wrapped, and
// leaves neither the target nor a temp file.
func TestWriteFileFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.csv")
	errFull := errors.New("no space left on device")
	err := writeFile(path, func(w *bufio.Writer) error {
		w.WriteString("half")
		return errFull
	})
	if !errors.Is(err, errFull) || !strings.Contains(err.Error(), path) {
		t.Errorf("writeFile: %v, want %v with the path", err, errFull)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a failed write left %d entries, first %s", len(entries), entries[0].Name())
	}
}

// TestWriteFileReplaces overwrites an existing file atomically.
func TestWriteFileReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "manifest.json")
	for i := range 2 {
		if err := WriteJSON(path, i); err != nil {
			t.Fatal(err)
		}
	}
	if got := string(readFile(t, path)); got != "1\n" {
		t.Errorf("after two writes: %q, want %q", got, "1\n")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d entries, want only manifest.json", len(entries))
	}
}

// benchCells is a dashboard-sized table: n cells over 8 indicators, 14
// gemeenten, their wijken and buurten, 51 periods and 15 classes.
func benchCells(n int) []aggregate.Cell {
	cells := make([]aggregate.Cell, 0, n)
	for i := 0; len(cells) < n; i++ {
		gm := fmt.Sprintf("GM%04d", 100+i%14)
		buurt := fmt.Sprintf("BU%s%02d%02d", gm[2:], i%7, i%11)
		cells = append(cells, aggregate.Cell{
			Indicator: aggregate.Uitsplitsingen[i%4] + "_indicator", Gebiedsniveau: "buurt",
			Gebiedscode: buurt, Gebiedsnaam: "Buurt " + buurt[6:], Gemeentecode: gm,
			Periodetype: "maand", Periode: fmt.Sprintf("2025-%02d", 1+i%12),
			Uitsplitsing: "leeftijdsklasse", Klasse: "12-14", Waarde: int64(i % 97), Onderdrukt: i%9 == 0,
		})
	}
	return cells
}

func BenchmarkWriteDashboard(b *testing.B) {
	cells := benchCells(200_000)
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteDashboard(dir, cells); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(cells)*b.N)/b.Elapsed().Seconds(), "cells/s")
}

// gemeenteCells is a large municipality: 1 gemeente, 10 wijken of 6 buurten,
// 2 years of periods (34), 8 indicators, 6 of them with 14 classes.
func gemeenteCells() []aggregate.Cell {
	type a struct{ niveau, code, ouder string }
	areas := []a{{"gemeente", "GM0153", "RG14"}}
	for w := range 10 {
		wk := fmt.Sprintf("WK0153%02d", w)
		areas = append(areas, a{"wijk", wk, "GM0153"})
		for bu := range 6 {
			areas = append(areas, a{"buurt", fmt.Sprintf("BU0153%02d%02d", w, bu), wk})
		}
	}
	var periods [][2]string
	for _, y := range []string{"2024", "2025"} {
		periods = append(periods, [2]string{"jaar", y})
		for q := 1; q <= 4; q++ {
			periods = append(periods, [2]string{"kwartaal", fmt.Sprintf("%s-K%d", y, q)})
		}
		for m := 1; m <= 12; m++ {
			periods = append(periods, [2]string{"maand", fmt.Sprintf("%s-%02d", y, m)})
		}
	}
	classes := [][2]string{{"totaal", "totaal"}, {"geslacht", "m"}, {"geslacht", "v"}, {"geslacht", "x"}, {"geslacht", "onbekend"},
		{"leeftijdsklasse", "0-11"}, {"leeftijdsklasse", "12-14"}, {"leeftijdsklasse", "15-17"}, {"leeftijdsklasse", "18-22"},
		{"leeftijdsklasse", "23+"}, {"categorie", "geweld"}, {"categorie", "vermogen"}, {"categorie", "vernieling"}, {"categorie", "overig"}}
	var cells []aggregate.Cell
	n := 0
	for ind := range 8 {
		cls := classes
		if ind < 2 {
			cls = classes[:1]
		}
		for _, ar := range areas {
			for _, k := range cls {
				for _, p := range periods {
					n++
					cells = append(cells, aggregate.Cell{
						Indicator: fmt.Sprintf("indicator_%d", ind), Gebiedsniveau: ar.niveau, Gebiedscode: ar.code,
						Gebiedsnaam: "Naam " + ar.code, Gemeentecode: "GM0153", Periodetype: p[0], Periode: p[1],
						Uitsplitsing: k[0], Klasse: k[1], Waarde: int64(n % 250), Onderdrukt: n%7 == 0, Ouder: ar.ouder,
					})
				}
			}
		}
	}
	return cells
}

func BenchmarkWriteGemeenteXLSX(b *testing.B) {
	cells := gemeenteCells()
	dir := b.TempDir()
	opts := fixtureOptions()
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteGemeente(dir, "GM0153", "Enschede", cells, opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(cells)*b.N)/b.Elapsed().Seconds(), "cells/s")
}
