// Package sdc is statistical disclosure control for tables of counts: cell
// suppression whose safety is proven, cell by cell, by certificates.
//
// A Table is counts plus the relations an attacker knows between them: each
// Group says that a total is the sum of its parts (records, incidents), or,
// for distinct counts of persons, only that the total is at most the sum of
// the parts and at least each part. The attacker sees every published cell,
// knows which cells are withheld, that counts are non-negative integers and
// every relation; a withheld cell may be any value >= 0, zero included.
//
// The guarantee Protect gives, and Verify checks, is that for every cell
// with a value in 1..k-1 there are two tables that publish exactly the same
// cells, satisfy every relation and have only non-negative values: one in
// which the cell is 0 and one in which it is k-1 or more. Whatever an
// attacker derives from the published cells and the relations, by bounds,
// linear programming or integer reasoning, the cell keeps at least k
// possible values. A withheld cell that is not small (a complement) is
// changed by at least one of those tables, so no withheld cell is determined.
//
// Such a pair of tables is stored as two certificates: a change to withheld
// cells only that keeps every group balanced. Protect finds them one small
// cell at a time, greedily: starting from the change of the small cell it
// rebalances each group the change upsets with another member of that group,
// preferring cells that are withheld already, then cells that close another
// upset group, then the cheapest cell to withhold (Table.Cost). A published
// cell it uses becomes a complement. Adding complements never invalidates a
// certificate found earlier, so certificates found one at a time hold
// together, and Verify checks them all against the final pattern without
// trusting the search. The search is local, so its cost grows with the
// number of small cells, not with the size of the table.
package sdc

import (
	"errors"
	"fmt"
)

// Table is a set of count cells and the relations between them.
type Table struct {
	Values []int64 // true counts, >= 0
	Groups []Group
	// Cost is the price of withholding each cell that is not small: higher
	// for headline figures. Nil means 1 for every cell.
	Cost []int64
	// Order is the order in which small cells are protected, every cell
	// once; nil is index order. Cells protected together early leave
	// complements that later ones reuse.
	Order []int32
}

// Group is one relation between a total and its parts: the buurten of a
// wijk, the months of a quarter, the classes of a breakdown. A cell appears
// at most once in a group.
type Group struct {
	Total int32
	Parts []int32
	// Union marks distinct counts: the total is at most the sum of the parts
	// and at least each part (a person may live in two buurten of a wijk).
	// Otherwise the total is exactly the sum.
	Union bool
}

// Options set the protection.
type Options struct {
	// K is the threshold: cells with a value in 1..K-1 are withheld and keep
	// at least K possible values. K < 2 protects nothing.
	K int64
	// Margin widens every protected interval beyond [0, K-1] by this many
	// values, so that an attacker who can rule out one extreme by some fact
	// outside the table still keeps K possible values.
	Margin int64
	// Release is the Table.Cost from which a complement is reconsidered
	// once every small cell is protected, and published again when cheaper
	// complements can take its place; 0 reconsiders none.
	Release int64
}

// Status is the fate of one cell.
type Status uint8

const (
	Published Status = iota
	Primary          // 1..K-1: withheld for itself
	Secondary        // complement: withheld so that a primary cell keeps its interval
)

// Suppressed reports whether the cell is withheld.
func (s Status) Suppressed() bool { return s != Published }

func (s Status) String() string {
	switch s {
	case Published:
		return "published"
	case Primary:
		return "primary"
	case Secondary:
		return "secondary"
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

// ErrBadTable marks a Table whose groups do not fit its cells.
var ErrBadTable = errors.New("invalid table")

// UnsafeError reports a primary cell for which no certificate was found.
// Cell is an index into Table.Values; the caller translates it to a name.
type UnsafeError struct {
	Cell int
	Up   bool // the missing certificate raises the cell (false: lowers it to 0)
}

func (e *UnsafeError) Error() string {
	dir := "down to 0"
	if e.Up {
		dir = "up to the threshold"
	}
	return fmt.Sprintf("cell %d cannot be protected: no certificate %s", e.Cell, dir)
}

// validate checks what Protect and Verify rely on: member indexes in range,
// no cell twice in one group, no negative count, a cost per cell or none.
// Errors name positions only.
func validate(t *Table) error {
	n := len(t.Values)
	if t.Cost != nil && len(t.Cost) != n {
		return fmt.Errorf("%d costs for %d cells: %w", len(t.Cost), n, ErrBadTable)
	}
	if t.Order != nil {
		if len(t.Order) != n {
			return fmt.Errorf("order of %d cells for %d: %w", len(t.Order), n, ErrBadTable)
		}
		seen := make([]bool, n)
		for _, c := range t.Order {
			if c < 0 || int(c) >= n || seen[c] {
				return fmt.Errorf("order: cell %d out of range or twice: %w", c, ErrBadTable)
			}
			seen[c] = true
		}
	}
	for i, v := range t.Values {
		if v < 0 {
			return fmt.Errorf("cell %d: negative count: %w", i, ErrBadTable)
		}
	}
	seen := make([]int32, n) // group index + 1 that last saw the cell
	for g, gr := range t.Groups {
		mark := int32(g + 1)
		for j := -1; j < len(gr.Parts); j++ {
			c := gr.Total
			if j >= 0 {
				c = gr.Parts[j]
			}
			if c < 0 || int(c) >= n {
				return fmt.Errorf("group %d: cell index out of range: %w", g, ErrBadTable)
			}
			if seen[c] == mark {
				return fmt.Errorf("group %d: cell %d listed twice: %w", g, c, ErrBadTable)
			}
			seen[c] = mark
		}
	}
	return nil
}

// index lists the groups of every cell: member[start[c]:start[c+1]] holds
// g<<1 | 1 where c is the total of group g and g<<1 where it is a part.
type index struct {
	start  []int32
	member []int32
}

func newIndex(t *Table) index {
	n := len(t.Values)
	x := index{start: make([]int32, n+1)}
	for _, g := range t.Groups {
		x.start[g.Total+1]++
		for _, c := range g.Parts {
			x.start[c+1]++
		}
	}
	for c := range n {
		x.start[c+1] += x.start[c]
	}
	x.member = make([]int32, x.start[n])
	next := make([]int32, n)
	copy(next, x.start[:n])
	for g, gr := range t.Groups {
		x.member[next[gr.Total]] = int32(g)<<1 | 1
		next[gr.Total]++
		for _, c := range gr.Parts {
			x.member[next[c]] = int32(g) << 1
			next[c]++
		}
	}
	return x
}

// of returns the group memberships of cell c.
func (x *index) of(c int32) []int32 { return x.member[x.start[c]:x.start[c+1]] }
