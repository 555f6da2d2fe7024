package aggregate

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ivz-twente/jeugd/internal/attacker"
)

// attackCells runs the independent attacker on what cells publish and
// fails on every withheld cell it determines and every small cell it pins
// to fewer than k values.
func attackCells(t *testing.T, c *Counts, p Policy) {
	t.Helper()
	rows := make([]attacker.Row, len(c.Cells))
	for i, cell := range c.Cells {
		rows[i] = attacker.Row{Indicator: cell.Indicator, Niveau: cell.Gebiedsniveau, Code: cell.Gebiedscode,
			Periodetype: cell.Periodetype, Periode: cell.Periode, Uitsplitsing: cell.Uitsplitsing, Klasse: cell.Klasse,
			Waarde: cell.Waarde, Withheld: cell.Onderdrukt}
	}
	cells, rels, _, err := attacker.System(rows, func(ind string) bool {
		i, _ := IndicatorByName(ind)
		return i.Count != CountPersoon
	})
	if err != nil {
		t.Fatal(err)
	}
	b, bad := attacker.Propagate(cells, rels)
	if bad {
		t.Fatal("attacker: the publication contradicts its relations")
	}
	if _, err := attacker.TightenLP(cells, rels, &b, func(i int) bool { return cells[i].Withheld }, 200); err != nil {
		t.Fatal(err)
	}
	for _, part := range c.parts {
		k := p.K(part.g.ip)
		for id, v := range part.values {
			i := part.start + id
			if !cells[i].Withheld {
				continue
			}
			if v < b.Lo[i] || v > b.Hi[i] {
				t.Fatalf("attacker unsound on %s: %d outside [%d, %d]", describe(&c.Cells[i]), v, b.Lo[i], b.Hi[i])
			}
			if b.Lo[i] == b.Hi[i] {
				t.Errorf("%s (%d) determined", describe(&c.Cells[i]), v)
			}
			if v > 0 && v < k && b.Hi[i]-b.Lo[i]+1 < k {
				t.Errorf("%s (%d) pinned to [%d, %d]", describe(&c.Cells[i]), v, b.Lo[i], b.Hi[i])
			}
		}
	}
}

func TestProtectAgainstAttacker(t *testing.T) {
	for seed := range uint64(4) {
		r := rand.New(rand.NewPCG(seed, 42))
		evs := randomEvents(r, []int{100, 400, 1500, 4000}[seed])
		t.Run(fmt.Sprint(len(evs)), func(t *testing.T) {
			s := loadStore(t, evs)
			c := count(t, s, "2026-02-15", testGebieden)
			p := Policy{Plan: testPlan(t), Margin: DefaultMargin}
			sum, err := c.Protect(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Verify(p); err != nil {
				t.Fatal(err)
			}
			checkSummary(t, c, p, sum)
			for _, cell := range c.Cells {
				if cell.Onderdrukt && cell.Waarde != 0 {
					t.Fatalf("%s withheld but keeps its value", line(cell))
				}
			}
			attackCells(t, c, p)
		})
	}
}

// jeugdoverlast has no threshold in the plan: nothing of it is withheld,
// unless a privacy officer gives it one.
func TestJeugdoverlastThreshold(t *testing.T) {
	s := loadStore(t, randomEvents(rand.New(rand.NewPCG(3, 3)), 1500))
	for _, k := range []int64{0, 5} {
		plan := testPlan(t)
		plan.Indicator("jeugdoverlast").K = k
		c := count(t, s, "2026-02-15", testGebieden)
		p := Policy{Plan: plan, Margin: DefaultMargin}
		if _, err := c.Protect(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		small, withheld := 0, 0
		for _, cell := range c.Cells {
			if cell.Indicator != "jeugdoverlast" {
				continue
			}
			if cell.Onderdrukt {
				withheld++
			} else if cell.Waarde > 0 && cell.Waarde < 5 {
				small++
			}
		}
		switch {
		case k == 0 && (withheld > 0 || small == 0):
			t.Errorf("k=0: %d withheld, %d small published; want none withheld", withheld, small)
		case k == 5 && (withheld == 0 || small > 0):
			t.Errorf("k=5: %d withheld, %d small published; want small ones withheld", withheld, small)
		}
	}
}

// Verify trusts nothing it did not check: a small count or a changed
// value in what is published is found.
func TestVerifyRejectsTampering(t *testing.T) {
	s := loadStore(t, randomEvents(rand.New(rand.NewPCG(5, 5)), 800))
	p := Policy{Plan: testPlan(t), Margin: DefaultMargin}
	for name, spoil := range map[string]func(c *Counts){
		"small published": func(c *Counts) {
			for i, cell := range c.Cells {
				if cell.Onderdrukt && c.value(i) > 0 && c.value(i) < 5 {
					c.Cells[i].Onderdrukt, c.Cells[i].Waarde = false, c.value(i)
					return
				}
			}
		},
		"value changed": func(c *Counts) {
			for i, cell := range c.Cells {
				if !cell.Onderdrukt && cell.Waarde > 5 {
					c.Cells[i].Waarde++
					return
				}
			}
		},
		"complement published": func(c *Counts) {
			for i, cell := range c.Cells {
				if cell.Onderdrukt && c.value(i) >= 5 {
					c.Cells[i].Onderdrukt, c.Cells[i].Waarde = false, c.value(i)
					return
				}
			}
		},
	} {
		c := count(t, s, "2026-02-15", testGebieden)
		if _, err := c.Protect(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		spoil(c)
		if err := c.Verify(p); !errors.Is(err, ErrDisclosure) {
			t.Errorf("%s: Verify = %v, want ErrDisclosure", name, err)
		}
	}
}

// A stricter answer withholds everything the publication withholds, so
// together they tell no more than the publication, and stands on its own
// under its stricter k.
func TestReprotectStricter(t *testing.T) {
	s := loadStore(t, randomEvents(rand.New(rand.NewPCG(8, 8)), 2000))
	pub := Policy{Plan: testPlan(t), Margin: DefaultMargin}
	c := count(t, s, "2026-02-15", testGebieden)
	if _, err := c.Protect(context.Background(), pub); err != nil {
		t.Fatal(err)
	}
	before := make([]bool, len(c.Cells))
	for i, cell := range c.Cells {
		before[i] = cell.Onderdrukt
	}
	strict := Policy{Plan: pub.Plan, MinCount: 10, Margin: DefaultMargin}
	if _, err := c.Reprotect(context.Background(), pub, strict); err != nil {
		t.Fatal(err)
	}
	if err := c.Verify(strict); err != nil {
		t.Fatal(err)
	}
	more := 0
	for i, cell := range c.Cells {
		if before[i] && !cell.Onderdrukt {
			t.Fatalf("%s withheld by the publication, published by the stricter answer", line(cell))
		}
		if !before[i] && cell.Onderdrukt {
			more++
		}
	}
	if more == 0 {
		t.Error("k=10 withheld nothing more than k=5")
	}
	attackCells(t, c, strict)
	if _, err := c.Reprotect(context.Background(), strict, pub); !errors.Is(err, ErrPolicy) {
		t.Errorf("Reprotect to a weaker policy: %v, want ErrPolicy", err)
	}
}

func TestPolicyValidate(t *testing.T) {
	plan := testPlan(t)
	for _, p := range []Policy{{}, {Plan: plan, MinCount: 1}, {Plan: plan, Margin: -1}} {
		if err := p.Validate(); !errors.Is(err, ErrPolicy) {
			t.Errorf("%+v: Validate = %v, want ErrPolicy", p, err)
		}
	}
	if err := (Policy{Plan: plan, MinCount: 7}).Validate(); err != nil {
		t.Error(err)
	}
	p := Policy{Plan: plan, MinCount: 7}
	if k := p.K(plan.Indicator("jeugdoverlast")); k != 0 {
		t.Errorf("MinCount raised jeugdoverlast's k to %d; the plan publishes it without threshold", k)
	}
	if k := p.K(plan.Indicator("halt_verwijzingen")); k != 7 {
		t.Errorf("halt_verwijzingen k = %d, want 7", k)
	}
}

// checkSummary recounts the loss of every table from the cells and their
// true values.
func checkSummary(t *testing.T, c *Counts, p Policy, sum *Summary) {
	t.Helper()
	want := map[string]*Loss{}
	for _, part := range c.parts {
		k := p.K(part.g.ip)
		for id, v := range part.values {
			cell := &c.Cells[part.start+id]
			key := cell.Indicator + "|" + cell.Gebiedsniveau + "|" + cell.Periodetype + "|" + cell.Uitsplitsing
			l := want[key]
			if l == nil {
				l = &Loss{}
				want[key] = l
			}
			l.Cells++
			small := v >= 1 && v < k
			switch {
			case small:
				l.Primary++
			case cell.Onderdrukt:
				l.Secondary++
			}
			if v >= max(k, 1) {
				l.AtLeastK++
				if cell.Onderdrukt {
					l.AtLeastKWithheld++
				}
			}
		}
	}
	if len(sum.Tables) != len(want) {
		t.Fatalf("summary has %d tables, the cells %d", len(sum.Tables), len(want))
	}
	for _, l := range sum.Tables {
		key := l.Indicator + "|" + Niveaus[l.Table.Niveau] + "|" + Periodetypes[l.Table.Periodetype] + "|" + Uitsplitsingen[l.Table.Uitsplitsing]
		w := want[key]
		if w == nil {
			t.Fatalf("summary table %s has no cells", key)
		}
		if l.Cells != w.Cells || l.Primary != w.Primary || l.Secondary != w.Secondary || l.AtLeastK != w.AtLeastK || l.AtLeastKWithheld != w.AtLeastKWithheld {
			t.Errorf("%s: summary %+v, cells give %+v", key, l, *w)
		}
	}
}
