package aggregate

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"
)

// TestLossReport prints the information loss of Protect on the cells of a
// run's store, per indicator. It runs only when JEUGD_LOSS_DB names a store
// (e.g. a demo run's state/runs/*.duckdb) and JEUGD_LOSS_TODAY its run date.
func TestLossReport(t *testing.T) {
	path := os.Getenv("JEUGD_LOSS_DB")
	if path == "" {
		t.Skip("JEUGD_LOSS_DB not set")
	}
	today, err := time.Parse(time.DateOnly, os.Getenv("JEUGD_LOSS_TODAY"))
	if err != nil {
		t.Fatalf("JEUGD_LOSS_TODAY: %v", err)
	}
	s, err := OpenStoreReadOnly(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cells, err := s.Cells(context.Background(), Query{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	values := make([]int64, len(cells))
	for i := range cells {
		values[i] = cells[i].Waarde
	}
	start := time.Now()
	if _, err := Protect(cells, Policy{}); err != nil {
		t.Fatal(err)
	}
	t.Logf("Protect: %d cells in %v", len(cells), time.Since(start))
	type loss struct{ cells, sup, prim, top, topSup, topBig int }
	by := map[string]*loss{}
	var all loss
	for i := range cells {
		c := &cells[i]
		l := by[c.Indicator]
		if l == nil {
			l = &loss{}
			by[c.Indicator] = l
		}
		for _, l := range []*loss{l, &all} {
			l.cells++
			if c.Onderdrukt {
				l.sup++
				if values[i] > 0 && values[i] < 5 {
					l.prim++
				}
			}
			if (c.Gebiedsniveau == "gemeente" || c.Gebiedsniveau == "regio") && c.Periodetype == "jaar" && c.Uitsplitsing == "totaal" {
				l.top++
				if c.Onderdrukt {
					l.topSup++
					if values[i] >= 10 {
						l.topBig++
					}
					if l == &all {
						t.Logf("suppressed: %s %s %s %s = %d", c.Indicator, c.Gebiedscode, c.Periode, c.Klasse, values[i])
					}
				}
			}
		}
	}
	names := make([]string, 0, len(by))
	for n := range by {
		names = append(names, n)
	}
	slices.Sort(names)
	out := fmt.Sprintf("%-24s %7s %7s %7s %7s %14s %10s\n", "indicator", "cells", "supp", "share", "primary", "gem/regio jaar", ">=10 supp")
	row := func(n string, l *loss) {
		out += fmt.Sprintf("%-24s %7d %7d %6.1f%% %7d %8d/%-5d %10d\n", n, l.cells, l.sup, 100*float64(l.sup)/float64(l.cells), l.prim, l.topSup, l.top, l.topBig)
	}
	for _, n := range names {
		row(n, by[n])
	}
	row("all", &all)
	// Secondary cells by niveau and periodetype, and how many are large.
	type np struct{ niveau, pt string }
	sec, big := map[np]int{}, map[np]int{}
	for i := range cells {
		c := &cells[i]
		if c.Onderdrukt && values[i] >= 5 {
			sec[np{c.Gebiedsniveau, c.Periodetype}]++
			if values[i] >= 10 {
				big[np{c.Gebiedsniveau, c.Periodetype}]++
			}
		}
	}
	out += "secondary (>=10) by niveau x periodetype:\n"
	for _, n := range Niveaus {
		out += fmt.Sprintf("  %-9s", n)
		for _, p := range Periodetypes {
			out += fmt.Sprintf(" %s %5d (%5d)", p, sec[np{n, p}], big[np{n, p}])
		}
		out += "\n"
	}
	t.Log("\n" + out)
}
