package demo

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/ivz-twente/jeugd/ingest"
	"github.com/ivz-twente/jeugd/schemas"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

// squareRef is a hand-made region: two gemeenten of three 1 km square
// buurten each, in RD near Borne, without a postcode table.
func squareRef() *geocode.Reference {
	ref := &geocode.Reference{Gemeenten: []geocode.Gemeente{{Code: "GM0147", Naam: "Borne"}, {Code: "GM1742", Naam: "Rijssen-Holten"}}}
	for gi, gm := range ref.Gemeenten {
		for b := range 3 {
			x0, y0 := 250000.0+float64(b)*1000, 475000.0+float64(gi)*1000
			code := "BU" + gm.Code[2:] + "010" + string(rune('1'+b))
			ref.Buurten = append(ref.Buurten, geocode.Buurt{
				Code: code, Naam: "Buurt " + code[8:], Wijkcode: "WK" + gm.Code[2:] + "01", Wijknaam: "Wijk 01",
				Gemeentecode: gm.Code, Gemeentenaam: gm.Naam,
				Geometry: orb.MultiPolygon{{{{x0, y0}, {x0 + 1000, y0}, {x0 + 1000, y0 + 1000}, {x0, y0 + 1000}, {x0, y0}}}},
			})
		}
	}
	return ref
}

var builtin = schemas.Builtin()

var testToday = time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC)

func writeInbox(t *testing.T, opts InboxOptions) (string, InboxStats) {
	t.Helper()
	dir := t.TempDir()
	st, err := WriteInbox(dir, squareRef(), opts)
	if err != nil {
		t.Fatalf("WriteInbox(%+v): %v", opts, err)
	}
	return dir, st
}

func TestWriteInboxDeterministic(t *testing.T) {
	opts := InboxOptions{Seed: 7, Rows: 3000, Today: testToday, Messy: true}
	dirA, stA := writeInbox(t, opts)
	dirB, stB := writeInbox(t, opts)
	if diff := cmp.Diff(stA, stB); diff != "" {
		t.Errorf("stats differ between runs (-a +b):\n%s", diff)
	}
	for _, f := range stA.Files {
		a, errA := os.ReadFile(filepath.Join(dirA, f.Path))
		b, errB := os.ReadFile(filepath.Join(dirB, f.Path))
		if errA != nil || errB != nil {
			t.Fatalf("reading %s: %v, %v", f.Path, errA, errB)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs with the same options", f.Path)
		}
	}
	opts.Seed = 8
	dirC, _ := writeInbox(t, opts)
	a, _ := os.ReadFile(filepath.Join(dirA, stA.Files[0].Path))
	c, _ := os.ReadFile(filepath.Join(dirC, stA.Files[0].Path))
	if bytes.Equal(a, c) {
		t.Errorf("%s is the same for seeds 7 and 8", stA.Files[0].Path)
	}
}

func TestWriteInboxRows(t *testing.T) {
	for _, rows := range []int{500, 20_000} {
		opts := InboxOptions{Seed: 1, Rows: rows, Today: testToday, Messy: true}
		dir, st := writeInbox(t, opts)
		if got := st.Total(); got < rows*93/100 || got > rows*107/100 {
			t.Errorf("rows %d: wrote %d rows in total", rows, got)
		}
		wantSources := builtin.Names()
		if got := slices.Sorted(maps.Keys(st.Sources)); !slices.Equal(got, wantSources) {
			t.Errorf("rows %d: sources %v, want %v", rows, got, wantSources)
		}
		perSource := map[string]int{}
		xlsxRows := 0
		for _, f := range st.Files {
			perSource[f.Source] += f.Rows
			got := countRows(t, filepath.Join(dir, f.Path), f)
			if got != f.Rows {
				t.Errorf("%s: %d data rows in the file, stats say %d", f.Path, got, f.Rows)
			}
			if f.XLSX {
				xlsxRows += f.Rows
			}
		}
		for name, s := range st.Sources {
			if perSource[name] != s.Rows {
				t.Errorf("%s: files hold %d rows, source stats %d", name, perSource[name], s.Rows)
			}
			if s.Rows == 0 {
				t.Errorf("rows %d: source %s is empty", rows, name)
			}
		}
		if xlsxRows == 0 || xlsxRows > rows/10 {
			t.Errorf("rows %d: %d rows in XLSX, want 1..%d", rows, xlsxRows, rows/10)
		}
	}
}

// countRows counts data rows: lines after the header for CSV (no value
// holds a line break), rows after the header for XLSX.
func countRows(t *testing.T, path string, f FileStats) int {
	t.Helper()
	if f.XLSX {
		rows := xlsxRows(t, path)
		return len(rows) - headerRow(rows) - 1
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Count(data, []byte("\n")) - 1
}

func xlsxRows(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("excelize cannot open %s: %v", path, err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0], excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

// headerRow is the 0-based index of the first row with more than two cells.
func headerRow(rows [][]string) int {
	for i, r := range rows {
		if len(r) > 2 {
			return i
		}
	}
	return -1
}

func TestWriteInboxXLSX(t *testing.T) {
	dir, st := writeInbox(t, InboxOptions{Seed: 3, Rows: 4000, Today: testToday})
	var titled, plain int
	serial := regexp.MustCompile(`^4[0-9]{4}$`) // Excel serials of 2009..2036
	for _, f := range st.Files {
		if !f.XLSX {
			continue
		}
		rows := xlsxRows(t, filepath.Join(dir, f.Path))
		h := headerRow(rows)
		switch h {
		case 0:
			plain++
		case 2:
			titled++
		default:
			t.Errorf("%s: header on row %d", f.Path, h+1)
		}
		// The event date column holds Excel serials.
		src := builtin.Source(f.Source)
		col := -1
		for i, name := range rows[h] {
			if fd := fieldOf(src, name); fd != nil && fd.Name == src.Datum {
				col = i
			}
		}
		if col < 0 {
			t.Fatalf("%s: no %s column in %q", f.Path, src.Datum, rows[h])
		}
		if v := rows[h+1][col]; !serial.MatchString(v) {
			t.Errorf("%s: %s cell %q is not an Excel serial", f.Path, src.Datum, v)
		}
	}
	if titled != 1 || plain == 0 {
		t.Errorf("XLSX files: %d with title rows, %d plain; want 1 and some", titled, plain)
	}
}

var fieldCache = map[[2]string]*schemas.Field{}

// fieldOf maps a header as written to its field, or nil.
func fieldOf(src *schemas.Source, header string) *schemas.Field {
	k := [2]string{src.Name(), header}
	if f, ok := fieldCache[k]; ok {
		return f
	}
	f := lookupField(src, header)
	fieldCache[k] = f
	return f
}

func lookupField(src *schemas.Source, header string) *schemas.Field {
	n := schemas.Normalize(header)
	for i := range src.Fields {
		f := &src.Fields[i]
		if schemas.Normalize(f.Name) == n {
			return f
		}
		for _, a := range f.Aliases {
			if schemas.Normalize(a) == n {
				return f
			}
		}
	}
	return nil
}

// cells reads every cell of every file as UTF-8 text, with its header.
func cells(t *testing.T, dir string, st InboxStats, fn func(f FileStats, header, value string)) {
	t.Helper()
	for _, f := range st.Files {
		path := filepath.Join(dir, f.Path)
		var rows [][]string
		if f.XLSX {
			rows = xlsxRows(t, path)
			rows = rows[headerRow(rows):]
		} else {
			rows = readCSV(t, path)
		}
		for _, r := range rows[1:] {
			for i, v := range r {
				h := ""
				if i < len(rows[0]) {
					h = rows[0][i]
				}
				fn(f, h, v)
			}
		}
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		if data, err = charmap.Windows1252.NewDecoder().Bytes(data); err != nil {
			t.Fatal(err)
		}
	}
	header, _, _ := bytes.Cut(data, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.Comma = ';'
	for _, c := range []rune{'\t', ','} {
		if bytes.Count(header, []byte(string(c))) > bytes.Count(header, []byte(string(r.Comma))) {
			r.Comma = c
		}
	}
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

// demoRef is the demo region, which has a postcode table.
func demoRef(t testing.TB) *geocode.Reference {
	t.Helper()
	dir := t.TempDir()
	if err := WriteRegion(dir, 1); err != nil {
		t.Fatal(err)
	}
	ref, err := geocode.LoadReference(dir)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func TestWriteInboxCanary(t *testing.T) {
	ref := demoRef(t)
	for _, messy := range []bool{false, true} {
		dir := t.TempDir()
		st, err := WriteInbox(dir, ref, InboxOptions{Seed: 5, Rows: 3000, Today: testToday, Canary: true, Messy: messy})
		if err != nil {
			t.Fatal(err)
		}
		checkCanaries(t, dir, st, messy)
	}
}

func checkCanaries(t *testing.T, dir string, st InboxStats, messy bool) {
	t.Helper()
	if len(st.Canaries) < 3000 {
		t.Fatalf("messy %v: %d canaries for 3000 rows", messy, len(st.Canaries))
	}
	seen := map[string]bool{}
	for _, c := range st.Canaries {
		if seen[c] {
			t.Errorf("canary %q planted twice", c)
		}
		seen[c] = true
	}
	shapes := map[string]*regexp.Regexp{
		"bsn":        regexp.MustCompile(`^[0-9]{9}$`),
		"postcode":   regexp.MustCompile(`^[1-9][0-9]{3}[A-Z]{2}$`),
		"coordinate": regexp.MustCompile(`^[0-9]{5,6}[,.][0-9]{2}$`),
		"token":      regexp.MustCompile(`Q[a-z]{8}`),
		"regnr":      regexp.MustCompile(`^PL0600-[0-9]{11}$`),
		"parketnr":   regexp.MustCompile(`^05/[0-9]{7}-[0-9]{2}$`),
	}
	for name, re := range shapes {
		n := 0
		for _, c := range st.Canaries {
			if re.MatchString(c) {
				n++
			}
		}
		if n == 0 {
			t.Errorf("messy %v: no %s canary", messy, name)
		}
	}
	// Every canary is a whole cell value somewhere; every identifier cell
	// is a canary.
	found := map[string]bool{}
	identifier := map[string]bool{"bsn": true, "achternaam": true, "voornamen": true, "registratienummer": true,
		"parketnummer": true, "school": true, "brin": true, "woon_straat": true, "pleeg_straat": true,
		"woon_postcode": true, "pleeg_postcode": true, "pleeg_x": true, "pleeg_y": true, "pleeg_lat": true,
		"pleeg_lon": true, "incidentomschrijving": true, "feitomschrijving": true, "afhandeling": true,
		"afdoening": true, "afloop": true}
	cells(t, dir, st, func(f FileStats, header, v string) {
		if seen[v] {
			found[v] = true
		}
		fd := fieldOf(builtin.Source(f.Source), header)
		if fd == nil || v == "" {
			return
		}
		if identifier[fd.Name] && !seen[v] && !(f.XLSX && shapes["coordinate"].MatchString(v)) {
			t.Errorf("%s: %s value is not a canary", f.Path, fd.Name)
		}
		if fd.Name == "bsn" && !messy && (!shapes["bsn"].MatchString(v) || !elfproef(v)) {
			t.Errorf("%s: canary BSN fails the elfproef", f.Path)
		}
	})
	missing := 0
	for _, c := range st.Canaries {
		if !found[c] {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("messy %v: %d of %d canaries are not in the inbox", messy, missing, len(st.Canaries))
	}
}

func elfproef(s string) bool {
	sum := 0
	for i := range 8 {
		sum += (9 - i) * int(s[i]-'0')
	}
	return (sum-int(s[8]-'0'))%11 == 0
}

func TestBSNOf(t *testing.T) {
	seen := map[[9]byte]int{}
	for _, p := range []int{0, 1, 2, 3, 1000, 123_456, bsnBlocks - 1} {
		var b [9]byte
		bsnOf(p, &b)
		if !elfproef(string(b[:])) || b[0] == '0' {
			t.Errorf("bsnOf(%d) = %s, fails the elfproef", p, b)
		}
		if q, ok := seen[b]; ok {
			t.Errorf("bsnOf(%d) = bsnOf(%d) = %s", p, q, b)
		}
		seen[b] = p
	}
}

func TestWriteInboxMessy(t *testing.T) {
	dir, st := writeInbox(t, InboxOptions{Seed: 9, Rows: 8000, Today: testToday, Messy: true})
	kinds := map[ingest.Kind]int{}
	invalid := 0
	for name, s := range st.Sources {
		if s.BadTotal() == 0 || s.BadTotal() > s.Rows/20 {
			t.Errorf("%s: %d bad rows of %d", name, s.BadTotal(), s.Rows)
		}
		for k, n := range s.Bad {
			kinds[k] += n
		}
		invalid += s.InvalidBSN
	}
	for _, k := range []ingest.Kind{ingest.KindMissing, ingest.KindBadDate, ingest.KindBirthAfter,
		ingest.KindFieldCount, ingest.KindNoLocation} {
		if kinds[k] == 0 {
			t.Errorf("no rows planted for %v", k)
		}
	}
	if invalid == 0 {
		t.Error("no BSN failing the elfproef")
	}
	// Accepted but awkward values are there too.
	patterns := map[string]*regexp.Regexp{
		"postcode 1234 ab": regexp.MustCompile(`^[0-9]{4} [a-z]{2}$`),
		"postcode 1234_AB": regexp.MustCompile(`^[0-9]{4}_[A-Z]{2}$`),
		"date d-m-jjjj":    regexp.MustCompile(`^[1-9]-[1-9]-20[0-9]{2}$`),
		"date jjjj-mm-dd":  regexp.MustCompile(`^20[0-9]{2}-[0-9]{2}-[0-9]{2}$`),
		"date dd-mm-jjjj":  regexp.MustCompile(`^[0-9]{2}-[0-9]{2}-20[0-9]{2}$`),
		"decimal comma":    regexp.MustCompile(`^2[0-9]{5},[0-9]{2}$`),
		"accented name":    regexp.MustCompile(`[éëïöüçÖÇ]`),
	}
	hits := map[string]int{}
	cells(t, dir, st, func(_ FileStats, _, v string) {
		for name, re := range patterns {
			if re.MatchString(v) {
				hits[name]++
			}
		}
	})
	for name := range patterns {
		if hits[name] == 0 {
			t.Errorf("no %s in the inbox", name)
		}
	}
}

// TestWriteInboxIngest reads every file with the ingest stage: every row is
// read, and exactly the rows planted for ingest are quarantined, by kind.
func TestWriteInboxIngest(t *testing.T) {
	for name, ref := range map[string]*geocode.Reference{"squares": squareRef(), "demo": demoRef(t)} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			st, err := WriteInbox(dir, ref, InboxOptions{Seed: 11, Rows: 6000, Today: testToday, Messy: true})
			if err != nil {
				t.Fatal(err)
			}
			checkIngest(t, dir, st)
		})
	}
}

func checkIngest(t *testing.T, dir string, st InboxStats) {
	set := builtin
	got := map[string]map[ingest.Kind]int{}
	birthAfter := map[string]int{}
	ages := map[string]int{} // politie-verdachten by age class
	for _, f := range st.Files {
		src := set.Source(f.Source)
		var q ingest.Collector
		r, err := ingest.NewReader(context.Background(), filepath.Join(dir, f.Path), src, ingest.Options{Quarantine: &q})
		if err != nil {
			t.Errorf("%s: %v", f.Path, err)
			continue
		}
		for r.Next() {
			birthAfter[f.Source] += countBirthAfter(r.RecordBatch(), src.Datum)
			if f.Source == "politie-verdachten" {
				ageYears(r.RecordBatch(), src.Datum, ages)
			}
		}
		if err := r.Err(); err != nil && err != io.EOF {
			t.Errorf("%s: %v", f.Path, err)
		}
		if s := r.Stats(); s.Read != f.Rows || len(s.Ignored) > 0 {
			t.Errorf("%s: ingest read %d rows (ignored headers %q), wrote %d", f.Path, s.Read, s.Ignored, f.Rows)
		}
		r.Release()
		if got[f.Source] == nil {
			got[f.Source] = map[ingest.Kind]int{}
		}
		// Count rows, not cells: a row is quarantined once per bad cell.
		rows := map[int]ingest.Kind{}
		for _, e := range q.Errors() {
			rows[e.Row] = e.Kind
		}
		for _, k := range rows {
			got[f.Source][k]++
		}
	}
	total := ages["0-11"] + ages["12-17"] + ages["18-22"] + ages["23+"]
	if ages["12-17"] < total/2 || ages["18-22"] == 0 || ages["23+"] == 0 {
		t.Errorf("politie-verdachten by age at the pleegdatum: %v, want mostly 12-17 and some older", ages)
	}
	for name, s := range st.Sources {
		want := map[ingest.Kind]int{}
		for k, n := range s.Bad {
			if k != ingest.KindBirthAfter && k != ingest.KindNoLocation {
				want[k] = n
			}
		}
		if diff := cmp.Diff(want, got[name]); diff != "" {
			t.Errorf("%s: quarantined rows by kind (-planted +ingest):\n%s", name, diff)
		}
		if birthAfter[name] != s.Bad[ingest.KindBirthAfter] {
			t.Errorf("%s: %d accepted rows born after the event, planted %d", name, birthAfter[name], s.Bad[ingest.KindBirthAfter])
		}
	}
}

// ageYears counts accepted rows by age class at the event date.
func ageYears(b arrow.RecordBatch, datum string, classes map[string]int) {
	geb := b.Column(b.Schema().FieldIndices("geboortedatum")[0]).(*array.Date32)
	ev := b.Column(b.Schema().FieldIndices(datum)[0]).(*array.Date32)
	for i := range int(b.NumRows()) {
		if !geb.IsValid(i) || !ev.IsValid(i) || geb.Value(i) > ev.Value(i) {
			continue
		}
		g, e := geb.Value(i).ToTime(), ev.Value(i).ToTime()
		age := e.Year() - g.Year()
		if e.YearDay() < g.YearDay() {
			age-- // close enough for a distribution check
		}
		switch {
		case age < 12:
			classes["0-11"]++
		case age < 18:
			classes["12-17"]++
		case age < 23:
			classes["18-22"]++
		default:
			classes["23+"]++
		}
	}
}

// countBirthAfter counts rows whose geboortedatum follows the event date.
func countBirthAfter(b arrow.RecordBatch, datum string) int {
	gi := b.Schema().FieldIndices("geboortedatum")
	di := b.Schema().FieldIndices(datum)
	if len(gi) == 0 || len(di) == 0 {
		return 0
	}
	geb, ev := b.Column(gi[0]).(*array.Date32), b.Column(di[0]).(*array.Date32)
	n := 0
	for i := range int(b.NumRows()) {
		if geb.IsValid(i) && ev.IsValid(i) && geb.Value(i) > ev.Value(i) {
			n++
		}
	}
	return n
}

func TestInteriorPoints(t *testing.T) {
	ref := squareRef()
	g, err := newGen(ref, InboxOptions{Seed: 1, Rows: 1000, Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range g.buurten {
		for _, p := range b.pts {
			pt := orb.Point{float64(p[0]) / 100, float64(p[1]) / 100}
			if !planar.MultiPolygonContains(ref.Buurten[i].Geometry, pt) {
				t.Errorf("%s: point %v outside", b.code, pt)
			}
		}
	}
}

// TestWriteInboxTwente uses the real CBS reference data for Twente: no
// postcode table, and some buurten without a polygon.
func TestWriteInboxTwente(t *testing.T) {
	refDir := filepath.Join("..", "..", "shared", "data")
	if _, err := os.Stat(refDir); err != nil {
		t.Skipf("no Twente reference data at %s: %v", refDir, err)
	}
	ref, err := geocode.LoadReference(refDir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := WriteInbox(t.TempDir(), ref, InboxOptions{Seed: 4, Rows: 4000, Today: testToday, Messy: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Total(); got < 3700 || got > 4300 {
		t.Errorf("wrote %d rows, want about 4000", got)
	}
	g, err := newGen(ref, InboxOptions{Seed: 4, Rows: 4000, Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	withPoints := 0
	for i, b := range g.buurten {
		if len(b.pts) > 0 {
			withPoints++
		}
		for _, p := range b.pts {
			if pt := (orb.Point{float64(p[0]) / 100, float64(p[1]) / 100}); !planar.MultiPolygonContains(ref.Buurten[i].Geometry, pt) {
				t.Errorf("%s: point %v outside its buurt", b.code, pt)
			}
		}
	}
	if withPoints == 0 {
		t.Error("no buurt with coordinates")
	}
}

func BenchmarkWriteInbox(b *testing.B) {
	ref := squareRef()
	rows := 200_000
	for _, xlsx := range []float64{-1, 0} {
		name := "csv"
		if xlsx == 0 {
			name = "xlsx10pct"
		}
		b.Run(name, func(b *testing.B) {
			dir := b.TempDir()
			start := time.Now()
			n := 0
			for b.Loop() {
				st, err := WriteInbox(dir, ref, InboxOptions{Seed: 1, Rows: rows, Today: testToday, Messy: true, XLSXShare: xlsx})
				if err != nil {
					b.Fatal(err)
				}
				n += st.Total()
			}
			b.ReportMetric(float64(n)/time.Since(start).Seconds(), "rows/s")
		})
	}
}

// TestWriteInboxLinks checks that persons recur across police, OM and
// Halt, and that victims and OM cases share registratienummers with
// suspects.
func TestWriteInboxLinks(t *testing.T) {
	dir, st := writeInbox(t, InboxOptions{Seed: 12, Rows: 10_000, Today: testToday})
	values := map[string]map[string]bool{} // "source field" -> values
	cells(t, dir, st, func(f FileStats, header, v string) {
		fd := fieldOf(builtin.Source(f.Source), header)
		if fd == nil || v == "" || (fd.Name != "bsn" && fd.Name != "registratienummer") {
			return
		}
		k := f.Source + " " + fd.Name
		if values[k] == nil {
			values[k] = map[string]bool{}
		}
		values[k][v] = true
	})
	shared := func(a, b string) int {
		n := 0
		for v := range values[a] {
			if values[b][v] {
				n++
			}
		}
		return n
	}
	for _, pair := range [][2]string{
		{"politie-verdachten bsn", "om-zaken bsn"},
		{"politie-verdachten bsn", "halt-verwijzingen bsn"},
		{"om-zaken bsn", "halt-verwijzingen bsn"},
		{"politie-verdachten registratienummer", "politie-slachtoffers registratienummer"},
		{"politie-verdachten registratienummer", "om-zaken registratienummer"},
	} {
		if n := shared(pair[0], pair[1]); n < 10 {
			t.Errorf("%s and %s share %d values, want at least 10", pair[0], pair[1], n)
		}
	}
	if n := shared("politie-incidenten registratienummer", "politie-verdachten registratienummer"); n != 0 {
		t.Errorf("incidents share %d registratienummers with suspects, want none", n)
	}
}

// TestWriteInboxGeocodes writes an inbox for the demo region (which has a
// postcode table), reads it with ingest and resolves every location: the
// pleeglocaties use every method, only the planted rows stay unresolved,
// and every home resolves by postcode and house number.
func TestWriteInboxGeocodes(t *testing.T) {
	ref := demoRef(t)
	dir := t.TempDir()
	st, err := WriteInbox(dir, ref, InboxOptions{Seed: 2, Rows: 6000, Today: testToday, Messy: true})
	if err != nil {
		t.Fatal(err)
	}
	gc := geocode.NewGeocoder(ref)
	pleeg := map[geocode.Method]int{}
	woon := map[string]map[geocode.Method]int{}
	for _, f := range st.Files {
		src := builtin.Source(f.Source)
		r, err := ingest.NewReader(context.Background(), filepath.Join(dir, f.Path), src, ingest.Options{})
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		for r.Next() {
			b := r.RecordBatch()
			for i := range int(b.NumRows()) {
				if src.Has("pleeg_x") {
					loc := readLocation(b, i, "pleeg_")
					if f.Source == "politie-incidenten" {
						pleeg[gc.Locate(&loc).Method]++
					}
				}
				if src.Has("woon_postcode") {
					loc := readLocation(b, i, "woon_")
					if woon[f.Source] == nil {
						woon[f.Source] = map[geocode.Method]int{}
					}
					woon[f.Source][gc.Locate(&loc).Method]++
				}
			}
		}
		r.Release()
	}
	for _, m := range []geocode.Method{geocode.MethodBuurtcode, geocode.MethodPostcodeHuisnummer,
		geocode.MethodCoordinaten, geocode.MethodPostcode, geocode.MethodGemeente} {
		if pleeg[m] == 0 {
			t.Errorf("politie-incidenten: no pleeglocatie resolved by %s (%v)", m, pleeg)
		}
	}
	if want := st.Sources["politie-incidenten"].Bad[ingest.KindNoLocation]; pleeg[geocode.MethodOnbekend] != want {
		t.Errorf("politie-incidenten: %d unresolved pleeglocaties, planted %d", pleeg[geocode.MethodOnbekend], want)
	}
	for name, ms := range woon {
		if len(ms) != 1 || ms[geocode.MethodPostcodeHuisnummer] == 0 {
			t.Errorf("%s: woonlocaties resolved by %v, want postcode_huisnummer only", name, ms)
		}
	}
}

// readLocation reads the location columns with prefix ("pleeg_", "woon_") of
// row i.
func readLocation(b arrow.RecordBatch, i int, prefix string) geocode.Location {
	var l geocode.Location
	str := func(name string) string {
		if c := b.Schema().FieldIndices(prefix + name); len(c) > 0 {
			if a := b.Column(c[0]).(*array.String); a.IsValid(i) {
				return a.Value(i)
			}
		}
		return ""
	}
	num := func(name string) (float64, bool) {
		if c := b.Schema().FieldIndices(prefix + name); len(c) > 0 {
			switch a := b.Column(c[0]).(type) {
			case *array.Float64:
				return a.Value(i), a.IsValid(i)
			case *array.Int64:
				return float64(a.Value(i)), a.IsValid(i)
			}
		}
		return 0, false
	}
	l.Buurtcode, l.Postcode, l.Gemeente = str("buurtcode"), str("postcode"), str("gemeente")
	if hn, ok := num("huisnummer"); ok {
		l.Huisnummer = int64(hn)
	}
	x, okX := num("x")
	y, okY := num("y")
	l.X, l.Y, l.HasRD = x, y, okX && okY
	lat, okLat := num("lat")
	lon, okLon := num("lon")
	l.Lat, l.Lon, l.HasWGS84 = lat, lon, okLat && okLon
	return l
}
