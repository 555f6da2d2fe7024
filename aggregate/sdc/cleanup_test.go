package sdc

import "testing"

// TestProtectReleasesLargeTotals runs Protect on seeded sparse tables where
// it used to suppress a large total (a cell of at least 4k that is the total
// of five groups) as a complement although a pattern of smaller cells is
// safe: the clean-up must publish it again. (In other seeds such totals
// stay suppressed: the greedy swap finds no cheaper pattern for them.)
func TestProtectReleasesLargeTotals(t *testing.T) {
	tests := []struct {
		seed uint64
		cell int
	}{
		{208, 147}, {272, 1637}, {235, 942}, {282, 80},
	}
	for _, tt := range tests {
		tb, k := randomSparse(tt.seed)
		st, err := Protect(tb, k)
		if err != nil {
			t.Fatalf("seed %d: Protect: %v", tt.seed, err)
		}
		checkProtected(t, tb, k, st)
		if st[tt.cell] != Published {
			t.Errorf("seed %d: cell %d = %d has status %d, want published", tt.seed, tt.cell, tb.Values[tt.cell], st[tt.cell])
		}
	}
}
