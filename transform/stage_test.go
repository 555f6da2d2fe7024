package transform

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"

	"github.com/ivz-twente/jeugd/ingest"
	"github.com/ivz-twente/jeugd/internal/quarantine"
	"github.com/ivz-twente/jeugd/schemas"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

// fakeLocator resolves by what the location gives, like the real order:
// buurtcode, postcode+huisnummer, coordinates, postcode, gemeente.
type fakeLocator struct {
	mu    sync.Mutex
	empty int // calls with an empty location: the stage should make none
}

func (f *fakeLocator) Locate(l *geocode.Location) geocode.Result {
	hit := func(m geocode.Method) geocode.Result {
		return geocode.Result{Gemeentecode: "GM0147", Wijkcode: "WK014701", Buurtcode: "BU01470101", Method: m}
	}
	switch {
	case l.Empty():
		f.mu.Lock()
		f.empty++
		f.mu.Unlock()
		return geocode.Result{Method: geocode.MethodOnbekend}
	case l.Buurtcode != "":
		return hit(geocode.MethodBuurtcode)
	case l.Postcode != "" && l.Huisnummer > 0:
		return hit(geocode.MethodPostcodeHuisnummer)
	case l.HasRD || l.HasWGS84:
		return hit(geocode.MethodCoordinaten)
	case l.Postcode != "":
		return hit(geocode.MethodPostcode)
	case strings.EqualFold(l.Gemeente, "Borne"):
		return geocode.Result{Gemeentecode: "GM0147", Wijkcode: geocode.UnknownWijkcode("GM0147"),
			Buurtcode: geocode.UnknownBuurtcode("GM0147"), Method: geocode.MethodGemeente}
	}
	return geocode.Result{Method: geocode.MethodOnbekend}
}

// row is one raw row by canonical field: string, int64, float64, or a date
// as "jjjj-mm-dd" for date fields.
type row map[string]any

func rawBatch(t testing.TB, mem memory.Allocator, src *schemas.Source, rows []row) arrow.RecordBatch {
	t.Helper()
	b := array.NewRecordBuilder(mem, ingest.RawSchema(src))
	defer b.Release()
	for i, r := range rows {
		for k := range r {
			if !src.Has(k) {
				t.Fatalf("%s has no field %s", src.Name(), k)
			}
		}
		b.Field(0).(*array.Int32Builder).Append(int32(i + 2)) // row 1 is the header
		for j, f := range src.Fields {
			v, ok := r[f.Name]
			if !ok {
				b.Field(j + 1).AppendNull()
				continue
			}
			switch fb := b.Field(j + 1).(type) {
			case *array.StringBuilder:
				fb.Append(v.(string))
			case *array.Date32Builder:
				fb.Append(day(v.(string)))
			case *array.Int64Builder:
				fb.Append(v.(int64))
			case *array.Float64Builder:
				fb.Append(v.(float64))
			default:
				t.Fatalf("field %s: builder %T", f.Name, fb)
			}
		}
	}
	return b.NewRecordBatch()
}

// Canaries: identifying values planted in the input that must appear in no
// output, error, quarantine reason or log line.
const (
	bsnA        = "111222333" // valid; in police, OM and Halt
	bsnB        = "123456782" // valid
	bsnInvalid  = "123456789" // fails the elfproef
	achternaamA = "Zwartjesveld"
	voornamenA  = "Gerritdina Hendrika"
	straat      = "Kanariestraat"
	postcode    = "7622ZZ"
	regnr       = "PL0600-2024999111"
	parketnr    = "05/999111-24"
	school      = "Sint Canarius College"
	brin        = "99ZZ"
)

var canaries = []string{bsnA, bsnB, bsnInvalid, achternaamA, "Gerritdina", straat, postcode, regnr,
	"2024999111", parketnr, "999111", school, "Canarius", brin, "98765", "251234", "471234", "52.2771", "2009-03-04"}

func sources(t testing.TB) map[string]*schemas.Source {
	m := map[string]*schemas.Source{}
	for _, s := range schemas.Builtin().Sources {
		m[s.Name()] = s
	}
	return m
}

// inputs returns the raw rows per source. Row numbers start at 2.
func inputs() map[string][]row {
	woonA := row{"woon_postcode": postcode, "woon_huisnummer": int64(98765), "woon_gemeente": "Borne"}
	with := func(base row, extra row) row {
		r := row{}
		for k, v := range base {
			r[k] = v
		}
		for k, v := range extra {
			r[k] = v
		}
		return r
	}
	personA := row{"bsn": bsnA, "achternaam": achternaamA, "voornamen": voornamenA, "geboortedatum": "2009-03-04", "geslacht": "m"}
	return map[string][]row{
		"politie-incidenten": {
			{"registratienummer": regnr, "pleegdatum": "2024-05-01", "incidentcode": "E35", "pleeg_straat": straat, "pleeg_postcode": postcode, "pleeg_huisnummer": int64(98765)},
			{"registratienummer": "PL0600-1", "pleegdatum": "2024-05-02", "incidentomschrijving": "Geluidsoverlast", "pleeg_x": 251234.5, "pleeg_y": 471234.5},
			{"registratienummer": "PL0600-2", "pleegdatum": "2024-05-03", "incidentcode": "X99", "pleeg_straat": straat},    // no location resolves
			{"registratienummer": "PL0600-3", "pleegdatum": "2031-01-01", "incidentcode": "E35", "pleeg_gemeente": "Borne"}, // future
			{"registratienummer": "PL0600-4", "pleegdatum": "2024-05-04", "pleeg_lat": 52.2771, "pleeg_lon": 6.7521, "incidentomschrijving": "Melding overlast jeugd"},
		},
		"politie-verdachten": {
			with(personA, with(woonA, row{"registratienummer": regnr, "pleegdatum": "2024-05-01", "feitcode": "300 Sr", "pleeg_straat": straat, "pleeg_buurtcode": "BU01470101"})),
			{"registratienummer": "PL0600-5", "bsn": bsnInvalid, "achternaam": "van der " + achternaamA, "voornamen": "G.", "geboortedatum": "2008-01-01", "geslacht": "v", "pleegdatum": "2024-05-05", "feitomschrijving": "Winkeldiefstal", "woon_gemeente": "Borne"},
			{"registratienummer": "PL0600-6", "bsn": bsnB, "geboortedatum": "2025-01-01", "pleegdatum": "2024-05-05", "woon_gemeente": "Borne"}, // birth after
			{"registratienummer": "PL0600-7", "bsn": bsnB, "geboortedatum": "1899-01-01", "pleegdatum": "2024-05-05", "woon_gemeente": "Borne"}, // too old
		},
		"politie-slachtoffers": {
			{"registratienummer": regnr, "bsn": bsnB, "achternaam": "Slachtoffer", "geboortedatum": "2010-07-08", "pleegdatum": "2024-05-01", "woon_straat": straat, "woon_postcode": postcode},
		},
		"om-zaken": {
			with(personA, with(woonA, row{"parketnummer": parketnr, "registratienummer": strings.ToLower(regnr), "wetsartikel": "art. 300 lid 1 Sr", "pleegdatum": "2024-05-01", "afdoening": "transactie"})),
			{"parketnummer": parketnr, "achternaam": achternaamA, "geboortedatum": "2009-03-04", "wetsartikel": "3100", "feitcode": "Opiumwet", "pleegdatum": "2024-06-01", "woon_plaats": "Borne", "woon_gemeente": "Borne"},
		},
		"halt-verwijzingen": {
			with(personA, with(woonA, row{"verwijsdatum": "2024-07-01", "delict": "Vuurwerk", "verwijzer": "politie", "afloop": "positief"})),
		},
		"leerplicht-verzuim": {
			{"bsn": bsnB, "achternaam": "Leerling", "geboortedatum": "2010-07-08", "woon_postcode": postcode, "school": school, "brin": brin, "verzuimsoort": "relatief", "meldingsdatum": "2024-09-10"},
		},
		"jgz-signalen": {
			{"achternaam": "Berg, van der", "voornamen": "G", "geboortedatum": "2008-01-01", "geslacht": "v", "woon_gemeente": "Borne", "signaaldatum": "2024-02-02", "signaaltype": "Huiselijk geweld"},
			{"signaaldatum": "2024-02-03", "signaaltype": "Onbekend signaal", "woon_gemeente": "Borne"}, // no person key
		},
	}
}

type runResult struct {
	events map[string][]map[string]any // per source, decoded JSON rows
	json   string                      // every output batch as JSON
	q      *quarantine.Sink
	logs   string
	stats  Stats
}

func runAll(t *testing.T, key []byte) runResult {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	var logs bytes.Buffer
	q := &quarantine.Sink{}
	loc := &fakeLocator{}
	tr, err := New(Options{
		Key: key, Locator: loc, Classificatie: schemas.Builtin().Classificatie, Quarantine: q, Mem: mem,
		Log: zerolog.New(&logs), Today: time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatal(err)
	}
	srcs := sources(t)
	res := runResult{events: map[string][]map[string]any{}, q: q}
	var all strings.Builder
	for name, rows := range inputs() {
		src := srcs[name]
		in := rawBatch(t, mem, src, rows)
		rr, err := array.NewRecordReader(in.Schema(), []arrow.RecordBatch{in})
		in.Release()
		if err != nil {
			t.Fatal(err)
		}
		ev := tr.Events(context.Background(), rr, src, name+".csv", "")
		rr.Release()
		for ev.Next() {
			rec := ev.RecordBatch()
			if !rec.Schema().Equal(EventSchema) {
				t.Fatalf("%s: output schema %v", name, rec.Schema())
			}
			var buf bytes.Buffer
			if err := array.RecordToJSON(rec, &buf); err != nil {
				t.Fatal(err)
			}
			all.Write(buf.Bytes())
			dec := json.NewDecoder(&buf)
			for {
				var m map[string]any
				if err := dec.Decode(&m); err != nil {
					break
				}
				res.events[name] = append(res.events[name], m)
			}
		}
		if err := ev.Err(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ev.Release()
	}
	if loc.empty != 0 {
		t.Errorf("Locate called %d times with an empty location", loc.empty)
	}
	res.json, res.logs, res.stats = all.String(), logs.String(), tr.Stats()
	return res
}

func TestEndToEnd(t *testing.T) {
	res := runAll(t, testKey)

	// No canary anywhere.
	var qtext strings.Builder
	for _, e := range res.q.Errors() {
		fmt.Fprintf(&qtext, "%s %v %q\n", e.Error(), e.Kind, e.Column)
	}
	for what, text := range map[string]string{"events": res.json, "quarantine": qtext.String(), "logs": res.logs} {
		for _, c := range canaries {
			if strings.Contains(strings.ToLower(text), strings.ToLower(c)) {
				t.Errorf("%s contain the canary %q", what, c)
			}
		}
	}
	if res.logs == "" {
		t.Error("no log line")
	}

	ev := res.events
	get := func(src string, i int, col string) any {
		t.Helper()
		if i >= len(ev[src]) {
			t.Fatalf("%s has %d events; want more than %d", src, len(ev[src]), i)
		}
		return ev[src][i][col]
	}

	// One person across police, OM and Halt; one case across police and OM.
	pA := get("politie-verdachten", 0, ColPersoon)
	if pA == nil || get("om-zaken", 0, ColPersoon) != pA || get("halt-verwijzingen", 0, ColPersoon) != pA {
		t.Errorf("the same BSN gives different persoon: politie %v, om %v, halt %v", pA, get("om-zaken", 0, ColPersoon), get("halt-verwijzingen", 0, ColPersoon))
	}
	zaak := get("politie-verdachten", 0, ColZaak)
	if zaak == nil || get("om-zaken", 0, ColZaak) != zaak || get("politie-incidenten", 0, ColZaak) != zaak || get("politie-slachtoffers", 0, ColZaak) != zaak {
		t.Error("the same registratienummer gives different zaak across police and OM")
	}
	if z := get("om-zaken", 1, ColZaak); z == nil || z == zaak {
		t.Errorf("OM case without registratienummer: zaak %v; want the parketnummer's own", z)
	}
	// The invalid BSN falls back to the name key, which the JGZ row without
	// BSN shares ("van der Zwartjesveld" vs "Berg, van der": different names).
	if p := get("politie-verdachten", 1, ColPersoon); p == nil || p == pA {
		t.Errorf("invalid BSN: persoon %v; want a name key", p)
	}
	if p := get("jgz-signalen", 1, ColPersoon); p != nil {
		t.Errorf("row without person key: persoon %v; want null", p)
	}
	// OM row 2 has no BSN: the name key of person A is not its BSN key.
	if p := get("om-zaken", 1, ColPersoon); p == nil || p == pA {
		t.Errorf("name key equals BSN key or is missing: %v", p)
	}

	// Another key, other pseudonyms.
	other := runAll(t, bytes.Repeat([]byte{0x42}, 32))
	if other.events["politie-verdachten"][0][ColPersoon] == pA || other.events["om-zaken"][0][ColZaak] == zaak {
		t.Error("another key gives the same pseudonyms")
	}

	// Columns of selected events.
	pick := func(src string, i int, cols ...string) []any {
		var out []any
		for _, c := range cols {
			out = append(out, get(src, i, c))
		}
		return out
	}
	cols := []string{ColBron, ColSoort, ColDatum, ColPleegBuurtcode, ColPleegGeocode, ColWoonGemeentecode, ColWoonBuurtcode, ColWoonGeocode,
		ColLeeftijd, ColLeeftijdsklasse, ColGeslacht, ColCategorie, ColRol}
	tests := []struct {
		src  string
		i    int
		want []any
	}{
		{"politie-incidenten", 0, []any{"politie", "incidenten", "2024-05-01", "BU01470101", "postcode_huisnummer", "", "", "", nil, Onbekend, Onbekend, "jeugdoverlast", "incident"}},
		{"politie-incidenten", 1, []any{"politie", "incidenten", "2024-05-02", "BU01470101", "coordinaten", "", "", "", nil, Onbekend, Onbekend, "overlast_overig", "incident"}},
		{"politie-incidenten", 2, []any{"politie", "incidenten", "2024-05-04", "BU01470101", "coordinaten", "", "", "", nil, Onbekend, Onbekend, "jeugdoverlast", "incident"}},
		{"politie-verdachten", 0, []any{"politie", "verdachten", "2024-05-01", "BU01470101", "buurtcode", "GM0147", "BU01470101", "postcode_huisnummer", 15.0, "15-17", "m", "geweld", "verdachte"}},
		{"politie-verdachten", 1, []any{"politie", "verdachten", "2024-05-05", "", "onbekend", "GM0147", "BU0147XXXX", "gemeente", 16.0, "15-17", "v", "vermogen", "verdachte"}},
		{"politie-slachtoffers", 0, []any{"politie", "slachtoffers", "2024-05-01", "", "", "GM0147", "BU01470101", "postcode", 13.0, "12-14", Onbekend, "", "slachtoffer"}},
		{"om-zaken", 0, []any{"om", "zaken", "2024-05-01", "", "", "GM0147", "BU01470101", "postcode_huisnummer", 15.0, "15-17", "m", "geweld", "verdachte"}},
		{"om-zaken", 1, []any{"om", "zaken", "2024-06-01", "", "", "GM0147", "BU0147XXXX", "gemeente", 15.0, "15-17", Onbekend, "drugs", "verdachte"}},
		{"halt-verwijzingen", 0, []any{"halt", "verwijzingen", "2024-07-01", "", "", "GM0147", "BU01470101", "postcode_huisnummer", 15.0, "15-17", "m", "vuurwerk", "verwijzing"}},
		{"leerplicht-verzuim", 0, []any{"leerplicht", "verzuim", "2024-09-10", "", "", "GM0147", "BU01470101", "postcode", 14.0, "12-14", Onbekend, "relatief", "verzuim"}},
		{"jgz-signalen", 0, []any{"jgz", "signalen", "2024-02-02", "", "", "GM0147", "BU0147XXXX", "gemeente", 16.0, "15-17", "v", "huiselijk_geweld", "signaal"}},
		{"jgz-signalen", 1, []any{"jgz", "signalen", "2024-02-03", "", "", "GM0147", "BU0147XXXX", "gemeente", nil, Onbekend, Onbekend, "overig", "signaal"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, pick(tt.src, tt.i, cols...)); diff != "" {
			t.Errorf("%s event %d %v (-want +got):\n%s", tt.src, tt.i, cols, diff)
		}
	}

	// Quarantine: position and reason, no value.
	var gotQ []string
	for _, e := range res.q.Errors() {
		gotQ = append(gotQ, e.Error())
	}
	wantQ := []string{
		`politie-incidenten.csv:4: no location resolves to a buurt or gemeente`,
		`politie-incidenten.csv:5: column "pleegdatum": event date is in the future`,
		`politie-verdachten.csv:4: column "geboortedatum": geboortedatum is after the event date`,
		`politie-verdachten.csv:5: column "geboortedatum": age at the event date is above 120`,
	}
	if diff := cmp.Diff(wantQ, gotQ, cmpSorted); diff != "" {
		t.Errorf("quarantine (-want +got):\n%s", diff)
	}

	st := res.stats
	wantStats := Stats{
		Events: 12,
		Quarantined: map[quarantine.Kind]int{quarantine.KindNoLocation: 1, quarantine.KindFutureDate: 1,
			quarantine.KindBirthAfter: 1, quarantine.KindTooOld: 1},
		InvalidBSN:     1,
		MissingPersoon: 1,
		Unknown:        map[string]int{"jgz": 1},
	}
	st.Geocode = nil
	if diff := cmp.Diff(wantStats, st); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
	g := res.stats.Geocode
	for k, want := range map[GeocodeKey]int{
		{"politie-incidenten", LocatiePleeg, geocode.MethodCoordinaten}:       2,
		{"politie-incidenten", LocatiePleeg, geocode.MethodOnbekend}:          1, // quarantined, still counted
		{"politie-verdachten", LocatieWoon, geocode.MethodGemeente}:           1,
		{"politie-verdachten", LocatiePleeg, geocode.MethodOnbekend}:          1,
		{"politie-slachtoffers", LocatiePleeg, geocode.MethodOnbekend}:        0,
		{"leerplicht-verzuim", LocatieWoon, geocode.MethodPostcode}:           1,
		{"politie-verdachten", LocatieWoon, geocode.MethodPostcodeHuisnummer}: 1,
	} {
		if g[k] != want {
			t.Errorf("Stats.Geocode[%v] = %d; want %d", k, g[k], want)
		}
	}
}

var cmpSorted = cmp.Transformer("sort", func(in []string) []string {
	out := append([]string(nil), in...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
})

func TestNewValidates(t *testing.T) {
	_, err := New(Options{Key: []byte("kort")})
	for _, want := range []error{ErrShortKey, ErrNoLocator, ErrNoClassificatie} {
		if !errors.Is(err, want) {
			t.Errorf("New(bad options) = %v; want it to report %v", err, want)
		}
	}
}

func TestApplyWrongSchema(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	tr, err := New(Options{Key: testKey, Locator: &fakeLocator{}, Classificatie: schemas.Builtin().Classificatie, Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	srcs := sources(t)
	in := rawBatch(t, mem, srcs["jgz-signalen"], []row{{"signaaldatum": "2024-01-01", "signaaltype": "x"}})
	defer in.Release()
	out, err := tr.Stage(srcs["politie-verdachten"], "f.csv", "").Apply(context.Background(), in)
	if !errors.Is(err, ErrSchema) || out != nil {
		t.Errorf("Apply(batch of another source) = %v, %v; want ErrSchema", out, err)
	}
}

func BenchmarkApply(b *testing.B) {
	src := sources(b)["politie-verdachten"]
	const n = 65536
	rows := make([]row, n)
	cats := []string{"300 Sr", "Winkeldiefstal", "art. 350 Sr", "Opiumwet", "3100", "Overig feit"}
	for i := range rows {
		bsn := bsnA
		if i%5 == 0 {
			bsn = bsnInvalid
		}
		rows[i] = row{"registratienummer": fmt.Sprintf("PL0600-%d", i), "bsn": bsn, "achternaam": "Van der Berg",
			"voornamen": "Jan Peter", "geboortedatum": "2008-03-04", "geslacht": "m", "pleegdatum": "2024-05-01",
			"feitcode": cats[i%len(cats)], "woon_postcode": postcode, "woon_huisnummer": int64(i%200 + 1),
			"pleeg_x": 251234.5, "pleeg_y": 471234.5}
	}
	mem := memory.NewGoAllocator()
	in := rawBatch(b, mem, src, rows)
	defer in.Release()
	tr, err := New(Options{Key: testKey, Locator: &fakeLocator{}, Classificatie: schemas.Builtin().Classificatie, Mem: mem})
	if err != nil {
		b.Fatal(err)
	}
	st := tr.Stage(src, "bench.csv", "")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		out, err := st.Apply(ctx, in)
		if err != nil {
			b.Fatal(err)
		}
		out.Release()
	}
	b.ReportMetric(float64(b.N)*n/b.Elapsed().Seconds(), "rows/s")
}

// A quarantined row names the column as the supplier delivered it, taken
// from the field metadata ingest writes.
func TestRejectNamesDeliveredHeader(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	q := &quarantine.Sink{}
	tr, err := New(Options{Key: testKey, Locator: &fakeLocator{}, Classificatie: schemas.Builtin().Classificatie, Mem: mem, Quarantine: q})
	if err != nil {
		t.Fatal(err)
	}
	src := sources(t)["jgz-signalen"]
	raw := rawBatch(t, mem, src, []row{{"signaaldatum": "2024-01-01", "geboortedatum": "2025-01-01", "signaaltype": "x", "woon_gemeente": "GM0001"}})
	defer raw.Release()
	fields := raw.Schema().Fields()
	for i := range fields {
		if fields[i].Name == "geboortedatum" {
			fields[i].Metadata = arrow.NewMetadata([]string{ingest.MetaHeader}, []string{"Geb. Datum"})
		}
	}
	md := raw.Schema().Metadata()
	in := array.NewRecordBatch(arrow.NewSchema(fields, &md), raw.Columns(), raw.NumRows())
	defer in.Release()
	out, err := tr.Stage(src, "jgz.csv", "").Apply(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	out.Release()
	if rows := q.Errors(); len(rows) != 1 || rows[0].Column != "Geb. Datum" || rows[0].Kind != quarantine.KindBirthAfter {
		t.Fatalf("quarantine = %v; want one KindBirthAfter row in column %q", rows, "Geb. Datum")
	}
}

// TestEventsWorkers transforms one file's batches with three workers: the
// same events in the same order, the same quarantine and one log line.
func TestEventsWorkers(t *testing.T) {
	srcs := sources(t)
	run := func(workers int) (string, []quarantine.RowError, string) {
		mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
		defer mem.AssertSize(t, 0)
		var logs bytes.Buffer
		q := &quarantine.Sink{}
		tr, err := New(Options{Key: testKey, Locator: &fakeLocator{}, Classificatie: schemas.Builtin().Classificatie,
			Quarantine: q, Mem: mem, Log: zerolog.New(&logs), Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		in := inputs()
		for _, name := range slices.Sorted(maps.Keys(in)) {
			rows := in[name]
			var batches []arrow.RecordBatch
			for range 7 { // several batches of one file
				batches = append(batches, rawBatch(t, mem, srcs[name], rows))
			}
			rr, err := array.NewRecordReader(batches[0].Schema(), batches)
			for _, b := range batches {
				b.Release()
			}
			if err != nil {
				t.Fatal(err)
			}
			ev := tr.Events(context.Background(), rr, srcs[name], name+".csv", "")
			rr.Release()
			for ev.Next() {
				if err := array.RecordToJSON(ev.RecordBatch(), &out); err != nil {
					t.Fatal(err)
				}
			}
			if err := ev.Err(); err != nil {
				t.Fatal(err)
			}
			ev.Release()
		}
		return out.String(), q.Errors(), logs.String()
	}
	want, wantQ, wantLogs := run(1)
	got, gotQ, gotLogs := run(3)
	if got != want {
		t.Errorf("events with 3 workers differ from 1:\n%s\nwant\n%s", got, want)
	}
	if diff := cmp.Diff(wantQ, gotQ); diff != "" {
		t.Errorf("quarantine with 3 workers (-1 +3):\n%s", diff)
	}
	if strings.Count(gotLogs, "file transformed") != strings.Count(wantLogs, "file transformed") {
		t.Errorf("log lines with 3 workers:\n%s\nwant\n%s", gotLogs, wantLogs)
	}
}

// TestEventsReleaseEarly stops reading a file's events after one batch:
// every raw and event batch in flight is freed.
func TestEventsReleaseEarly(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	src := sources(t)["politie-incidenten"]
	tr, err := New(Options{Key: testKey, Locator: &fakeLocator{}, Classificatie: schemas.Builtin().Classificatie,
		Quarantine: &quarantine.Sink{}, Mem: mem, Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	var batches []arrow.RecordBatch
	for range 20 {
		batches = append(batches, rawBatch(t, mem, src, inputs()["politie-incidenten"]))
	}
	rr, err := array.NewRecordReader(batches[0].Schema(), batches)
	for _, b := range batches {
		b.Release()
	}
	if err != nil {
		t.Fatal(err)
	}
	ev := tr.Events(context.Background(), rr, src, "x.csv", "")
	rr.Release()
	if !ev.Next() {
		t.Fatalf("no first batch: %v", ev.Err())
	}
	ev.Release()
}
