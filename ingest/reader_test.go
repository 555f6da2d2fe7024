package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/ivz-twente/jeugd/internal/golden"
	"github.com/ivz-twente/jeugd/internal/quarantine"
	"github.com/ivz-twente/jeugd/schemas"
)

// readAll drains r into text: a stats line, the accepted rows as JSON lines
// and the quarantine, one line per row error.
func readAll(t *testing.T, r *Reader, q *quarantine.Sink) string {
	t.Helper()
	var b bytes.Buffer
	var rows bytes.Buffer
	for r.Next() {
		if err := array.RecordToJSON(r.RecordBatch(), &rows); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Err(); err != nil {
		t.Fatalf("Err() = %v", err)
	}
	st := r.Stats()
	fmt.Fprintf(&b, "# read=%d accepted=%d quarantined=%d ignored=%q sheet=%q\n", st.Read, st.Accepted, st.Quarantined, st.Ignored, r.Sheet())
	b.Write(rows.Bytes())
	for _, e := range q.Errors() {
		fmt.Fprintf(&b, "quarantine %v\n", &e)
	}
	return b.String()
}

// readCSVFixture returns the cells of a ';'-separated Windows-1252 fixture.
// Fixtures have no quoted fields, so a split is enough.
func readCSVFixture(t *testing.T, path string) [][]string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text, err := charmap.Windows1252.NewDecoder().Bytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	for _, line := range strings.Split(strings.TrimRight(string(text), "\r\n"), "\r\n") {
		rows = append(rows, strings.Split(line, ";"))
	}
	return rows
}

var (
	dmy       = regexp.MustCompile(`^\d\d-\d\d-\d{4}$`)
	smallInt  = regexp.MustCompile(`^\d{1,8}$`)
	excelZero = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
)

// writeXLSX writes rows to a workbook the way spreadsheet exports look:
// titles above the header, dd-mm-jjjj cells as date-formatted Excel serials
// and short digit strings as numbers. Other cells stay text.
func writeXLSX(t testing.TB, path string, titles []string, rows [][]string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		t.Fatal(err)
	}
	row := 1
	for _, title := range titles {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := sw.SetRow(cell, []any{title}); err != nil {
			t.Fatal(err)
		}
		row++
	}
	vals := make([]any, 0, 32)
	for i, r := range rows {
		vals = vals[:0]
		for _, c := range r {
			switch {
			case i == 0:
				vals = append(vals, c)
			case dmy.MatchString(c):
				d, err := time.Parse("02-01-2006", c)
				if err != nil {
					vals = append(vals, c) // impossible dates stay text
					continue
				}
				serial := d.Sub(excelZero).Hours() / 24
				vals = append(vals, excelize.Cell{StyleID: dateStyle, Value: serial})
			case smallInt.MatchString(c):
				n, _ := strconv.Atoi(c)
				vals = append(vals, n)
			case c == "":
				vals = append(vals, nil)
			default:
				vals = append(vals, c)
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := sw.SetRow(cell, vals); err != nil {
			t.Fatal(err)
		}
		row++
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// TestReadGolden reads every source's fixture twice: as delivered (a ';'
// Windows-1252 CSV with CRLF, headers in other case and order) and as an
// XLSX generated from it with two title rows and Excel serial dates.
func TestReadGolden(t *testing.T) {
	set := schemas.Builtin()
	dirs, err := filepath.Glob("testdata/golden/*")
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) != len(set.Sources) {
		t.Errorf("%d golden dirs for %d sources", len(dirs), len(set.Sources))
	}
	for _, dir := range dirs {
		src := set.Source(filepath.Base(dir))
		if src == nil {
			t.Fatalf("%s: no source of that name", dir)
		}
		csvPath := filepath.Join(dir, "export.csv")
		xlsxPath := filepath.Join(t.TempDir(), "export.xlsx")
		writeXLSX(t, xlsxPath, []string{"Export " + src.Name(), "Aangemaakt op 01-01-2024"}, readCSVFixture(t, csvPath))
		for _, tc := range []struct{ kind, path string }{{"csv", csvPath}, {"xlsx", xlsxPath}} {
			t.Run(src.Name()+"/"+tc.kind, func(t *testing.T) {
				mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
				defer mem.AssertSize(t, 0)
				var q quarantine.Sink
				r, err := NewReader(context.Background(), tc.path, src, Options{Quarantine: &q, Mem: mem, Name: filepath.Base(tc.path), BatchSize: 2})
				if err != nil {
					t.Fatal(err)
				}
				defer r.Release()
				got := readAll(t, r, &q)
				golden.Check(t, filepath.Join(dir, "want-"+tc.kind+".txt"), []byte(got))
				st := r.Stats()
				if st.Read != st.Accepted+st.Quarantined || st.Quarantined == 0 || st.Accepted == 0 {
					t.Errorf("Stats() = %+v; want read = accepted + quarantined, both non-zero", st)
				}
			})
		}
		t.Run(src.Name()+"/detect", func(t *testing.T) {
			got, err := Detect(context.Background(), csvPath, set, Options{})
			if err != nil || got != src {
				t.Errorf("Detect(%s) = %v, %v; want %s", csvPath, got, err, src.Name())
			}
			got, err = Detect(context.Background(), xlsxPath, set, Options{})
			if err != nil || got != src {
				t.Errorf("Detect(%s) = %v, %v; want %s", xlsxPath, got, err, src.Name())
			}
		})
	}
}

// conformance is one logical file: rows of cells, the same in every format.
var conformance = [][]string{
	{"Rapportage JGZ"},
	{},
	{"BSN", "Achternaam", "Geboortedatum", "Signaaldatum", "Signaaltype", "Postcode"},
	{"111222333", "Müller", "01-02-2010", "15-07-2023", "opvoeding", "7511 ab"},
	{"", "Éclair € Jansen", "2011-03-04", "16-07-2023", "school; thuis", "7512CD"},
	{"222333444", "O'Brien", "31-02-2010", "17-07-2023", "opvoeding", ""},
	{"333444555", "de Boer", "01-02-2010", "18-07-2023", "regel 1\nregel 2", "7513EF"},
}

type variant struct {
	name string
	data func(t *testing.T) []byte
	wrap func(io.Reader) io.Reader
}

func csvBytes(delim string, crlf bool) []byte {
	var b bytes.Buffer
	eol := "\n"
	if crlf {
		eol = "\r\n"
	}
	for _, row := range conformance {
		for i, c := range row {
			if i > 0 {
				b.WriteString(delim)
			}
			if strings.ContainsAny(c, delim+"\n\"") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			b.WriteString(c)
		}
		b.WriteString(eol)
	}
	return b.Bytes()
}

func conformanceVariants() []variant {
	plain := func(r io.Reader) io.Reader { return r }
	csvv := func(delim string, crlf bool, enc func([]byte) []byte) func(t *testing.T) []byte {
		return func(t *testing.T) []byte { return enc(csvBytes(delim, crlf)) }
	}
	id := func(b []byte) []byte { return b }
	bom := func(b []byte) []byte { return append([]byte("\xef\xbb\xbf"), b...) }
	cp1252 := func(b []byte) []byte {
		out, err := charmap.Windows1252.NewEncoder().Bytes(b)
		if err != nil {
			panic(err)
		}
		return out
	}
	utf16 := func(b []byte) []byte {
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(b)
		if err != nil {
			panic(err)
		}
		return out
	}
	xlsx := func(t *testing.T) []byte {
		path := filepath.Join(t.TempDir(), "c.xlsx")
		var titles []string
		writeXLSX(t, path, titles, conformance)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var vs []variant
	for _, w := range []struct {
		name string
		fn   func(io.Reader) io.Reader
	}{{"", plain}, {"/onebyte", iotest.OneByteReader}, {"/dataerr", iotest.DataErrReader}} {
		vs = append(vs,
			variant{"csv-comma-lf" + w.name, csvv(",", false, id), w.fn},
			variant{"csv-semicolon-crlf-bom" + w.name, csvv(";", true, bom), w.fn},
			variant{"csv-tab" + w.name, csvv("\t", false, id), w.fn},
			variant{"csv-windows1252" + w.name, csvv(";", true, cp1252), w.fn},
			variant{"csv-utf16" + w.name, csvv(";", true, utf16), w.fn},
			variant{"xlsx" + w.name, xlsx, w.fn},
		)
	}
	return vs
}

// TestConformance reads the same logical file in every format and encoding
// through short reads; all must give the same rows, row numbers and
// quarantine.
func TestConformance(t *testing.T) {
	src := schemas.Builtin().Source("jgz-signalen")
	var ref string
	for _, v := range conformanceVariants() {
		t.Run(v.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
			defer mem.AssertSize(t, 0)
			var q quarantine.Sink
			r, err := newReader(context.Background(), v.wrap(bytes.NewReader(v.data(t))), "", src, Options{Quarantine: &q, Mem: mem, Name: "f"})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Release()
			got := strings.NewReplacer(`sheet="Sheet1"`, `sheet=""`, "f[Sheet1]:", "f:").Replace(readAll(t, r, &q))
			if ref == "" {
				ref = got
				golden.Check(t, "testdata/conformance.txt", []byte(got))
				return
			}
			if diff := cmp.Diff(ref, got); diff != "" {
				t.Errorf("%s differs from %s (-want +got):\n%s", v.name, "csv-comma-lf", diff)
			}
		})
	}
}

func TestFileErrors(t *testing.T) {
	src := schemas.Builtin().Source("politie-incidenten")
	dir := t.TempDir()
	zipped := filepath.Join(dir, "ok.xlsx")
	writeXLSX(t, zipped, nil, [][]string{{"Registratienummer", "Datum"}, {"PL1", "01-01-2023"}})
	good, err := os.ReadFile(zipped)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		data    []byte
		want    error
		message string // must appear in the error
	}{
		{"zero bytes", nil, ErrEmptyFile, ""},
		{"only a BOM", []byte("\xef\xbb\xbf"), ErrEmptyFile, ""},
		{"blank lines", []byte("\n\n  \n"), ErrEmptyFile, ""},
		{"no header", []byte("a;b;c\n1;2;3\n"), ErrNoHeader, ""},
		{"missing required", []byte("Regnr;Datum fiet;Postcode\nPL1;01-01-2023;7511AB\n"), ErrMissingColumn, `pleegdatum (closest header "Datum fiet")`},
		{"corrupt xlsx", append(append([]byte(nil), good[:len(good)/2]...), bytes.Repeat([]byte{0x55}, 100)...), ErrUnreadable, ""},
		{"zip magic only", []byte("PK\x03\x04garbage"), ErrUnreadable, ""},
		{"binary garbage", []byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 3, 0, 0x3e}, ErrUnreadable, ""},
		{"legacy xls", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"), ErrUnknownFormat, ".xls"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_"))
			if err := os.WriteFile(path, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			r, err := NewReader(context.Background(), path, src, Options{})
			if err == nil {
				r.Release()
				t.Fatalf("NewReader(%s) = nil error; want %v", tt.name, tt.want)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("NewReader(%s) = %v; want errors.Is %v", tt.name, err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("NewReader(%s) = %q; want it to contain %q", tt.name, err, tt.message)
			}
		})
	}
}

func TestHeaderOnly(t *testing.T) {
	src := schemas.Builtin().Source("politie-incidenten")
	r, err := newReader(context.Background(), strings.NewReader("Registratienummer;Datum\r\n"), "", src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Release()
	if r.Next() {
		t.Error("Next() = true for a header-only file")
	}
	if st := r.Stats(); st.Read != 0 || st.Accepted != 0 || st.Quarantined != 0 || r.Err() != nil {
		t.Errorf("Stats() = %+v, Err() = %v; want zero counts and no error", st, r.Err())
	}
}

func TestHugeField(t *testing.T) {
	src := schemas.Builtin().Source("politie-incidenten")
	in := io.MultiReader(strings.NewReader("Registratienummer;Datum;Omschrijving\nPL1;01-01-2023;"),
		strings.NewReader(strings.Repeat("x", 10<<20)), strings.NewReader("\n"))
	// The header scan reaches the record, so NewReader fails the file.
	r, err := newReader(context.Background(), in, "", src, Options{Name: "huge.csv"})
	if err == nil {
		r.Release()
	}
	if !errors.Is(err, ErrUnreadable) {
		t.Errorf("newReader = %v; want ErrUnreadable", err)
	}
	// Past the header scan the Reader fails instead.
	in = io.MultiReader(strings.NewReader("Registratienummer;Datum;Omschrijving\n"+strings.Repeat("PL1;01-01-2023;x\n", 30)+"PL1;01-01-2023;"),
		strings.NewReader(strings.Repeat("x", 10<<20)), strings.NewReader("\n"))
	r, err = newReader(context.Background(), in, "", src, Options{Name: "huge.csv"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Release()
	for r.Next() {
	}
	if !errors.Is(r.Err(), ErrUnreadable) || r.Stats().Accepted != 30 {
		t.Errorf("Err() = %v, Stats() = %+v; want ErrUnreadable after 30 rows", r.Err(), r.Stats())
	}
}

func TestDetectAmbiguousAndNoSource(t *testing.T) {
	set := schemas.Builtin()
	tests := []struct {
		name, in string
		want     error
	}{
		// Every politie person source requires only these three.
		{"ambiguous", "Registratienummer;Geboortedatum;Pleegdatum\n", ErrAmbiguous},
		{"no source", "Kleur;Maat\nrood;L\n", ErrNoSource},
	}
	for _, tt := range tests {
		src, err := detect(context.Background(), strings.NewReader(tt.in), "", set, Options{Name: tt.name})
		if !errors.Is(err, tt.want) {
			t.Errorf("detect(%s) = %v, %v; want %v", tt.name, src, err, tt.want)
		}
	}
}

func TestSheetChoice(t *testing.T) {
	src := schemas.Builtin().Source("politie-incidenten")
	path := filepath.Join(t.TempDir(), "two.xlsx")
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Toelichting", "Dit blad is leeg"})
	f.NewSheet("Data")
	f.SetSheetRow("Data", "A1", &[]any{"Incidenten Twente"})
	f.SetSheetRow("Data", "A3", &[]any{"Periode:", "januari t/m maart 2023"})
	f.SetSheetRow("Data", "A5", &[]any{"Registratienummer", "Datum"})
	f.SetSheetRow("Data", "A6", &[]any{"PL1", "01-01-2023"})
	f.SetSheetRow("Data", "A9", &[]any{"PL2", 45000})
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var q quarantine.Sink
	r, err := NewReader(context.Background(), path, src, Options{Quarantine: &q})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Release()
	got := readAll(t, r, &q)
	want := `# read=2 accepted=2 quarantined=0 ignored=[] sheet="Data"` + "\n" +
		`{"_rij":6,"incidentcode":null,"incidentomschrijving":null,"pleeg_buurtcode":null,"pleeg_gemeente":null,"pleeg_huisnummer":null,"pleeg_huisnummertoevoeging":null,"pleeg_lat":null,"pleeg_lon":null,"pleeg_plaats":null,"pleeg_postcode":null,"pleeg_straat":null,"pleeg_x":null,"pleeg_y":null,"pleegdatum":"2023-01-01","pleegtijd":null,"registratienummer":"PL1"}` + "\n" +
		`{"_rij":9,"incidentcode":null,"incidentomschrijving":null,"pleeg_buurtcode":null,"pleeg_gemeente":null,"pleeg_huisnummer":null,"pleeg_huisnummertoevoeging":null,"pleeg_lat":null,"pleeg_lon":null,"pleeg_plaats":null,"pleeg_postcode":null,"pleeg_straat":null,"pleeg_x":null,"pleeg_y":null,"pleegdatum":"2023-03-15","pleegtijd":null,"registratienummer":"PL2"}` + "\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// The rows above the header are the titles; the other sheet's are not.
	if diff := cmp.Diff([]string{"Incidenten Twente", "Periode:", "januari t/m maart 2023"}, r.Titles()); diff != "" {
		t.Errorf("Titles (-want +got):\n%s", diff)
	}
	if _, err := NewReader(context.Background(), path, src, Options{Sheet: "Sheet1"}); !errors.Is(err, ErrNoHeader) {
		t.Errorf("NewReader(Sheet1) = %v; want ErrNoHeader", err)
	}
	if _, err := NewReader(context.Background(), path, src, Options{Sheet: "Nope"}); !errors.Is(err, ErrNoHeader) {
		t.Errorf("NewReader(Nope) = %v; want ErrNoHeader", err)
	}
}

// validBSN returns a nine-digit number that passes the elfproef, built
// from seed so that each canary is unique.
func validBSN(seed int) string {
	for n := 100000000 + seed*7919; ; n++ {
		s := strconv.Itoa(n)
		sum := 0
		for i := 0; i < 8; i++ {
			sum += int(s[i]-'0') * (9 - i)
		}
		sum -= int(s[8] - '0')
		if sum%11 == 0 {
			return s
		}
	}
}

// TestCanary plants identifying values in rows that are quarantined for
// every reason and proves none of them reaches an error, a log line, the
// quarantine or its CSV report.
func TestCanary(t *testing.T) {
	src := schemas.Builtin().Source("politie-verdachten")
	var planted []string
	bsn := func() string { s := validBSN(len(planted) + 1); planted = append(planted, s); return s }
	name := func() string { s := fmt.Sprintf("Zqwx%dvaar", len(planted)); planted = append(planted, s); return s }
	pc := func() string { s := fmt.Sprintf("98%02dKX", len(planted)); planted = append(planted, s); return s }
	hnr := func() string { s := strconv.Itoa(8100 + len(planted)); planted = append(planted, s); return s }
	header := "BVH nummer;Pleegdatum;Geboortedatum;BSN;Achternaam;Postcode;Huisnummer;Pleeg X;Geslacht;Vrije tekst\n"
	rows := []string{
		"PL1;32-01-2023;01-01-2007;" + bsn() + ";" + name() + ";" + pc() + ";" + hnr() + ";;m;x\n",   // bad date
		"PL2;01-01-2023;;" + bsn() + ";" + name() + ";" + pc() + ";" + hnr() + ";;m;x\n",             // missing
		"PL3;01-01-2023;01-01-2007;" + bsn() + ";" + name() + ";" + name() + ";" + hnr() + ";;m;x\n", // bad postcode holding a name
		"PL4;01-01-2023;01-01-2007;" + bsn() + ";" + name() + ";" + pc() + ";" + name() + ";;m;x\n",  // bad huisnummer holding a name
		"PL5;01-01-2023;01-01-2007;" + bsn() + ";" + name() + ";" + pc() + ";" + hnr() + ";" + bsn() + "x;m;x\n",
		"PL6;01-01-2023;01-01-2007;" + bsn() + ";" + name() + ";" + pc() + ";" + hnr() + ";;m;x;" + bsn() + ";" + name() + "\n", // too many cells
		"PL7;" + bsn() + ";01-01-2007;" + name() + ";" + name() + ";" + pc() + ";" + hnr() + ";;m;x\n",                          // BSN where a date belongs
	}
	in := header + strings.Join(rows, "")
	var logs bytes.Buffer
	var q quarantine.Sink
	log := zerolog.New(&logs).Level(zerolog.DebugLevel)
	var out bytes.Buffer
	for _, kind := range []string{"csv", "xlsx"} {
		path := filepath.Join(t.TempDir(), "canary."+kind)
		if kind == "csv" {
			if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
				t.Fatal(err)
			}
		} else {
			var cells [][]string
			for _, l := range strings.Split(strings.TrimSpace(in), "\n") {
				cells = append(cells, strings.Split(l, ";"))
			}
			writeXLSX(t, path, []string{"Export"}, cells)
		}
		r, err := NewReader(context.Background(), path, src, Options{Quarantine: &q, Log: log})
		if err != nil {
			t.Fatal(err)
		}
		for r.Next() {
		}
		st := r.Stats()
		fmt.Fprintln(&out, r.Err(), st)
		if st.Accepted != 0 || st.Quarantined != len(rows) {
			t.Errorf("%s: Stats() = %+v; want all %d rows quarantined", kind, st, len(rows))
		}
		r.Release()
		// A missing column error quotes headers; planted values are not headers.
		_, err = newReader(context.Background(), strings.NewReader("BVH nummer;"+planted[0]+"\nPL1;x\n"), "", src, Options{Log: log})
		fmt.Fprintln(&out, err)
	}
	for _, e := range q.Errors() {
		fmt.Fprintln(&out, e.Error())
	}
	out.Write(logs.Bytes())
	if q.Count() < 2*len(rows) {
		t.Errorf("quarantine has %d errors; want at least %d", q.Count(), 2*len(rows))
	}
	for _, p := range planted {
		if strings.Contains(out.String(), p) {
			t.Errorf("planted value %q leaked into output:\n%s", p, out.String())
		}
	}
}

func FuzzCSVReader(f *testing.F) {
	f.Add([]byte("Registratienummer;Datum;X\nPL1;01-01-2023;1,5\nPL2;31-02-2023;x\n"))
	f.Add([]byte("\xef\xbb\xbfregnr,datum\r\n\"a,b\",45000\r\n,\r\n"))
	f.Add([]byte("titel\n\nRegistratienummer\tDatum\tHuisnummer\n\"x\ny\"\t1-1-2023\t12a\n1\t2\t3\t4\n"))
	f.Add([]byte("Registratienummer;Datum\n\x80\x81\xff;01-01-2023\n"))
	f.Add([]byte("\xff\xfeR\x00e\x00g\x00n\x00r\x00;\x00d\x00a\x00t\x00u\x00m\x00\n\x00"))
	src := schemas.Builtin().Source("politie-incidenten")
	f.Fuzz(func(t *testing.T, data []byte) {
		var q quarantine.Sink
		r, err := newReader(context.Background(), bytes.NewReader(data), "", src, Options{Quarantine: &q, BatchSize: 3})
		if err != nil {
			return
		}
		defer r.Release()
		accepted := 0
		for r.Next() {
			accepted += int(r.RecordBatch().NumRows())
		}
		st := r.Stats()
		if st.Read != st.Accepted+st.Quarantined {
			t.Fatalf("Stats() = %+v; read != accepted + quarantined", st)
		}
		if r.Err() == nil && accepted != st.Accepted {
			t.Fatalf("batches hold %d rows; Stats().Accepted = %d", accepted, st.Accepted)
		}
	})
}
