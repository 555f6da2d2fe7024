package demo

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/ivz-twente/jeugd/ingest"
	"github.com/ivz-twente/jeugd/internal/quarantine"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

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
	got := map[string]map[quarantine.Kind]int{}
	birthAfter := map[string]int{}
	ages := map[string]int{} // politie-verdachten by age class
	for _, f := range st.Files {
		src := set.Source(f.Source)
		var q quarantine.Sink
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
			got[f.Source] = map[quarantine.Kind]int{}
		}
		// Count rows, not cells: a row is quarantined once per bad cell.
		rows := map[int]quarantine.Kind{}
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
		want := map[quarantine.Kind]int{}
		for k, n := range s.Bad {
			if k != quarantine.KindBirthAfter && k != quarantine.KindNoLocation {
				want[k] = n
			}
		}
		if diff := cmp.Diff(want, got[name]); diff != "" {
			t.Errorf("%s: quarantined rows by kind (-planted +ingest):\n%s", name, diff)
		}
		if birthAfter[name] != s.Bad[quarantine.KindBirthAfter] {
			t.Errorf("%s: %d accepted rows born after the event, planted %d", name, birthAfter[name], s.Bad[quarantine.KindBirthAfter])
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
	refDir := filepath.Join("..", "..", "..", "shared", "data")
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
// pleeglocaties and the homes use every method (homes by postcode and
// house number most, and by RD and WGS84 coordinates alone), only the
// planted rows stay unresolved. With PostcodeOnly every home is postcode
// and house number only: placed in its buurt with the table, nowhere
// without it.
func TestWriteInboxGeocodes(t *testing.T) {
	ref := demoRef(t)
	pleeg, woon, wgs84 := geocodeInbox(t, ref, ref, InboxOptions{Seed: 2, Rows: 6000, Today: testToday, Messy: true})
	for _, m := range []geocode.Method{geocode.MethodBuurtcode, geocode.MethodPostcodeHuisnummer,
		geocode.MethodCoordinaten, geocode.MethodPostcode, geocode.MethodGemeente} {
		if pleeg["politie-incidenten"][m] == 0 {
			t.Errorf("politie-incidenten: no pleeglocatie resolved by %s (%v)", m, pleeg)
		}
		if woon[m] == 0 {
			t.Errorf("no home resolved by %s (%v)", m, woon)
		}
	}
	if wgs84 == 0 {
		t.Errorf("no home given in WGS84 alone")
	}
	if woon[geocode.MethodPostcodeHuisnummer] < woon[geocode.MethodCoordinaten]+woon[geocode.MethodBuurtcode] {
		t.Errorf("homes resolved by %v: want postcode and house number most", woon)
	}
	if woon[geocode.MethodOnbekend] > 0 {
		t.Errorf("%d homes not resolved", woon[geocode.MethodOnbekend])
	}

	opts := InboxOptions{Seed: 2, Rows: 3000, Today: testToday, PostcodeOnly: true}
	_, woon, _ = geocodeInbox(t, ref, ref, opts)
	delete(woon, geocode.MethodNone) // organisation victims without any data
	if len(woon) != 1 || woon[geocode.MethodPostcodeHuisnummer] == 0 {
		t.Errorf("PostcodeOnly: homes resolved by %v, want postcode_huisnummer only", woon)
	}
	dir := t.TempDir()
	if _, err := Region(dir, 1); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "pc6hnr.csv")); err != nil {
		t.Fatal(err)
	}
	noTable, err := geocode.LoadReference(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, woon, _ = geocodeInbox(t, ref, noTable, opts) // the same inbox, geocoded without the table
	delete(woon, geocode.MethodNone)
	if len(woon) != 1 || woon[geocode.MethodOnbekend] == 0 {
		t.Errorf("PostcodeOnly without a postcode table: homes resolved by %v, want onbekend only", woon)
	}
}

// geocodeInbox writes an inbox and resolves its locations: pleeglocaties
// per source, homes over all sources, and how many homes were given in
// WGS84 alone and placed in a buurt.
func geocodeInbox(t *testing.T, ref, geo *geocode.Reference, opts InboxOptions) (pleeg map[string]map[geocode.Method]int, woon map[geocode.Method]int, wgs84 int) {
	t.Helper()
	dir := t.TempDir()
	st, err := WriteInbox(dir, ref, opts)
	if err != nil {
		t.Fatal(err)
	}
	gc := geocode.NewGeocoder(geo)
	pleeg, woon = map[string]map[geocode.Method]int{}, map[geocode.Method]int{}
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
					if pleeg[f.Source] == nil {
						pleeg[f.Source] = map[geocode.Method]int{}
					}
					pleeg[f.Source][gc.Locate(&loc).Method]++
				}
				if src.Has("woon_postcode") {
					loc := readLocation(b, i, "woon_")
					m := gc.Locate(&loc).Method
					woon[m]++
					if loc.HasWGS84 && !loc.HasRD && loc.Postcode == "" && m == geocode.MethodCoordinaten {
						wgs84++
					}
				}
			}
		}
		r.Release()
	}
	if want := st.Sources["politie-incidenten"].Bad[quarantine.KindNoLocation]; geo == ref && pleeg["politie-incidenten"][geocode.MethodOnbekend] != want {
		t.Errorf("politie-incidenten: %d unresolved pleeglocaties, planted %d", pleeg["politie-incidenten"][geocode.MethodOnbekend], want)
	}
	return pleeg, woon, wgs84
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
