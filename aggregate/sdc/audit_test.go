package sdc

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// bridge is a 4x4 table with margins where the suppressed cells form two
// rectangles, (0..1, 0..1) and (2..3, 2..3), joined by cell (1,2). Every row
// and column holds zero or at least two suppressed cells, yet rows 0+1 minus
// columns 0+1 leave exactly cell (1,2): the group rule misses it.
func bridge() (*Table, []Status) {
	t := grid([][]int64{
		{2, 3, 10, 12},
		{4, 1, 2, 15},
		{11, 13, 3, 4},
		{14, 10, 2, 1},
	})
	const w = 5
	st := make([]Status, len(t.Values))
	for _, rc := range [][2]int{{0, 0}, {0, 1}, {1, 0}, {1, 1}, {1, 2}, {2, 2}, {2, 3}, {3, 2}, {3, 3}} {
		st[rc[0]*w+rc[1]] = Primary
	}
	return t, st
}

func TestAudit(t *testing.T) {
	single := &Table{Values: []int64{20, 3, 10, 7}, Groups: []Group{{0, []int{1, 2, 3}}}}
	twoLevel := &Table{Values: []int64{24, 4, 20, 2, 2, 8, 12}, Groups: []Group{
		{0, []int{1, 2}}, {1, []int{3, 4}}, {2, []int{5, 6}},
	}}
	bt, bst := bridge()
	tests := []struct {
		name  string
		table *Table
		st    []Status
		want  []int
	}{
		{"nothing suppressed", single, []Status{P, P, P, P}, nil},
		{"one in a group", single, []Status{P, R, P, P}, []int{1}},
		{"two in a group", single, []Status{P, R, P, S}, nil},
		{"total and one part", single, []Status{S, R, P, P}, nil},
		{"everything", single, []Status{S, R, S, S}, nil},
		{"part alone in a group without parts", &Table{Values: []int64{0, 0}, Groups: []Group{{0, nil}, {1, []int{0}}}},
			[]Status{S, S}, []int{0, 1}},
		// Wijk 1 and its buurten are all suppressed, wijk 2 and one of its
		// buurten: every group holds two, nothing is pinned.
		{"two levels safe", twoLevel, []Status{P, R, S, R, R, S, P}, nil},
		// Without wijk 2's buurt, wijk 2 is alone in its buurt group; then
		// the gemeente group pins wijk 1 too, though it holds two unknowns.
		{"two levels chained", twoLevel, []Status{P, R, S, R, R, P, P}, []int{1, 2}},
		{"bridge between rectangles", bt, bst, []int{1*5 + 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Audit(tt.table, tt.st)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Audit (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, oracleAudit(tt.table, tt.st)); diff != "" {
				t.Errorf("oracle disagrees with the test case (-want +got):\n%s", diff)
			}
			forceBig = true
			defer func() { forceBig = false }()
			if diff := cmp.Diff(tt.want, Audit(tt.table, tt.st)); diff != "" {
				t.Errorf("Audit in big integers (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBridgeRuleMisses checks the premise of the bridge case: no row or
// column holds exactly one suppressed cell, so Suppress leaves it alone.
func TestBridgeRuleMisses(t *testing.T) {
	bt, bst := bridge()
	if got := Suppress(bt, 5); !cmp.Equal(got, bst) {
		t.Fatalf("Suppress(bridge) = %v, want the primaries only %v", got, bst)
	}
	if got := Audit(bt, bst); !cmp.Equal(got, []int{7}) {
		t.Errorf("Audit(bridge) = %v, want [7]", got)
	}
}
