package pipeline

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ivz-twente/jeugd/aggregate"
	"github.com/ivz-twente/jeugd/internal/dekking"
	"github.com/ivz-twente/jeugd/publish"
	"github.com/ivz-twente/jeugd/schemas"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

// publishCoverage writes dashboard/bronnen.csv (which months each source
// covers) and dashboard/definities.csv (what each indicator's figures
// mean) into dir.
func publishCoverage(o Options, ref *geocode.Reference, dek *dekking.Dekking, dir string) error {
	plan := o.policy.Plan
	var bronnen []publish.BronDekking
	for _, b := range dek.Bronnen() {
		row := publish.BronDekking{Bron: b.Bron, EersteMaand: b.Van, LaatsteMaand: b.Tot, Ontbreekt: b.Ontbreekt, Bepaald: b.Bepaald}
		for _, ip := range plan.Indicatoren {
			if slices.Contains(ip.Bronnen, b.Bron) {
				row.Indicatoren = append(row.Indicatoren, ip.Name)
			}
		}
		bronnen = append(bronnen, row)
	}
	if err := publish.WriteBronnen(dir, bronnen); err != nil {
		return err
	}
	indeling := Buurtindeling(ref)
	var defs []publish.Definitie
	for _, ip := range plan.Indicatoren {
		defs = append(defs, publish.Definitie{
			Indicator: ip.Name, Definitie: ip.Doc, Telt: ip.Telt, Locatie: locatie(ip.Locatie), Bronnen: ip.Bronnen,
			Leeftijd: Leeftijd(ip.Indicator, o.Schemas), K: o.policy.K(ip), Buurtindeling: indeling, Dekking: geenGegevens(ip.Bronnen),
		})
	}
	return publish.WriteDefinities(dir, defs)
}

func locatie(l aggregate.Locatie) string {
	if l == aggregate.Pleeg {
		return "pleegbuurt"
	}
	return "woonbuurt"
}

// leeftijden are the ages an indicator counts where its definition (not
// its source's range) sets them; see aggregate.Indicators. An indicator of
// one source without an entry counts its source's plausible range.
var leeftijden = map[string]string{
	"jeugdoverlast":         "n.v.t. (incidenten, geen personen)",
	"minderjarige_daders":   "12-17 op de pleegdatum (Halt: op de verwijsdatum)",
	"feiten_minderjarigen":  "ten minste één verdachte van 12-17",
	"slachtoffers":          "alle leeftijden (slachtoffers van feiten met ten minste één verdachte van 12-17)",
	"jeugdige_slachtoffers": "0-17",
	"verzuimmeldingen":      "5-22 (leerplicht 5-17, RMC 18-22)",
}

// Leeftijd says which ages indicator ind counts.
func Leeftijd(ind aggregate.Indicator, set *schemas.Set) string {
	if s, ok := leeftijden[ind.Name]; ok {
		return s
	}
	if len(ind.Bronnen) == 1 {
		if src := set.Source(ind.Bronnen[0]); src != nil && src.Leeftijd != nil {
			return fmt.Sprintf("%d-%d", src.Leeftijd.Min, src.Leeftijd.Max)
		}
	}
	return "alle leeftijden"
}

// geenGegevens says when a month of an indicator of these sources has no
// figures.
func geenGegevens(bronnen []string) string {
	if len(bronnen) == 1 {
		return "een maand die " + bronnen[0] + " niet dekt (bronnen.csv), en het kwartaal en jaar waarin die valt"
	}
	return "een maand die niet alle bronnen (" + strings.Join(bronnen, ", ") + ") dekken, ook als de andere wel " +
		"geleverd hebben (bronnen.csv), en het kwartaal en jaar waarin die valt"
}

// Buurtindeling says which year of the CBS buurt indeling the reference
// data uses, with the count per year when it mixes years, and the year of
// the boundaries: "2024", or "gemengd: 2024 (415 buurten), 2019 (142
// buurten); grenzen 2019".
func Buurtindeling(ref *geocode.Reference) string {
	jaren, grenzen := map[int]int{}, map[int]int{}
	for _, b := range ref.Buurten {
		jaren[b.Jaar]++
		if b.GrensJaar > 0 {
			grenzen[b.GrensJaar]++
		}
	}
	describe := func(per map[int]int) string {
		years := slices.Sorted(maps.Keys(per))
		slices.Reverse(years) // newest first; 0 (unknown) last
		if len(years) == 1 {
			if years[0] == 0 {
				return "onbekend"
			}
			return fmt.Sprint(years[0])
		}
		var parts []string
		for _, y := range years {
			name := fmt.Sprint(y)
			if y == 0 {
				name = "onbekend"
			}
			parts = append(parts, fmt.Sprintf("%s (%d buurten)", name, per[y]))
		}
		return "gemengd: " + strings.Join(parts, ", ")
	}
	s := describe(jaren)
	if len(grenzen) > 0 {
		s += "; grenzen " + describe(grenzen)
	}
	return s
}
