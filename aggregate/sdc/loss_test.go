package sdc

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
)

// lossOf summarises what a pattern withholds beyond the primary cells.
type lossOf struct {
	cells, primary, secondary, bigSecondary int
	secondarySum, maxSecondary              int64
}

func measure(tb *Table, k int, st []Status) lossOf {
	l := lossOf{cells: len(st)}
	for c, s := range st {
		switch s {
		case Primary:
			l.primary++
		case Secondary:
			v := tb.Values[c]
			l.secondary++
			l.secondarySum += v
			l.maxSecondary = max(l.maxSecondary, v)
			if v >= 2*int64(k) {
				l.bigSecondary++
			}
		}
	}
	return l
}

func (l lossOf) String(name string) string {
	return fmt.Sprintf("%-16s cells %7d primary %7d secondary %6d (%5.1f%% suppressed) >=2k %5d sum %8d max %6d",
		name, l.cells, l.primary, l.secondary, 100*float64(l.primary+l.secondary)/float64(l.cells), l.bigSecondary, l.secondarySum, l.maxSecondary)
}

// TestLossReport logs the information loss of Protect on the benchmark
// table and the sparse testdata; run with -v -run LossReport.
func TestLossReport(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	files, _ := filepath.Glob("testdata/sparse-*.json")
	for _, f := range files {
		tb, k := readTable(t, f)
		st, err := Protect(tb, k)
		if err != nil {
			t.Fatal(err)
		}
		t.Log(measure(tb, k, st).String(filepath.Base(f)))
	}
	var sum lossOf
	for seed := range uint64(200) {
		tb, k := randomSparse(seed)
		st, err := Protect(tb, k)
		if err != nil {
			t.Fatal(err)
		}
		l := measure(tb, k, st)
		sum.cells += l.cells
		sum.primary += l.primary
		sum.secondary += l.secondary
		sum.bigSecondary += l.bigSecondary
		sum.secondarySum += l.secondarySum
		sum.maxSecondary = max(sum.maxSecondary, l.maxSecondary)
	}
	t.Log(sum.String("200 sparse"))
	tb := benchTable()
	st, err := Protect(tb, 5)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(measure(tb, 5, st).String("bench"))
}

// randomSparse is genSparse with a seeded generator instead of rapid, so
// that loss figures compare across versions: 3 gemeenten, 2-3 wijken of
// 2-4 buurten and onbekend, four quarters of three months, breakdowns of
// 2, 3 and 4 classes, 50-400 events.
func randomSparse(seed uint64) (*Table, int) {
	rng := rand.New(rand.NewPCG(seed, 7))
	var areas tree
	areas.add(-1)
	for range 3 {
		gem := areas.add(0)
		for range 2 + rng.IntN(2) {
			w := areas.add(gem)
			for range 3 + rng.IntN(3) {
				areas.add(w)
			}
		}
	}
	var periods tree
	periods.add(-1)
	for range 4 {
		q := periods.add(0)
		for range 3 {
			periods.add(q)
		}
	}
	breakdowns := []int{2, 3, 4}
	al, pl := areas.leaves(), periods.leaves()
	n := 50 + rng.IntN(350)
	np := n/2 + rng.IntN(n/2)
	evs := make([]event, n)
	for i := range evs {
		evs[i] = event{area: al[rng.IntN(len(al))], period: pl[rng.IntN(len(pl))], person: rng.IntN(np)}
		for _, nc := range breakdowns {
			evs[i].classes = append(evs[i].classes, rng.IntN(nc))
		}
	}
	return sparseTable(areas, periods, breakdowns, evs), 5
}
