package aggregate

import (
	"errors"
	"fmt"

	"github.com/ivz-twente/jeugd/aggregate/sdc"
)

// Policy is the disclosure control for one recipient.
type Policy struct {
	Name     string // suppress (default) | round5
	MinCount int    // k: suppress counts 0 < n < k; default 5
}

// Policy names.
const (
	PolicySuppress = "suppress"
	PolicyRound5   = "round5"
)

// ErrPolicy reports an invalid Policy.
var ErrPolicy = errors.New("invalid disclosure policy")

// withDefaults fills the defaults and validates.
func (p Policy) withDefaults() (Policy, error) {
	if p.Name == "" {
		p.Name = PolicySuppress
	}
	if p.MinCount == 0 {
		p.MinCount = 5
	}
	switch {
	case p.Name != PolicySuppress && p.Name != PolicyRound5:
		return p, fmt.Errorf("%w: unknown policy %q (want %s or %s)", ErrPolicy, p.Name, PolicySuppress, PolicyRound5)
	case p.MinCount < 2:
		return p, fmt.Errorf("%w: minimum count %d is below 2", ErrPolicy, p.MinCount)
	}
	return p, nil
}

// Validate reports whether p, with its defaults filled in, is usable.
func (p Policy) Validate() error {
	_, err := p.withDefaults()
	return err
}

// Summary reports what Protect did.
type Summary struct {
	Policy     Policy                // with defaults filled in
	Indicators map[string]Suppressed // by indicator name; every indicator with cells
}

// Suppressed counts the withheld cells of one indicator.
type Suppressed struct {
	Primary   int // 0 < n < k
	Secondary int // complements, so that no primary cell can be derived
}

// Protect applies p to cells in place. With suppress it withholds every
// count 0 < n < k and the complements that keep them underivable through
// any additive relation (see Groups), and zeroes the Waarde of withheld
// cells so nothing downstream can leak it. With round5 it rounds every
// Waarde (sdc.Round5) and withholds nothing. cells must be the complete
// output of one Cells call: an absent cell is a published zero.
func Protect(cells []Cell, p Policy) (Summary, error) {
	p, err := p.withDefaults()
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{Policy: p, Indicators: map[string]Suppressed{}}
	for _, c := range cells {
		sum.Indicators[c.Indicator] = Suppressed{}
	}
	if p.Name == PolicyRound5 {
		for i := range cells {
			cells[i].Waarde = sdc.Round5(cells[i].Waarde)
			cells[i].Onderdrukt = false
		}
		return sum, nil
	}
	t := sdc.Table{Values: make([]int64, len(cells)), Groups: Groups(cells)}
	for i, c := range cells {
		t.Values[i] = c.Waarde
	}
	st, err := sdc.Protect(&t, p.MinCount)
	if err != nil {
		if ue, ok := errors.AsType[*sdc.UnsafeError](err); ok && ue.Cell >= 0 && ue.Cell < len(cells) {
			c := cells[ue.Cell]
			return sum, fmt.Errorf("protect %s %s %s %s %s %s: %w", c.Indicator, c.Gebiedsniveau, c.Gebiedscode, c.Periode, c.Uitsplitsing, c.Klasse, err)
		}
		return sum, fmt.Errorf("protect: %w", err)
	}
	for i, s := range st {
		cells[i].Onderdrukt = s.Suppressed()
		if !s.Suppressed() {
			continue
		}
		cells[i].Waarde = 0
		n := sum.Indicators[cells[i].Indicator]
		if s == sdc.Primary {
			n.Primary++
		} else {
			n.Secondary++
		}
		sum.Indicators[cells[i].Indicator] = n
	}
	return sum, nil
}

// cellKey identifies a cell without its value.
type cellKey struct {
	indicator, niveau, code, periodetype, periode, uitsplitsing, klasse string
}

func keyOf(c *Cell) cellKey {
	return cellKey{c.Indicator, c.Gebiedsniveau, c.Gebiedscode, c.Periodetype, c.Periode, c.Uitsplitsing, c.Klasse}
}

// parentNiveau is the gebiedsniveau that a niveau's areas add up to.
var parentNiveau = map[string]string{"buurt": "wijk", "wijk": "gemeente", "gemeente": "regio"}

// Groups returns every additive relation between cells, as indexes into
// cells: the buurten of a wijk (onbekend included) add up to the wijk, the
// wijken to the gemeente, the gemeenten to the regio; the classes of a
// breakdown to its totaal; the months of a kwartaal to it and the
// kwartalen of a jaar to it. A group exists only where its total cell does;
// absent parts are zeros. Distinct counts are not strictly additive (a
// person may live in two buurten of one wijk, or be 14 and 15 in one year),
// so the parts may add up to more than the total; treating every group as
// exact only makes the protection stricter. Groups are in a deterministic
// order for equal input.
func Groups(cells []Cell) []sdc.Group {
	index := make(map[cellKey]int, len(cells))
	for i := range cells {
		index[keyOf(&cells[i])] = i
	}
	var (
		groups []sdc.Group
		byTot  = map[[2]int]int{} // (total, kind) -> index in groups
	)
	add := func(total, kind, part int) {
		k := [2]int{total, kind}
		g, ok := byTot[k]
		if !ok {
			g = len(groups)
			byTot[k] = g
			groups = append(groups, sdc.Group{Total: total})
		}
		groups[g].Parts = append(groups[g].Parts, part)
	}
	const (
		kindArea = iota
		kindTime
		kindBreakdown // + index of the uitsplitsing, so each breakdown is its own group
	)
	for i := range cells {
		c := &cells[i]
		if pn, ok := parentNiveau[c.Gebiedsniveau]; ok && c.Ouder != "" {
			k := keyOf(c)
			k.niveau, k.code = pn, c.Ouder
			if t, ok := index[k]; ok {
				add(t, kindArea, i)
			}
		}
		if pp, ok := parentPeriode(c.Periodetype, c.Periode); ok {
			k := keyOf(c)
			k.periodetype, k.periode = pp.periodetype, pp.periode
			if t, ok := index[k]; ok {
				add(t, kindTime, i)
			}
		}
		if c.Uitsplitsing != "totaal" {
			k := keyOf(c)
			k.uitsplitsing, k.klasse = "totaal", "totaal"
			if t, ok := index[k]; ok {
				add(t, kindBreakdown+uitsplitsingRank[c.Uitsplitsing], i)
			}
		}
	}
	return groups
}

type periode struct{ periodetype, periode string }

// parentPeriode is the kwartaal of a maand ("2025-03" -> "2025-K1") or the
// jaar of a kwartaal ("2025-K1" -> "2025").
func parentPeriode(pt, p string) (periode, bool) {
	switch {
	case pt == "maand" && len(p) == 7:
		m := (p[5]-'0')*10 + p[6] - '0'
		if m < 1 || m > 12 {
			return periode{}, false
		}
		return periode{"kwartaal", p[:4] + "-K" + string(rune('1'+(m-1)/3))}, true
	case pt == "kwartaal" && len(p) == 7:
		return periode{"jaar", p[:4]}, true
	}
	return periode{}, false
}
