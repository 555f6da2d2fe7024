package aggregate

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ivz-twente/jeugd/schemas"
)

// Plan is the validated table plan (schemas/tabellen.yaml): per indicator
// its rule and the closed set of tables that are counted, protected and
// published.
type Plan struct {
	Indicatoren []*IndicatorPlan // in the order of Indicators
	Minima      []schemas.Minimum
	File        string
}

// IndicatorPlan is one indicator with its rule and tables.
type IndicatorPlan struct {
	Indicator
	Telt   string // personen | zaken | incidenten | registraties
	K      int64  // 0: published without threshold
	Waarom string
	// Tables is the plan's tables closed upwards: every coarser level,
	// period type and the totaal of every breakdown, in publishing order.
	Tables []Table
}

// Table is one area level x period type x breakdown, as indexes into
// Niveaus, Periodetypes and Uitsplitsingen.
type Table struct {
	Niveau, Periodetype, Uitsplitsing int
}

func (t Table) String() string {
	return Niveaus[t.Niveau] + " x " + Periodetypes[t.Periodetype] + " x " + Uitsplitsingen[t.Uitsplitsing]
}

// ErrPlan reports an invalid table plan.
var ErrPlan = errors.New("invalid table plan")

// ErrOutsidePlan reports a question the table plan does not publish.
var ErrOutsidePlan = errors.New("not in the table plan")

// telt is what each Count is called in the plan.
var telt = map[Count][]string{
	CountPersoon: {"personen"},
	CountZaak:    {"zaken", "incidenten"},
	CountRecords: {"registraties"},
}

// NewPlan checks p against the indicators and breakdowns this build knows
// and closes every indicator's tables upwards. Every problem is reported
// with file and line.
func NewPlan(p *schemas.Plan) (*Plan, error) {
	if p == nil {
		return nil, fmt.Errorf("%w: no table plan", ErrPlan)
	}
	out := &Plan{Minima: p.Minima, File: p.File}
	var errs []error
	bad := func(line int, format string, args ...any) {
		errs = append(errs, &schemas.Error{File: p.File, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	listed := map[string]*schemas.PlanIndicator{}
	for i := range p.Indicatoren {
		pi := &p.Indicatoren[i]
		if _, ok := IndicatorByName(pi.Naam); !ok {
			bad(pi.Line, "unknown indicator %q (known: %s)", pi.Naam, strings.Join(indicatorNames(), ", "))
			continue
		}
		listed[pi.Naam] = pi
	}
	for _, ind := range Indicators {
		pi := listed[ind.Name]
		if pi == nil {
			bad(0, "indicator %s is missing: list it, with tabellen: [] to publish nothing", ind.Name)
			continue
		}
		ip := &IndicatorPlan{Indicator: ind, Telt: pi.Telt, K: int64(pi.K), Waarom: pi.Waarom}
		if !slices.Contains(telt[ind.Count], pi.Telt) {
			bad(pi.Line, "indicator %s counts %s, not %s", ind.Name, strings.Join(telt[ind.Count], " or "), pi.Telt)
		}
		for _, t := range pi.Tabellen {
			n, pt := slices.Index(Niveaus, t.Niveau), slices.Index(Periodetypes, t.Periode)
			uits := []int{0}
			for _, u := range t.Uitsplitsingen {
				switch ui := slices.Index(Uitsplitsingen, u); {
				case ui <= 0 || !slices.Contains(ind.Uitsplitsingen, u):
					bad(t.Line, "indicator %s has no uitsplitsing %q (it has: %s)", ind.Name, u, strings.Join(ind.Uitsplitsingen, ", "))
				default:
					uits = append(uits, ui)
				}
			}
			if n < 0 || pt < 0 {
				continue // reported by the schema loader
			}
			for _, u := range uits {
				ip.add(Table{n, pt, u})
			}
		}
		ip.close()
		errs = append(errs, checkMinima(p, ip)...)
		out.Indicatoren = append(out.Indicatoren, ip)
	}
	errs = append(errs, checkLinked(p, out)...)
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPlan, err)
	}
	return out, nil
}

func indicatorNames() []string {
	var names []string
	for _, ind := range Indicators {
		names = append(names, ind.Name)
	}
	return names
}

func (ip *IndicatorPlan) add(t Table) {
	if !slices.Contains(ip.Tables, t) {
		ip.Tables = append(ip.Tables, t)
	}
}

// close adds every coarser table: the parent level, the parent period type
// and the totaal, until nothing changes; then sorts in publishing order.
func (ip *IndicatorPlan) close() {
	for i := 0; i < len(ip.Tables); i++ {
		t := ip.Tables[i]
		if t.Niveau > 0 {
			ip.add(Table{t.Niveau - 1, t.Periodetype, t.Uitsplitsing})
		}
		if t.Periodetype > 0 {
			ip.add(Table{t.Niveau, t.Periodetype - 1, t.Uitsplitsing})
		}
		if t.Uitsplitsing > 0 {
			ip.add(Table{t.Niveau, t.Periodetype, 0})
		}
	}
	slices.SortFunc(ip.Tables, func(a, b Table) int {
		if a.Niveau != b.Niveau {
			return a.Niveau - b.Niveau
		}
		if a.Periodetype != b.Periodetype {
			return a.Periodetype - b.Periodetype
		}
		return a.Uitsplitsing - b.Uitsplitsing
	})
}

// checkMinima refuses a plan that publishes a class finer than its minimum.
func checkMinima(p *schemas.Plan, ip *IndicatorPlan) []error {
	var errs []error
	for _, m := range p.Minima {
		u, n, pt := slices.Index(Uitsplitsingen, m.Uitsplitsing), slices.Index(Niveaus, m.Niveau), slices.Index(Periodetypes, m.Periode)
		if u <= 0 {
			errs = append(errs, &schemas.Error{File: p.File, Line: m.Line, Msg: fmt.Sprintf("minimum: unknown uitsplitsing %q", m.Uitsplitsing)})
			continue
		}
		for _, t := range ip.Tables {
			if t.Uitsplitsing == u && (t.Niveau > n || t.Periodetype > pt) {
				errs = append(errs, &schemas.Error{File: p.File, Line: m.Line, Msg: fmt.Sprintf(
					"indicator %s publishes %s, finer than the minimum %s x %s for %s %s", ip.Name, t, m.Niveau, m.Periode, m.Uitsplitsing, m.Klasse)})
			}
		}
	}
	return errs
}

// checkLinked refuses tables that relate two indicators: protecting each
// indicator on its own holds only when no published cell of one bounds a
// cell of another. The classes under 18 of slachtoffers by leeftijdsklasse
// are part of jeugdige_slachtoffers in the same area and period.
func checkLinked(p *schemas.Plan, plan *Plan) []error {
	s, j := plan.Indicator("slachtoffers"), plan.Indicator("jeugdige_slachtoffers")
	if s == nil || j == nil || len(j.Tables) == 0 {
		return nil
	}
	u := slices.Index(Uitsplitsingen, "leeftijdsklasse")
	for _, t := range s.Tables {
		if t.Uitsplitsing == u {
			line := 0
			for _, pi := range p.Indicatoren {
				if pi.Naam == s.Name {
					line = pi.Line
				}
			}
			return []error{&schemas.Error{File: p.File, Line: line, Msg: "slachtoffers by leeftijdsklasse bounds jeugdige_slachtoffers " +
				"(its classes under 18 are part of it): publish one of the two, not both"}}
		}
	}
	return nil
}

// Indicator returns the plan of the named indicator, or nil.
func (p *Plan) Indicator(name string) *IndicatorPlan {
	for _, ip := range p.Indicatoren {
		if ip.Name == name {
			return ip
		}
	}
	return nil
}

// Has reports whether ip publishes niveau x periodetype x uitsplitsing.
func (ip *IndicatorPlan) Has(niveau, periodetype, uitsplitsing string) bool {
	t := Table{slices.Index(Niveaus, niveau), slices.Index(Periodetypes, periodetype), slices.Index(Uitsplitsingen, uitsplitsing)}
	return slices.Contains(ip.Tables, t)
}

// Check explains why a question is outside the plan: an error naming what
// is published instead, wrapping ErrOutsidePlan, or nil when it is in it.
func (ip *IndicatorPlan) Check(niveau, periodetype, uitsplitsing string) error {
	if ip.Has(niveau, periodetype, uitsplitsing) {
		return nil
	}
	var offer []string
	for _, t := range ip.Tables {
		if Niveaus[t.Niveau] == niveau && Uitsplitsingen[t.Uitsplitsing] == uitsplitsing {
			offer = append(offer, "--periode "+Periodetypes[t.Periodetype])
		}
	}
	for _, t := range ip.Tables {
		if Periodetypes[t.Periodetype] == periodetype && Uitsplitsingen[t.Uitsplitsing] == uitsplitsing && Niveaus[t.Niveau] != niveau {
			offer = append(offer, "--per "+Niveaus[t.Niveau])
		}
	}
	msg := fmt.Sprintf("%s per %s per %s", ip.Name, niveau, periodetype)
	if uitsplitsing != "totaal" {
		msg += " by " + uitsplitsing
	}
	if len(offer) == 0 {
		return fmt.Errorf("%s is %w", msg, ErrOutsidePlan)
	}
	return fmt.Errorf("%s is %w; published: %s", msg, ErrOutsidePlan, strings.Join(offer, ", "))
}
