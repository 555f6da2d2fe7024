package publish

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/google/go-cmp/cmp"

	"github.com/ivz-twente/jeugd/aggregate"
	"github.com/ivz-twente/jeugd/internal/golden"
	"github.com/ivz-twente/jeugd/internal/quarantine"
)

// secret is the true value of every suppressed fixture cell; it must appear
// in no published file.
const secret = 987654

// fixtureCells is a small protected table: a regio, Borne with wijken, an
// unknown buurt, a buurt whose name is a formula and one whose name needs
// CSV quoting, Rijssen-Holten, whose rows must stay out of Borne's files,
// and a regio month without figures (geen gegevens).
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
		geenGegevens(c(d, "regio", "RG14", "Twente", "", "", "maand", "2025-02", "totaal", "totaal", 0)),
	}
}

// geenGegevens marks c as a cell of a month a source does not cover.
func geenGegevens(c aggregate.Cell) aggregate.Cell {
	c.GeenGegevens = true
	return c
}

func fixtureOptions() GemeenteOptions {
	return GemeenteOptions{
		Indicators: []IndicatorDoc{
			{Name: "minderjarige_daders", Doc: "Unieke personen van 12-17 jaar die verdachte zijn, naar woonbuurt.", K: 5},
			{Name: "jeugdoverlast", Doc: "Politie-incidenten gemeld als jeugdoverlast, naar pleegbuurt."},
		},
		Summary: []KeyValue{
			{"run", "20250401T020000Z"}, {"perioden", "2025-01 t/m 2025-03"}, {"k", "5"},
			{"versie", "v0.1.0"}, {"politie/incidenten rijen", "1234"},
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
	Strings      [9]string
	Waarde       *int64
	Onderdrukt   bool
	GeenGegevens bool
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
			c.Gemeentecode, c.Periodetype, c.Periode, c.Uitsplitsing, c.Klasse}, Onderdrukt: c.Onderdrukt, GeenGegevens: c.GeenGegevens}
		if !c.Onderdrukt && !c.GeenGegevens {
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
			r.GeenGegevens = rec.Column(11).(*array.Boolean).Value(i)
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

func TestWriteQuarantine(t *testing.T) {
	dir := t.TempDir()
	errs := []quarantine.RowError{
		{File: "politie/incidenten.csv", Row: 12, Column: "Postcode", Kind: quarantine.KindBadPostcode},
		{File: "halt/verwijzingen.xlsx", Sheet: "Blad1", Row: 3, Column: "", Kind: quarantine.KindFieldCount},
		{File: "=cmd|' /C calc'!A0.csv", Sheet: "@x", Row: 4, Column: "-geboortedatum", Kind: quarantine.KindBadDate},
	}
	path := filepath.Join(dir, "state", "run.quarantaine.csv")
	if err := WriteQuarantine(path, errs); err != nil {
		t.Fatal(err)
	}
	got := string(readFile(t, path))
	want := "bestand,blad,rij,kolom,reden\n" +
		"politie/incidenten.csv,,12,Postcode,is not a postcode (1234AB)\n" +
		"halt/verwijzingen.xlsx,Blad1,3,,row has more cells than the header\n" +
		"'=cmd|' /C calc'!A0.csv,'@x,4,'-geboortedatum,\"is not a date (dd-mm-jjjj, jjjj-mm-dd, dd/mm/jjjj or Excel date)\"\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("quarantaine.csv (-want +got):\n%s", diff)
	}
}

func TestWriteQuarantineSummary(t *testing.T) {
	dir := t.TempDir()
	counts := []QuarantineCount{
		{Bron: "halt-verwijzingen", Kolom: "geb_datum", Reden: "geboortedatum is after the event date", Rijen: 3},
		{Bron: "politie-incidenten", Kolom: "=Postcode", Reden: "is not a postcode (1234AB)", Rijen: 12},
	}
	if err := WriteQuarantineSummary(dir, counts); err != nil {
		t.Fatal(err)
	}
	got := string(readFile(t, filepath.Join(dir, "kwaliteit", "quarantaine.csv")))
	want := "bron,kolom,reden,rijen\n" +
		"halt-verwijzingen,geb_datum,geboortedatum is after the event date,3\n" +
		"politie-incidenten,'=Postcode,is not a postcode (1234AB),12\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("kwaliteit/quarantaine.csv (-want +got):\n%s", diff)
	}
}

// TestGemeenteCSVForExcel: the gemeente CSV opens in a Dutch spreadsheet
// (semicolons, UTF-8 with a byte order mark, so "Indië" stays "Indië");
// the dashboard CSV stays comma-separated without a BOM.
func TestGemeenteCSVForExcel(t *testing.T) {
	cells := []aggregate.Cell{{Indicator: "jeugdoverlast", Gebiedsniveau: "buurt", Gebiedscode: "BU01530101", Gebiedsnaam: "Indië",
		Gemeentecode: "GM0153", Periodetype: "jaar", Periode: "2024", Uitsplitsing: "totaal", Klasse: "totaal", Waarde: 12}}
	dir := t.TempDir()
	if err := WriteGemeente(dir, "GM0153", "Enschede", cells, GemeenteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteDashboard(dir, cells); err != nil {
		t.Fatal(err)
	}
	got := readFile(t, filepath.Join(dir, "gemeenten", "GM0153", "indicatoren.csv"))
	want := []byte("\xef\xbb\xbfindicator;gebiedsniveau;gebiedscode;gebiedsnaam;gemeentecode;periodetype;periode;uitsplitsing;klasse;waarde;onderdrukt;geen_gegevens\n" +
		"jeugdoverlast;buurt;BU01530101;Indi\xc3\xab;GM0153;jaar;2024;totaal;totaal;12;false;false\n")
	if !bytes.Equal(got, want) {
		t.Errorf("gemeente CSV bytes\n%q\nwant\n%q", got, want)
	}
	dash := readFile(t, filepath.Join(dir, "dashboard", "indicatoren.csv"))
	if !bytes.HasPrefix(dash, []byte("indicator,gebiedsniveau,")) || !bytes.Contains(dash, []byte(",Indi\xc3\xab,")) {
		t.Errorf("dashboard CSV starts %q; want comma-separated UTF-8 without BOM", dash[:min(len(dash), 40)])
	}
}
