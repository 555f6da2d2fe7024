package demo

import (
	"bytes"
	"encoding/csv"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/ivz-twente/jeugd/internal/quarantine"
	"github.com/ivz-twente/jeugd/schemas"
	"github.com/ivz-twente/jeugd/transform"
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
	ref, err := Region(t.TempDir(), 1)
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
		"afdoening": true, "afloop": true, "woon_x": true, "woon_y": true, "woon_lat": true, "woon_lon": true}
	// XLSX stores coordinates as numbers, which the writer does not record.
	xlsxNumber := regexp.MustCompile(`^[0-9]{1,6}\.[0-9]+$`)
	cells(t, dir, st, func(f FileStats, header, v string) {
		if seen[v] {
			found[v] = true
		}
		fd := fieldOf(builtin.Source(f.Source), header)
		if fd == nil || v == "" {
			return
		}
		if identifier[fd.Name] && !seen[v] && !(f.XLSX && (shapes["coordinate"].MatchString(v) || xlsxNumber.MatchString(v))) {
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
	kinds := map[quarantine.Kind]int{}
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
	for _, k := range []quarantine.Kind{quarantine.KindMissing, quarantine.KindBadDate, quarantine.KindBirthAfter,
		quarantine.KindFieldCount, quarantine.KindNoLocation} {
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

// TestWriteInboxDomain checks that the inbox holds what real exports hold
// and the pipeline must handle: organisation victims (25-35% of victim
// rows, some without any person data), DUO's verzuim kinds with RMC rows
// at 18-22, unknown codes and free text, Halt overtredingen, and offences
// of every categorie of the one list (wapens, cyber and rare zeden too).
func TestWriteInboxDomain(t *testing.T) {
	dir, st := writeInbox(t, InboxOptions{Seed: 4, Rows: 20_000, Today: testToday, Messy: true})
	sl := st.Sources["politie-slachtoffers"]
	if share := float64(sl.Organisaties) / float64(sl.Rows); share < 0.25 || share > 0.35 {
		t.Errorf("politie-slachtoffers: %d organisations of %d rows (%.0f%%), want 25-35%%", sl.Organisaties, sl.Rows, 100*share)
	}
	for _, name := range []string{"leerplicht-verzuim", "halt-verwijzingen"} {
		if st.Sources[name].UnknownCodes == 0 {
			t.Errorf("%s: no unknown code", name)
		}
	}
	cl := builtin.Classificatie
	classifier := func(lijst string) *transform.Classifier {
		c, err := transform.NewClassifier(cl.Lijst(lijst), cl.Categorieen)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	verzuim, feit := classifier("verzuim"), classifier("feit")
	got := map[string]map[string]int{} // source -> categorie or delictsoort -> values
	add := func(source, class string) {
		if got[source] == nil {
			got[source] = map[string]int{}
		}
		got[source][class]++
	}
	bare := 0
	for _, f := range st.Files {
		rows := fileRows(t, dir, f)
		col := map[string]int{}
		for i, h := range rows[0] {
			if fd := fieldOf(builtin.Source(f.Source), h); fd != nil {
				col[fd.Name] = i
			}
		}
		cell := func(r []string, name string) string {
			if i, ok := col[name]; ok && i < len(r) {
				return r[i]
			}
			return ""
		}
		for _, r := range rows[1:] {
			switch f.Source {
			case "leerplicht-verzuim":
				c, _ := verzuim.Classify(cell(r, "verzuimsoort"))
				add(f.Source, c)
			case "halt-verwijzingen":
				_, soort, _ := feit.ClassifyRow(cell(r, "delict"))
				add(f.Source, soort)
			case "politie-verdachten", "om-zaken":
				c, _, _ := feit.ClassifyRow(cell(r, "wetsartikel"), cell(r, "feitcode"), cell(r, "feitomschrijving"))
				add("feit", c)
			case "politie-slachtoffers":
				if cell(r, "bsn")+cell(r, "achternaam")+cell(r, "voornamen")+cell(r, "geboortedatum")+cell(r, "soort_slachtoffer") == "" {
					bare++
				}
			}
		}
	}
	for _, c := range []string{"relatief", "absoluut", "luxe", "signaal", "langdurig_relatief", "zorgwekkend_ziekteverzuim", "rmc", "overig"} {
		if got["leerplicht-verzuim"][c] == 0 {
			t.Errorf("leerplicht-verzuim: no verzuim of categorie %s (%v)", c, got["leerplicht-verzuim"])
		}
	}
	if got["halt-verwijzingen"]["misdrijf"] == 0 || got["halt-verwijzingen"]["overtreding"] == 0 {
		t.Errorf("halt-verwijzingen by delictsoort: %v, want misdrijven and overtredingen", got["halt-verwijzingen"])
	}
	for _, c := range []string{"geweld", "zeden", "vermogen", "vernieling_openbare_orde", "cyber", "drugs", "wapens", "verkeer"} {
		if got["feit"][c] == 0 {
			t.Errorf("police and OM: no offence of categorie %s (%v)", c, got["feit"])
		}
	}
	if got["feit"]["zeden"]*20 > got["feit"]["geweld"] {
		t.Errorf("zeden %d against geweld %d: want zeden rare", got["feit"]["zeden"], got["feit"]["geweld"])
	}
	if bare == 0 {
		t.Errorf("politie-slachtoffers: no victim row without any person data")
	}
}

// fileRows returns the header and data rows of a written file.
func fileRows(t *testing.T, dir string, f FileStats) [][]string {
	t.Helper()
	path := filepath.Join(dir, f.Path)
	if f.XLSX {
		rows := xlsxRows(t, path)
		return rows[headerRow(rows):]
	}
	return readCSV(t, path)
}
