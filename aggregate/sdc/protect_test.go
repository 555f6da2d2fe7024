package sdc

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestProtectBridge(t *testing.T) {
	bt, bst := bridge()
	got, err := Protect(bt, 5)
	if err != nil {
		t.Fatalf("Protect(bridge): %v", err)
	}
	// (1,2) is pinned; its best complement is (0,2) = 10 in its column.
	// That leaves row 0 with three suppressed cells, and then the audit is
	// clean.
	want := append([]Status(nil), bst...)
	want[0*5+2] = Secondary
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Protect(bridge) (-want +got):\n%s", diff)
	}
	if d := Audit(bt, got); len(d) > 0 {
		t.Errorf("Audit after Protect = %v, want none", d)
	}
}

func TestProtectErrors(t *testing.T) {
	tests := []struct {
		name  string
		table *Table
		check func(error) bool
	}{
		{"index out of range", &Table{Values: []int64{1, 1}, Groups: []Group{{0, []int{2}}}},
			func(err error) bool { return errors.Is(err, ErrBadTable) }},
		{"cell twice in a group", &Table{Values: []int64{2, 1}, Groups: []Group{{0, []int{1, 1}}}},
			func(err error) bool { return errors.Is(err, ErrBadTable) }},
		{"negative count", &Table{Values: []int64{0, -1}},
			func(err error) bool { return errors.Is(err, ErrBadTable) }},
		// A total with no parts is pinned to 0 by its own group; once its only
		// neighbour is suppressed nothing is left to add.
		{"pinned with nothing left", &Table{Values: []int64{3, 3}, Groups: []Group{{0, nil}, {1, []int{0}}}},
			func(err error) bool {
				ue, ok := errors.AsType[*UnsafeError](err)
				return ok && ue.Cell == 0
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := Protect(tt.table, 5)
			if !tt.check(err) {
				t.Errorf("Protect = %v, %v; wrong error", st, err)
			}
		})
	}
}

// genShape draws a small hierarchical table shape.
func genShape(t *rapid.T) shape {
	sh := shape{
		Onbekend: rapid.Bool().Draw(t, "onbekend"),
		Quarters: rapid.IntRange(0, 2).Draw(t, "quarters"),
		Months:   rapid.IntRange(1, 3).Draw(t, "months"),
		Classes:  rapid.IntRange(0, 3).Draw(t, "classes"),
	}
	ng := rapid.IntRange(1, 3).Draw(t, "gemeenten")
	for range ng {
		sh.Wijken = append(sh.Wijken, rapid.SliceOfN(rapid.IntRange(1, 3), 1, 3).Draw(t, "wijken"))
	}
	return sh
}

func genTable(t *rapid.T) *Table {
	sh := genShape(t)
	vals := rapid.Int64Range(0, 12)
	return build(sh, func() int64 { return vals.Draw(t, "n") })
}

func TestProtectProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tb := genTable(t)
		if !consistent(tb) {
			t.Fatal("generated table does not add up")
		}
		k := rapid.IntRange(1, 10).Draw(t, "k")
		st, err := Protect(tb, k)
		if err != nil {
			t.Fatalf("Protect: %v", err)
		}
		for c, v := range tb.Values {
			small := v > 0 && v < int64(k)
			if small && st[c] != Primary {
				t.Fatalf("cell %d = %d with k %d has status %d, want Primary", c, v, k, st[c])
			}
			if !small && st[c] == Primary {
				t.Fatalf("cell %d = %d with k %d is Primary", c, v, k)
			}
		}
		if g := lonely(tb, st); g >= 0 {
			t.Fatalf("after Protect group %d holds one suppressed cell", g)
		}
		if d := Audit(tb, st); len(d) > 0 {
			t.Fatalf("Audit after Protect = %v", d)
		}
		if d := oracleAudit(tb, st); len(d) > 0 {
			t.Fatalf("oracle audit after Protect = %v", d)
		}
		again, _ := Protect(tb, k)
		if !cmp.Equal(st, again) {
			t.Fatal("Protect differs between two runs on the same input")
		}
		sup := Suppress(tb, k)
		if g := lonely(tb, sup); g >= 0 {
			t.Fatalf("after Suppress group %d holds one suppressed cell", g)
		}
		// Protect releases only complements, never a primary.
		for c, s := range sup {
			if s == Primary && st[c] != Primary {
				t.Fatalf("cell %d primary by Suppress but %d by Protect", c, st[c])
			}
		}
	})
}

// lonely returns a group holding exactly one suppressed cell, or -1.
func lonely(tb *Table, st []Status) int {
	for g, gr := range tb.Groups {
		n := 0
		if st[gr.Total].Suppressed() {
			n++
		}
		for _, c := range gr.Parts {
			if st[c].Suppressed() {
				n++
			}
		}
		if n == 1 {
			return g
		}
	}
	return -1
}

// TestAuditMatchesOracle compares Audit, in int64 and in big integers, with
// a dense rational elimination on random suppression patterns.
func TestAuditMatchesOracle(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tb := genTable(t)
		st := make([]Status, len(tb.Values))
		for c := range st {
			if rapid.IntRange(0, 2).Draw(t, "suppressed") == 0 {
				st[c] = Secondary
			}
		}
		want := oracleAudit(tb, st)
		if got := Audit(tb, st); !cmp.Equal(want, got) {
			t.Fatalf("Audit = %v, oracle %v", got, want)
		}
		forceBig = true
		defer func() { forceBig = false }()
		if got := Audit(tb, st); !cmp.Equal(want, got) {
			t.Fatalf("Audit in big integers = %v, oracle %v", got, want)
		}
	})
}

// benchShape is about the size of one indicator for Twente at every level:
// 14 gemeenten of 12 wijken of 10 buurten plus onbekend, 12 months, 5 classes.
var benchShape = shape{
	Wijken:   repeat(14, repeat(12, 10)),
	Onbekend: true,
	Quarters: 4,
	Months:   3,
	Classes:  5,
}

func repeat[T any](n int, v T) []T {
	s := make([]T, n)
	for i := range s {
		s[i] = v
	}
	return s
}

// benchTable draws base counts that are mostly small, as youth counts per
// buurt, month and class are: heavy primary suppression.
func benchTable() *Table {
	rng := rand.New(rand.NewPCG(1, 2))
	return build(benchShape, func() int64 {
		return int64(rng.ExpFloat64() * 2)
	})
}

func BenchmarkProtect(b *testing.B) {
	tb := benchTable()
	b.ReportAllocs()
	var st []Status
	for b.Loop() {
		var err error
		if st, err = Protect(tb, 5); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(tb.Values))*float64(b.N)/b.Elapsed().Seconds(), "cells/s")
	var sup int
	for _, s := range st {
		if s.Suppressed() {
			sup++
		}
	}
	b.ReportMetric(float64(len(tb.Values)), "cells")
	b.ReportMetric(float64(sup)/float64(len(tb.Values)), "suppressed/cell")
}

func TestProtect(t *testing.T) {
	tests := []struct {
		name  string
		table *Table
		want  []Status
	}{
		{"single group", &Table{Values: []int64{20, 3, 10, 7}, Groups: []Group{{0, []int{1, 2, 3}}}},
			[]Status{P, R, P, S}},
		{"two levels", &Table{Values: []int64{24, 4, 20, 2, 2, 8, 12}, Groups: []Group{
			{0, []int{1, 2}}, {1, []int{3, 4}}, {2, []int{5, 6}},
		}}, []Status{P, R, S, R, R, S, P}},
		{"crossing hierarchies", grid([][]int64{{2, 6, 20}, {7, 9, 30}, {10, 10, 10}}), []Status{
			R, S, P, P,
			S, S, P, P,
			P, P, P, P,
			P, P, P, P,
		}},
		// a + b = 6, c = a + 0, d = b + e, 18 = c + d with a, b, c primary.
		// The group rule takes e = 12 for b and d for c; then e = d - b =
		// (18 - c) - (6 - a) = 12, since c = a. e is released; a, b, c and
		// d keep one degree of freedom.
		{"release a pinned complement", &Table{Values: []int64{3, 3, 6, 0, 12, 3, 15, 18}, Groups: []Group{
			{2, []int{0, 1}}, {7, []int{5, 6}}, {5, []int{0, 3}}, {6, []int{1, 4}},
		}}, []Status{R, R, P, P, P, R, S, P}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !consistent(tt.table) {
				t.Fatal("test table does not add up")
			}
			got, err := Protect(tt.table, 5)
			if err != nil {
				t.Fatalf("Protect: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Protect (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNearest covers the complement search when the derivable cell's own
// groups are fully suppressed: z is pinned to 0 by T = x and T = x + z, and
// the nearest free cell is v, two groups away.
func TestNearest(t *testing.T) {
	const T, x, z, U, w, v = 0, 1, 2, 3, 4, 5
	tb := &Table{Values: []int64{4, 4, 0, 12, 2, 6}, Groups: []Group{
		{T, []int{x}}, {T, []int{x, z}}, {U, []int{T, w, v}},
	}}
	s := newSuppressor(tb, 0)
	for _, c := range []int{T, x, z, w} {
		s.suppress(c, Secondary)
	}
	if d := Audit(tb, s.st); !cmp.Equal(d, []int{z}) {
		t.Fatalf("Audit = %v, want [%d]", d, z)
	}
	if got := s.nearest(z, make([]int32, len(tb.Groups)), 1); got != v {
		t.Errorf("nearest(z) = %d, want %d", got, v)
	}
}

// TestExhaust covers the last resort: T = x and T = x + z pin z to 0 with
// every cell suppressed but the released u, which links z to w through U.
// exhaust suppresses u and w too; called again it has nothing left to add.
func TestExhaust(t *testing.T) {
	const T, x, z, U, u, w = 0, 1, 2, 3, 4, 5
	tb := &Table{Values: []int64{4, 4, 0, 7, 5, 2}, Groups: []Group{
		{T, []int{x}}, {T, []int{x, z}}, {U, []int{z, u, w}},
	}}
	s := newSuppressor(tb, 0)
	s.banned = make([]bool, len(tb.Values))
	for _, c := range []int{T, x, z, U} {
		s.suppress(c, Secondary)
	}
	s.banned[u] = true
	if got := s.nearest(z, make([]int32, len(tb.Groups)), 1); got != w {
		t.Fatalf("nearest(z) = %d, want %d", got, w)
	}
	s.suppress(w, Secondary)
	if got := s.nearest(z, make([]int32, len(tb.Groups)), 1); got != -1 {
		t.Fatalf("nearest(z) = %d with only a banned cell left, want -1", got)
	}
	exhausted := make([]bool, len(tb.Values))
	seen := make([]int32, len(tb.Groups))
	if !s.exhaust(z, exhausted, seen, 1) {
		t.Fatal("exhaust added nothing, want u")
	}
	if want := []Status{S, S, S, S, S, S}; !cmp.Equal(s.st, want) {
		t.Errorf("statuses after exhaust = %v, want %v", s.st, want)
	}
	if want := []bool{true, true, true, true, true, true}; !cmp.Equal(exhausted, want) {
		t.Errorf("exhausted = %v, want %v", exhausted, want)
	}
	if s.exhaust(z, exhausted, seen, 2) {
		t.Error("second exhaust added cells")
	}
	if d := Audit(tb, s.st); !cmp.Equal(d, []int{z}) {
		t.Errorf("Audit = %v, want [%d]: z is pinned whatever is suppressed", d, z)
	}
}
