package aggregate

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ivz-twente/jeugd/schemas"
)

// planWith is the built-in plan with one indicator's entry changed.
func planWith(t *testing.T, ind string, change func(*schemas.PlanIndicator)) *schemas.Plan {
	t.Helper()
	p := *schemas.Builtin().Plan
	p.Indicatoren = slices.Clone(p.Indicatoren)
	for i := range p.Indicatoren {
		if p.Indicatoren[i].Naam == ind {
			pi := p.Indicatoren[i]
			pi.Tabellen = slices.Clone(pi.Tabellen)
			change(&pi)
			p.Indicatoren[i] = pi
		}
	}
	return &p
}

func TestNewPlanErrors(t *testing.T) {
	tests := map[string]struct {
		plan *schemas.Plan
		want string
	}{
		"telt": {planWith(t, "jeugdoverlast", func(pi *schemas.PlanIndicator) { pi.Telt = "personen" }),
			"indicator jeugdoverlast counts zaken or incidenten, not personen"},
		"uitsplitsing": {planWith(t, "jeugdoverlast", func(pi *schemas.PlanIndicator) {
			pi.Tabellen = append(pi.Tabellen, schemas.Tabel{Niveau: "gemeente", Periode: "jaar", Uitsplitsingen: []string{"geslacht"}, Line: 99})
		}), `tabellen.yaml:99: indicator jeugdoverlast has no uitsplitsing "geslacht"`},
		"zeden too fine": {planWith(t, "halt_verwijzingen", func(pi *schemas.PlanIndicator) {
			pi.Tabellen = append(pi.Tabellen, schemas.Tabel{Niveau: "wijk", Periode: "jaar", Uitsplitsingen: []string{"categorie"}})
		}), "indicator halt_verwijzingen publishes wijk x jaar x categorie, finer than the minimum gemeente x jaar for categorie zeden"},
		"linked": {planWith(t, "slachtoffers", func(pi *schemas.PlanIndicator) {
			pi.Tabellen = append(pi.Tabellen, schemas.Tabel{Niveau: "gemeente", Periode: "jaar", Uitsplitsingen: []string{"leeftijdsklasse"}})
		}), "slachtoffers by leeftijdsklasse bounds jeugdige_slachtoffers"},
		"missing": {func() *schemas.Plan {
			p := *schemas.Builtin().Plan
			p.Indicatoren = p.Indicatoren[1:]
			return &p
		}(), "indicator jeugdoverlast is missing"},
		"unknown": {func() *schemas.Plan {
			p := *schemas.Builtin().Plan
			p.Indicatoren = append(slices.Clone(p.Indicatoren), schemas.PlanIndicator{Naam: "jeugdcriminaliteit", Line: 7})
			return &p
		}(), `tabellen.yaml:7: unknown indicator "jeugdcriminaliteit"`},
	}
	for name, tt := range tests {
		_, err := NewPlan(tt.plan)
		if !errors.Is(err, ErrPlan) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want ErrPlan with %q", name, err, tt.want)
		}
	}
}

// A table implies every coarser one: a buurt x jaar table publishes the
// wijk, gemeente and regio totals per jaar; a breakdown its totaal.
func TestPlanClosure(t *testing.T) {
	p := testPlan(t)
	ip := p.Indicator("minderjarige_daders")
	for _, want := range [][3]string{
		{"buurt", "jaar", "totaal"}, {"wijk", "jaar", "totaal"}, {"wijk", "kwartaal", "totaal"},
		{"gemeente", "maand", "totaal"}, {"gemeente", "kwartaal", "totaal"}, {"regio", "maand", "totaal"},
		{"gemeente", "jaar", "geslacht"}, {"regio", "jaar", "categorie"},
	} {
		if !ip.Has(want[0], want[1], want[2]) {
			t.Errorf("minderjarige_daders lacks %v", want)
		}
	}
	for _, not := range [][3]string{{"buurt", "maand", "totaal"}, {"wijk", "maand", "totaal"}, {"gemeente", "maand", "geslacht"}, {"buurt", "jaar", "categorie"}} {
		if ip.Has(not[0], not[1], not[2]) {
			t.Errorf("minderjarige_daders publishes %v", not)
		}
	}
	if err := ip.Check("buurt", "maand", "totaal"); !errors.Is(err, ErrOutsidePlan) || !strings.Contains(err.Error(), "--periode jaar") || !strings.Contains(err.Error(), "--per gemeente") {
		t.Errorf("Check(buurt, maand) = %v", err)
	}
	if err := ip.Check("wijk", "kwartaal", "totaal"); err != nil {
		t.Error(err)
	}
	if !slices.IsSortedFunc(ip.Tables, func(a, b Table) int {
		return (a.Niveau*10+a.Periodetype)*10 + a.Uitsplitsing - ((b.Niveau*10+b.Periodetype)*10 + b.Uitsplitsing)
	}) {
		t.Error("tables not in publishing order")
	}
}
