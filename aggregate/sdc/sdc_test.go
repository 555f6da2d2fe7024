package sdc

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ivz-twente/jeugd/internal/attacker"
)

// attack runs the independent attacker on what r publishes of t and
// reports every withheld cell it determines and every small cell it pins to
// fewer than k values.
func attack(t *testing.T, tb *Table, r *Result, k int64) {
	t.Helper()
	cells := make([]attacker.Cell, len(tb.Values))
	for i, v := range tb.Values {
		cells[i] = attacker.Cell{Withheld: r.Status[i].Suppressed(), Value: v}
	}
	rels := make([]attacker.Relation, len(tb.Groups))
	for i, g := range tb.Groups {
		parts := make([]int, len(g.Parts))
		for j, p := range g.Parts {
			parts[j] = int(p)
		}
		rels[i] = attacker.Relation{Total: int(g.Total), Parts: parts, Exact: !g.Union}
	}
	b, bad := attacker.Propagate(cells, rels)
	if bad {
		t.Fatal("attacker: the published table contradicts its relations")
	}
	if _, err := attacker.TightenLP(cells, rels, &b, func(i int) bool { return cells[i].Withheld }, 40); err != nil {
		t.Fatalf("attacker LP: %v", err)
	}
	for i, v := range tb.Values {
		if !cells[i].Withheld {
			continue
		}
		if b.Lo[i] > v || b.Hi[i] < v {
			t.Errorf("cell %d = %d outside the attacker's bounds [%d, %d]: attacker unsound", i, v, b.Lo[i], b.Hi[i])
		}
		if b.Lo[i] == b.Hi[i] {
			t.Errorf("cell %d (%s, value %d) determined exactly", i, r.Status[i], v)
		}
		if v >= 1 && v < k && b.Hi[i]-b.Lo[i]+1 < k {
			t.Errorf("cell %d (value %d) pinned to [%d, %d]: fewer than %d values", i, v, b.Lo[i], b.Hi[i], k)
		}
	}
}

func mustProtect(t *testing.T, tb *Table, o Options) *Result {
	t.Helper()
	r, err := Protect(context.Background(), tb, o, nil)
	if err != nil {
		t.Fatalf("Protect: %v", err)
	}
	if err := Verify(tb, r, o); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	return r
}

func flat(total int64, parts ...int64) *Table {
	tb := &Table{Values: append([]int64{total}, parts...)}
	g := Group{Total: 0}
	for i := range parts {
		g.Parts = append(g.Parts, int32(i+1))
	}
	tb.Groups = []Group{g}
	return tb
}

// The halt_verwijzingen case of the issue: total 27, classes 7+8+5+5
// published and two classes of 1 withheld, which bounds alone pinned to 1.
func TestEnschedeCategorieen(t *testing.T) {
	tb := flat(27, 7, 8, 5, 5, 1, 1)
	o := Options{K: 5}
	r := mustProtect(t, tb, o)
	attack(t, tb, r, 5)
	if r.Status[0].Suppressed() {
		t.Errorf("the total 27 is withheld")
	}
	sec := 0
	for _, s := range r.Status {
		if s == Secondary {
			sec++
		}
	}
	if sec != 1 {
		t.Errorf("%d complements, want 1 (one class of 5 gives both small classes room up to 4): %v", sec, r.Status)
	}
}

// The Borne case: 5 jeugdige slachtoffers in a year, one each in five
// buurten of two wijken, every other buurt 0. Published gemeente and wijk
// totals must not pin the buurten to 1.
func TestBorneBuurten(t *testing.T) {
	// cells: 0 gemeente; 1, 2 wijken; 3..7 buurten of wijk 1; 8..12 of wijk 2
	vals := []int64{5, 3, 2, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0}
	tb := &Table{Values: vals, Groups: []Group{
		{Total: 0, Parts: []int32{1, 2}},
		{Total: 1, Parts: []int32{3, 4, 5, 6, 7}},
		{Total: 2, Parts: []int32{8, 9, 10, 11, 12}},
	}}
	for _, union := range []bool{false, true} {
		for i := range tb.Groups {
			tb.Groups[i].Union = union
		}
		r := mustProtect(t, tb, Options{K: 5})
		attack(t, tb, r, 5)
		if r.Status[0].Suppressed() {
			t.Errorf("union=%v: the gemeente total 5 is withheld", union)
		}
	}
}

// A single small part in a group whose other parts are all zero cannot be
// hidden by its own group: the search must go through the total.
func TestThroughTotal(t *testing.T) {
	// regio 0 = gemeenten 1, 2; gemeente 1 = buurten 3, 4; gemeente 2 = buurten 5, 6
	vals := []int64{30, 2, 28, 2, 0, 20, 8}
	tb := &Table{Values: vals, Groups: []Group{
		{Total: 0, Parts: []int32{1, 2}},
		{Total: 1, Parts: []int32{3, 4}},
		{Total: 2, Parts: []int32{5, 6}},
	}, Cost: []int64{1000, 10, 10, 1, 1, 1, 1}}
	r := mustProtect(t, tb, Options{K: 5})
	attack(t, tb, r, 5)
	if r.Status[0].Suppressed() {
		t.Error("the regio total is withheld")
	}
}

func TestMargin(t *testing.T) {
	tb := flat(27, 7, 8, 5, 5, 1, 1)
	o := Options{K: 5, Margin: 1}
	r := mustProtect(t, tb, o)
	if err := Verify(tb, r, Options{K: 5, Margin: 2}); err == nil {
		t.Error("Verify accepts a margin the certificates do not prove")
	}
}

func TestNothingToProtect(t *testing.T) {
	tb := flat(10, 1, 9)
	r := mustProtect(t, tb, Options{K: 0})
	for i, s := range r.Status {
		if s != Published {
			t.Errorf("K=0: cell %d %s", i, s)
		}
	}
}

func TestBadTable(t *testing.T) {
	for name, tb := range map[string]*Table{
		"negative": {Values: []int64{-1}},
		"range":    {Values: []int64{1}, Groups: []Group{{Total: 0, Parts: []int32{3}}}},
		"twice":    {Values: []int64{2, 1}, Groups: []Group{{Total: 0, Parts: []int32{1, 1}}}},
		"costs":    {Values: []int64{2, 1}, Cost: []int64{1}},
	} {
		if _, err := Protect(context.Background(), tb, Options{K: 5}, nil); !errors.Is(err, ErrBadTable) {
			t.Errorf("%s: Protect error %v, want ErrBadTable", name, err)
		}
	}
}

func TestProtectCancelled(t *testing.T) {
	tb := grid(rand.New(rand.NewPCG(1, 2)), 30, 0.2, false)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Protect(ctx, tb, Options{K: 5}, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Protect on a cancelled context: %v", err)
	}
}

// Verify must reject every way a protection can be wrong.
func TestVerifyRejects(t *testing.T) {
	tb := flat(27, 7, 8, 5, 5, 1, 1)
	o := Options{K: 5}
	cases := map[string]func(r *Result){
		"small published": func(r *Result) { r.Status[5] = Published },
		"complement unused": func(r *Result) {
			for i, s := range r.Status {
				if s == Published && tb.Values[i] > 0 {
					r.Status[i] = Secondary
					return
				}
			}
		},
		"unbalanced": func(r *Result) { r.Certs.Changes[0].Delta++ },
		"negative": func(r *Result) {
			for i, ch := range r.Certs.Changes {
				if ch.Delta < 0 {
					r.Certs.Changes[i].Delta -= 100
					return
				}
			}
		},
		"too narrow": func(r *Result) { r.Certs = Certificates{} },
	}
	for name, spoil := range cases {
		r := mustProtect(t, tb, o)
		spoil(r)
		if err := Verify(tb, r, o); err == nil {
			t.Errorf("%s: Verify accepts a spoiled protection", name)
		}
	}
}

// grid builds a hierarchical area x time table the way the table plan does,
// from random events: 2 gemeenten of 3 wijken of size/6 buurten, 12 months.
// Buurten are published per year, wijken per year and quarter, gemeenten
// and the regio per year, quarter and month. With union, values are
// distinct persons (a person has events in several buurten and months).
func grid(rng *rand.Rand, size int, density float64, union bool) *Table {
	type key struct{ lvl, area, pt, per int }
	const (
		buurt, wijk, gemeente, regio = 0, 1, 2, 3
		jaar, kwartaal, maand        = 0, 1, 2
	)
	nb := max(size/6, 1)
	parent := func(lvl, a int) int {
		switch lvl {
		case buurt:
			return a / nb
		case wijk:
			return a / 3
		}
		return 0
	}
	count := map[int]int{buurt: 6 * nb, wijk: 6, gemeente: 2, regio: 1}
	published := map[int][]int{buurt: {jaar}, wijk: {jaar, kwartaal}, gemeente: {jaar, kwartaal, maand}, regio: {jaar, kwartaal, maand}}
	periods := map[int]int{jaar: 1, kwartaal: 4, maand: 12}
	tb := &Table{}
	id := map[key]int32{}
	for lvl := regio; lvl >= buurt; lvl-- {
		for a := range count[lvl] {
			for _, pt := range published[lvl] {
				for p := range periods[pt] {
					id[key{lvl, a, pt, p}] = int32(len(tb.Values))
					tb.Values = append(tb.Values, 0)
					tb.Cost = append(tb.Cost, int64(1+lvl*lvl*10+(2-pt)))
				}
			}
		}
	}
	seen := map[[2]int32]bool{}
	persons := int(float64(6*nb*12) * density)
	for person := range persons {
		b := rng.IntN(6 * nb)
		events := 1
		if union {
			events = 1 + rng.IntN(3)
		}
		for range events {
			if union && rng.IntN(4) == 0 {
				b = rng.IntN(6 * nb)
			}
			m := rng.IntN(12)
			a := b
			for lvl := buurt; lvl <= regio; lvl++ {
				for _, pt := range published[lvl] {
					p := map[int]int{jaar: 0, kwartaal: m / 3, maand: m}[pt]
					c := id[key{lvl, a, pt, p}]
					if !union || !seen[[2]int32{c, int32(person)}] {
						seen[[2]int32{c, int32(person)}] = true
						tb.Values[c]++
					}
				}
				a = parent(lvl, a)
			}
		}
	}
	groups := map[[2]int32]*Group{} // (total, kind)
	link := func(total, part int32, kind int32) {
		g := groups[[2]int32{total, kind}]
		if g == nil {
			g = &Group{Total: total, Union: union}
			groups[[2]int32{total, kind}] = g
		}
		g.Parts = append(g.Parts, part)
	}
	for k, c := range id {
		if k.lvl < regio {
			if t, ok := id[key{k.lvl + 1, parent(k.lvl, k.area), k.pt, k.per}]; ok {
				link(t, c, 0)
			}
		}
		if k.pt > jaar {
			up := map[int]int{kwartaal: 0, maand: k.per / 3}[k.pt]
			if t, ok := id[key{k.lvl, k.area, k.pt - 1, up}]; ok {
				link(t, c, 1)
			}
		}
	}
	for total := range int32(len(tb.Values)) {
		for kind := range int32(2) {
			if g := groups[[2]int32{total, kind}]; g != nil {
				slicesSort(g.Parts)
				tb.Groups = append(tb.Groups, *g)
			}
		}
	}
	return tb
}

func slicesSort(s []int32) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// Random hierarchical tables, sparse and dense, exact and distinct counts:
// Verify passes and the independent attacker finds nothing.
func TestGridsAgainstAttacker(t *testing.T) {
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 7))
		size := 6 + rng.IntN(30)
		density := []float64{0.05, 0.2, 0.6, 2}[seed%4]
		union := seed%3 == 0
		t.Run(fmt.Sprintf("seed%d-size%d-d%g-union%v", seed, size, density, union), func(t *testing.T) {
			tb := grid(rng, size, density, union)
			for _, k := range []int64{3, 5} {
				o := Options{K: k}
				if seed%2 == 1 {
					o.Release = 40 // gemeente and regio cells
				}
				r := mustProtect(t, tb, o)
				attack(t, tb, r, k)
				r2 := mustProtect(t, tb, o)
				if fmt.Sprint(r.Status) != fmt.Sprint(r2.Status) {
					t.Fatal("Protect is not deterministic")
				}
			}
		})
	}
}

// The union of a publication and a stricter answer reveals no more than the
// publication: everything the answer publishes, the publication does too,
// and the answer stands alone under its own threshold.
func TestReprotect(t *testing.T) {
	for seed := range uint64(12) {
		tb := grid(rand.New(rand.NewPCG(seed, 3)), 24, 0.4, seed%2 == 0)
		pub := mustProtect(t, tb, Options{K: 5, Release: 40})
		r, err := Reprotect(context.Background(), tb, pub, Options{K: 10, Release: 40}, nil)
		if err != nil {
			t.Fatalf("seed %d: Reprotect: %v", seed, err)
		}
		if err := Verify(tb, r, Options{K: 10}); err != nil {
			t.Fatalf("seed %d: Verify k=10: %v", seed, err)
		}
		for i := range tb.Values {
			if pub.Status[i].Suppressed() && !r.Status[i].Suppressed() {
				t.Fatalf("seed %d: cell %d withheld by the publication, published by the answer", seed, i)
			}
		}
		attack(t, tb, r, 10)
		attack(t, tb, pub, 5)
	}
}

// Release publishes a dear complement again when cheap cells can take its
// place in every certificate that uses it, and keeps it when they cost
// more or a previous protection withheld it.
func TestRelease(t *testing.T) {
	// T = a + b + c and b = p + q; a = 1 is small. T and p are dear.
	const T, a, b, c, p, q = 0, 1, 2, 3, 4, 5
	tb := &Table{
		Values: []int64{21, 1, 10, 10, 5, 5},
		Groups: []Group{{Total: T, Parts: []int32{a, b, c}}, {Total: b, Parts: []int32{p, q}}},
		Cost:   []int64{1000, 1, 1, 1, 1000, 1},
	}
	o := Options{K: 5, Release: 100}
	// What a greedy search may leave: both certificates move the total.
	greedy := func() *Result {
		r := &Result{Status: []Status{Secondary, Primary, Published, Published, Published, Published}}
		r.Certs.add(a, []Change{{a, 3}, {T, 3}})
		r.Certs.add(a, []Change{{a, -1}, {T, -1}})
		return r
	}
	for _, tc := range []struct {
		name   string
		table  func() *Table
		fixed  bool
		wantT  Status
		wantOf []Status // statuses of b and c: one of them takes T's place
	}{
		{"released", func() *Table { return tb }, false, Published, nil},
		{"kept when the replacement costs more", func() *Table {
			t2 := *tb
			t2.Cost = []int64{1000, 1, 1, 2000, 1, 1}
			t2.Groups = []Group{{Total: T, Parts: []int32{a, b, c}}, {Total: b, Parts: []int32{p, q}}}
			t2.Values = []int64{21, 1, 10, 10, 5, 5}
			// b and c both cost more than T once b's own group needs p.
			t2.Cost[b], t2.Cost[p], t2.Cost[q] = 1, 2000, 2000
			return &t2
		}, false, Secondary, nil},
		{"kept when a previous protection withheld it", func() *Table { return tb }, true, Secondary, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tb := tc.table()
			r := greedy()
			var fixed []Status
			if tc.fixed {
				fixed = append([]Status(nil), r.Status...)
			}
			if err := release(context.Background(), newSearcher(tb, r.Status), o, nil, r, fixed); err != nil {
				t.Fatal(err)
			}
			if r.Status[T] != tc.wantT {
				t.Errorf("total: %s, want %s", r.Status[T], tc.wantT)
			}
			if err := Verify(tb, r, o); err != nil {
				t.Fatalf("Verify after release: %v", err)
			}
			attack(t, tb, r, o.K)
		})
	}
}
