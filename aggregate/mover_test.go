package aggregate

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ivz-twente/jeugd/aggregate/sdc"
)

// Every proposal moves its cell by what was asked, keeps every relation
// balanced and no cell below 0, whatever cell and direction.
func TestMoverProposalsBalance(t *testing.T) {
	s := loadStore(t, randomEvents(rand.New(rand.NewPCG(4, 4)), 3000))
	c := count(t, s, "2026-02-15", testGebieden)
	rng := rand.New(rand.NewPCG(1, 1))
	proposed := 0
	for i := range c.parts {
		part := &c.parts[i]
		tb := part.table()
		m := newMover(part.g, part.values, tb.Cost)
		st := make([]sdc.Status, part.g.n)
		for id, v := range part.values {
			if v > 0 && v < 5 {
				st[id] = sdc.Primary
			}
		}
		for range 200 {
			cell := int32(rng.IntN(part.g.n))
			d := int64(1 + rng.IntN(4))
			if rng.IntN(2) == 0 {
				if part.values[cell] == 0 {
					continue
				}
				d = -min(d, part.values[cell])
			}
			changes := m.Propose(cell, d, st)
			if changes == nil {
				continue
			}
			proposed++
			delta := make([]int64, part.g.n)
			for _, ch := range changes {
				delta[ch.Cell] += ch.Delta
				if part.values[ch.Cell]+delta[ch.Cell] < 0 {
					t.Fatalf("%s: proposal for %s takes a cell below 0", part.g.ip.Name, describe(&c.Cells[part.start+int(ch.Cell)]))
				}
			}
			if delta[cell] != d {
				t.Fatalf("%s: proposal moves the cell by %d, want %d", part.g.ip.Name, delta[cell], d)
			}
			for _, g := range tb.Groups {
				sum := -delta[g.Total]
				for _, p := range g.Parts {
					sum += delta[p]
				}
				if sum != 0 {
					t.Fatalf("%s: proposal for %s unbalances the group of %s", part.g.ip.Name,
						describe(&c.Cells[part.start+int(cell)]), describe(&c.Cells[part.start+int(g.Total)]))
				}
			}
		}
	}
	if proposed < 500 {
		t.Errorf("only %d proposals", proposed)
	}
}

func TestNearest(t *testing.T) {
	for _, tc := range []struct {
		sibs []int32
		idx  int32
		n    int
		want []int32
	}{
		{[]int32{1, 2, 4}, 3, 5, []int32{1, 2, 4}},
		{[]int32{0, 1, 2, 4, 5, 6, 7}, 3, 4, []int32{1, 2, 4, 5}},
		{[]int32{1, 2, 3, 4, 5, 6}, 0, 3, []int32{1, 2, 3}},
		{[]int32{0, 1, 2, 3, 4, 5}, 6, 3, []int32{3, 4, 5}},
	} {
		if got := nearest(tc.sibs, tc.idx, tc.n); !slices.Equal(got, tc.want) {
			t.Errorf("nearest(%v, %d, %d) = %v, want %v", tc.sibs, tc.idx, tc.n, got, tc.want)
		}
	}
}
