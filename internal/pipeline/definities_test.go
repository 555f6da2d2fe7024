package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ivz-twente/jeugd/aggregate"
	"github.com/ivz-twente/jeugd/schemas"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

// Every indicator says which ages it counts: its definition's, or the
// plausible range of its one source.
func TestLeeftijd(t *testing.T) {
	set := schemas.Builtin()
	for _, ind := range aggregate.Indicators {
		got := Leeftijd(ind, set)
		if got == "" || got == "alle leeftijden" && ind.Name != "slachtoffers" {
			t.Errorf("%s: leeftijd %q", ind.Name, got)
		}
		if len(ind.Bronnen) == 1 {
			if r := set.Source(ind.Bronnen[0]).Leeftijd; r != nil {
				if want := strings.TrimSpace(strings.Split(got, "(")[0]); want != fmt.Sprintf("%d-%d", r.Min, r.Max) {
					t.Errorf("%s: leeftijd %q, its source %s has %d-%d", ind.Name, got, ind.Bronnen[0], r.Min, r.Max)
				}
			}
		}
	}
}

func TestBuurtindeling(t *testing.T) {
	one := &geocode.Reference{Buurten: []geocode.Buurt{{Jaar: 2024, GrensJaar: 2024}, {Jaar: 2024, GrensJaar: 2024}}}
	if got, want := Buurtindeling(one), "2024; grenzen 2024"; got != want {
		t.Errorf("Buurtindeling = %q, want %q", got, want)
	}
	if got, want := Buurtindeling(&geocode.Reference{Buurten: []geocode.Buurt{{}}}), "onbekend"; got != want {
		t.Errorf("Buurtindeling without years = %q, want %q", got, want)
	}
	dir := filepath.Join("..", "..", "..", "shared", "data")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no Twente reference data at %s: %v", dir, err)
	}
	ref, err := geocode.LoadReference(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := Buurtindeling(ref), "gemengd: 2024 (415 buurten), 2019 (142 buurten); grenzen 2019"; got != want {
		t.Errorf("Buurtindeling(Twente) = %q, want %q", got, want)
	}
}
