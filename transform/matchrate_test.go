package transform

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ivz-twente/jeugd/transform/geocode"
)

func TestMatchRates(t *testing.T) {
	st := Stats{Geocode: map[GeocodeKey]int{
		{"politie-verdachten", LocatieWoon, geocode.MethodPostcodeHuisnummer}: 0, // no rows: ignored
		{"politie-verdachten", LocatieWoon, geocode.MethodGemeente}:           30,
		{"politie-verdachten", LocatieWoon, geocode.MethodOnbekend}:           5,
		{"politie-verdachten", LocatieWoon, geocode.MethodBuurtcode}:          5,
		{"politie-verdachten", LocatiePleeg, geocode.MethodCoordinaten}:       9,
		{"politie-verdachten", LocatiePleeg, geocode.MethodOnbekend}:          1,
		{"halt-verwijzingen", LocatieWoon, geocode.MethodPostcode}:            4,
	}}
	got := st.MatchRates()
	want := []MatchRate{
		{Source: "halt-verwijzingen", Locatie: LocatieWoon, Rows: 4, Buurt: 4, ByMethod: map[geocode.Method]int{geocode.MethodPostcode: 4}},
		{Source: "politie-verdachten", Locatie: LocatiePleeg, Rows: 10, Buurt: 9,
			ByMethod: map[geocode.Method]int{geocode.MethodCoordinaten: 9, geocode.MethodOnbekend: 1}},
		{Source: "politie-verdachten", Locatie: LocatieWoon, Rows: 40, Buurt: 5,
			ByMethod: map[geocode.Method]int{geocode.MethodGemeente: 30, geocode.MethodOnbekend: 5, geocode.MethodBuurtcode: 5}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("MatchRates (-want +got):\n%s", diff)
	}
	if r := got[2].Rate(); r != 0.125 {
		t.Errorf("Rate = %v; want 0.125", r)
	}
	if s := got[2].String(); s != "politie-verdachten woon 12.5% in a buurt (5 of 40; gemeente 30, onbekend 5)" {
		t.Errorf("String = %q", s)
	}
	if low := st.LowMatchRates(0.9); len(low) != 1 || low[0].Locatie != LocatieWoon || low[0].Source != "politie-verdachten" {
		t.Errorf("LowMatchRates(0.9) = %v; want politie-verdachten woon", low)
	}
	if err := st.CheckMatchRates(0.1); err != nil {
		t.Errorf("CheckMatchRates(0.1) = %v; want nil", err)
	}
	err := st.CheckMatchRates(0.95)
	var mre *MatchRateError
	if !errors.Is(err, ErrLowMatchRate) || !errors.As(err, &mre) || len(mre.Rates) != 2 {
		t.Fatalf("CheckMatchRates(0.95) = %v; want a MatchRateError for two locations", err)
	}
	for _, want := range []string{"politie-verdachten pleeg 90.0%", "politie-verdachten woon 12.5%", "minimum 95.0%"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

// Persons with only postcode + huisnummer and no postcode table end up at
// their gemeente: the match rate says so, per source, through the Stage.
func TestMatchRatesFromStage(t *testing.T) {
	res := runAll(t, testKey)
	rates := map[string]float64{}
	for _, r := range res.stats.MatchRates() {
		rates[r.Source+" "+r.Locatie] = r.Rate()
	}
	for k, want := range map[string]float64{
		"politie-incidenten pleeg": 0.75, // 3 of 4: one row gave nothing that resolves
		"politie-verdachten woon":  0.5,  // one at gemeente only
		"jgz-signalen woon":        0,    // both at gemeente only
		"leerplicht-verzuim woon":  1,
	} {
		if got, ok := rates[k]; !ok || got != want {
			t.Errorf("match rate %s = %v (present %v); want %v", k, got, ok, want)
		}
	}
}
