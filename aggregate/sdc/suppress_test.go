package sdc

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	P = Published
	R = Primary
	S = Secondary
)

// grid returns a rows x cols table with row, column and grand totals: cell
// (r, c) is r*(cols+1)+c, and index rows or cols is the margin.
func grid(inner [][]int64) *Table {
	rows, cols := len(inner), len(inner[0])
	w := cols + 1
	t := &Table{Values: make([]int64, (rows+1)*w)}
	for r := range rows {
		for c := range cols {
			v := inner[r][c]
			t.Values[r*w+c] = v
			t.Values[r*w+cols] += v
			t.Values[rows*w+c] += v
			t.Values[rows*w+cols] += v
		}
	}
	for r := range rows + 1 {
		g := Group{Total: r*w + cols}
		for c := range cols {
			g.Parts = append(g.Parts, r*w+c)
		}
		t.Groups = append(t.Groups, g)
	}
	for c := range cols + 1 {
		g := Group{Total: rows*w + c}
		for r := range rows {
			g.Parts = append(g.Parts, r*w+c)
		}
		t.Groups = append(t.Groups, g)
	}
	return t
}

func TestSuppress(t *testing.T) {
	tests := []struct {
		name  string
		table *Table
		k     int
		want  []Status
	}{{
		name:  "nothing small",
		table: &Table{Values: []int64{30, 10, 0, 20}, Groups: []Group{{0, []int{1, 2, 3}}}},
		k:     5,
		want:  []Status{P, P, P, P},
	}, {
		name:  "k of one suppresses nothing",
		table: &Table{Values: []int64{3, 1, 2}, Groups: []Group{{0, []int{1, 2}}}},
		k:     1,
		want:  []Status{P, P, P},
	}, {
		name:  "single group takes smallest non-zero part",
		table: &Table{Values: []int64{20, 3, 10, 0, 7}, Groups: []Group{{0, []int{1, 2, 3, 4}}}},
		k:     5,
		want:  []Status{P, R, P, P, S},
	}, {
		name:  "tie goes to lower index",
		table: &Table{Values: []int64{20, 2, 6, 6, 6}, Groups: []Group{{0, []int{1, 2, 3, 4}}}},
		k:     5,
		want:  []Status{P, R, S, P, P},
	}, {
		name:  "two primaries need no complement",
		table: &Table{Values: []int64{25, 3, 2, 20}, Groups: []Group{{0, []int{1, 2, 3}}}},
		k:     5,
		want:  []Status{P, R, R, P},
	}, {
		name:  "small total with its only non-zero part",
		table: &Table{Values: []int64{3, 3, 0, 0}, Groups: []Group{{0, []int{1, 2, 3}}}},
		k:     5,
		want:  []Status{R, R, P, P},
	}, {
		// Group A: 12 = 3 + 9; group B: 9 = 9 + 0. The complement 9 leaves B
		// with one suppressed cell and only a zero part to pair it with.
		name: "zero part before total",
		table: &Table{Values: []int64{12, 3, 9, 9, 0}, Groups: []Group{
			{0, []int{1, 2}}, {3, []int{2, 4}},
		}},
		k:    5,
		want: []Status{P, R, S, P, S},
	}, {
		name: "total as last resort",
		table: &Table{Values: []int64{12, 3, 9, 9}, Groups: []Group{
			{0, []int{1, 2}}, {3, []int{2}},
		}},
		k:    5,
		want: []Status{P, R, S, S},
	}, {
		// gemeente 0 = wijk 1 + wijk 2; wijk 1 = buurten 3, 4; wijk 2 =
		// buurten 5, 6. Buurt 3 is small, its complement 4 makes wijk 1
		// fine; nothing spreads upward.
		name: "two levels, complement inside the wijk",
		table: &Table{Values: []int64{40, 20, 20, 2, 18, 10, 10}, Groups: []Group{
			{0, []int{1, 2}}, {1, []int{3, 4}}, {2, []int{5, 6}},
		}},
		k:    5,
		want: []Status{P, P, P, R, S, P, P},
	}, {
		// Wijk 1 is small itself, so wijk 2 must go at the gemeente level,
		// and then one of wijk 2's buurten.
		name: "two levels, suppression spreads up and down",
		table: &Table{Values: []int64{24, 4, 20, 2, 2, 8, 12}, Groups: []Group{
			{0, []int{1, 2}}, {1, []int{3, 4}}, {2, []int{5, 6}},
		}},
		k:    5,
		want: []Status{P, R, S, R, R, S, P},
	}, {
		// Rows and columns cross: (0,0) = 2 is small; row 0 takes (0,1) = 6,
		// column 0 takes (1,0) = 7, which leaves row 1 and column 1 with one
		// each until (1,1) closes the rectangle.
		name:  "crossing hierarchies",
		table: grid([][]int64{{2, 6, 20}, {7, 9, 30}, {10, 10, 10}}),
		k:     5,
		want: []Status{
			R, S, P, P,
			S, S, P, P,
			P, P, P, P,
			P, P, P, P,
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !consistent(tt.table) {
				t.Fatal("test table does not add up")
			}
			got := Suppress(tt.table, tt.k)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Suppress(k=%d) (-want +got):\n%s", tt.k, diff)
			}
			if d := Audit(tt.table, got); len(d) > 0 {
				t.Errorf("Audit after Suppress = %v, want none", d)
			}
		})
	}
}
