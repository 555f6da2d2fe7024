package transform

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"

	"github.com/ivz-twente/jeugd/internal/quarantine"
	"github.com/ivz-twente/jeugd/schemas"
)

func TestUnknownCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"E99", "E99"},
		{" f  30 ", "F 30"},
		{"461 Sr", "461 SR"},
		{"art. 5 WVW", "ART. 5 WVW"},
		{"OPI2002", "OPI2002"},
		{"138ab", "138AB"},
		{"X-12/b", "X-12/B"},
		{"", CodeLeeg},
		{"   ", CodeLeeg},
		// Descriptions and anything that could be a person's value.
		{"Onbekend signaal", CodeOmschrijving},
		{"Zwartjesveld", CodeOmschrijving},
		{"Jan", CodeOmschrijving},       // no digit: a word, not a code
		{"111222333", CodeOmschrijving}, // BSN
		{"98765", CodeOmschrijving},     // five digits
		{"7622ZZ", CodeOmschrijving},    // postcode
		{"7622 zz", CodeOmschrijving},
		{"7622-ZZ", CodeOmschrijving},
		{"0622.SS", CodeOmschrijving},
		{"2009-03-04", CodeOmschrijving}, // date
		{"4-3-09", CodeOmschrijving},
		{"Markt 12", CodeOmschrijving}, // street and number
		{"PL0600-2024999111", CodeOmschrijving},
		{"06-12345678", CodeOmschrijving},
		{"E35é", CodeOmschrijving},
		{"E35;drop", CodeOmschrijving},
		{"art. 461 lid 1 Sr", CodeOmschrijving},
	}
	for _, tt := range tests {
		if got := unknownCode(tt.in); got != tt.want {
			t.Errorf("unknownCode(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// Unknown codes never quarantine a row: they become the list's otherwise,
// are counted per source and code, and are listed in one warning per file.
// A name or BSN delivered in a code or description column appears in
// neither.
func TestUnknownCodesCounted(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	var logs bytes.Buffer
	q := &quarantine.Sink{}
	tr, err := New(Options{Key: testKey, Locator: &fakeLocator{}, Classificatie: schemas.Builtin().Classificatie,
		Quarantine: q, Mem: mem, Log: zerolog.New(&logs)})
	if err != nil {
		t.Fatal(err)
	}
	srcs := sources(t)
	leerling := row{"bsn": bsnB, "geboortedatum": "2010-07-08", "woon_gemeente": "Borne", "meldingsdatum": "2024-09-10"}
	with := func(r row, k string, v any) row {
		out := row{k: v}
		for kk, vv := range r {
			out[kk] = vv
		}
		return out
	}
	verdachte := row{"registratienummer": "PL0600-9", "bsn": bsnA, "geboortedatum": "2009-03-04", "pleegdatum": "2024-05-01", "woon_gemeente": "Borne"}
	cases := []struct {
		src  string
		rows []row
	}{
		{"leerplicht-verzuim", []row{
			with(leerling, "verzuimsoort", "16 uur in 4 weken"),
			with(leerling, "verzuimsoort", "LRV"),
			with(leerling, "verzuimsoort", "Thuiszitter"),
			with(leerling, "verzuimsoort", "zorgwekkend ziekteverzuim"),
			with(leerling, "verzuimsoort", "V17"),
			with(leerling, "verzuimsoort", "V17"),
			with(leerling, "verzuimsoort", achternaamA),    // a name in the code column
			with(leerling, "verzuimsoort", bsnA),           // a BSN in the code column
			with(leerling, "verzuimsoort", "Vakantie oom"), // a description
		}},
		{"politie-verdachten", []row{
			with(with(verdachte, "feitcode", "X99"), "feitomschrijving", "Aangifte tegen "+achternaamA+" "+bsnB),
			with(verdachte, "feitomschrijving", voornamenA+" "+achternaamA),
			with(verdachte, "feitcode", "300 Sr"),
		}},
	}
	var categorieen []string
	for _, c := range cases {
		src := srcs[c.src]
		in := rawBatch(t, mem, src, c.rows)
		st := tr.Stage(src, c.src+".csv", "")
		out, err := st.Apply(context.Background(), in)
		in.Release()
		if err != nil {
			t.Fatal(err)
		}
		st.Finish()
		for i := 0; i < int(out.NumRows()); i++ {
			categorieen = append(categorieen, out.Column(EventSchema.FieldIndices(ColCategorie)[0]).ValueStr(i))
		}
		out.Release()
	}
	if rows := q.Errors(); len(rows) != 0 {
		t.Errorf("quarantined %v; unknown codes must not quarantine", rows)
	}
	wantCat := []string{"relatief", "langdurig_relatief", "langdurig_relatief", "zorgwekkend_ziekteverzuim",
		"overig", "overig", "overig", "overig", "overig", "overig", "overig", "geweld"}
	if diff := cmp.Diff(wantCat, categorieen); diff != "" {
		t.Errorf("categorieen (-want +got):\n%s", diff)
	}
	want := map[UnknownKey]int{
		{"leerplicht-verzuim", "verzuim", "V17"}:            2,
		{"leerplicht-verzuim", "verzuim", CodeOmschrijving}: 3,
		{"politie-verdachten", "feit", "X99"}:               1,
		{"politie-verdachten", "feit", CodeOmschrijving}:    1,
	}
	st := tr.Stats()
	if diff := cmp.Diff(want, st.UnknownCodes); diff != "" {
		t.Errorf("UnknownCodes (-want +got):\n%s", diff)
	}
	if st.Unknown["verzuim"] != 5 || st.Unknown["feit"] != 2 {
		t.Errorf("Unknown = %v; want verzuim 5, feit 2", st.Unknown)
	}
	log := logs.String()
	for _, want := range []string{`"lijst":"verzuim"`, `{"code":"V17","rows":2}`, `{"code":"X99","rows":1}`, `"level":"warn"`} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %s:\n%s", want, log)
		}
	}
	var stats strings.Builder
	for k, n := range st.UnknownCodes {
		stats.WriteString(k.Source + " " + k.Lijst + " " + k.Code + " " + string(rune('0'+n)) + "\n")
	}
	for _, c := range []string{bsnA, bsnB, achternaamA, "Gerritdina", "Vakantie", "Aangifte"} {
		for what, text := range map[string]string{"stats": stats.String(), "log": log} {
			if strings.Contains(strings.ToLower(text), strings.ToLower(c)) {
				t.Errorf("%s contain the canary %q", what, c)
			}
		}
	}
}

// What unknownCode lets through is short, has at most four digits in one
// run and is never a postcode, whatever the input.
func FuzzUnknownCode(f *testing.F) {
	for _, s := range []string{"E35", "461 Sr", "111222333", "7622ZZ", "2009-03-04", "Zwartjesveld", "art. 5 WVW", "OPI2002", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		got := unknownCode(v)
		switch got {
		case CodeOmschrijving, CodeLeeg:
			return
		}
		digits := 0
		for _, c := range got {
			if c >= '0' && c <= '9' {
				digits++
			}
		}
		if len(got) > 12 || digits == 0 || digits > 4 || isPC6(got) || !strings.Contains(strings.ToUpper(v), strings.Fields(got)[0]) {
			t.Errorf("unknownCode(%q) = %q: not a short code taken from the value", v, got)
		}
	})
}
