package sdc

import (
	"cmp"
	"slices"
)

// Audit returns the indexes of suppressed cells whose value is determined
// exactly by the published cells and the group equations, in ascending
// order. Empty means the table is safe.
//
// As in Statistics Norway's GaussSuppression and sdcTable's attack(), the
// unknowns are the suppressed cells and each group is the equation
// sum(parts) - total = 0 with published values moved to the constant side.
// A suppressed cell is derivable iff its unit vector lies in the row space
// of those equations restricted to the unknowns; that depends on which cells
// are suppressed, not on the values. Unknowns fall apart into components
// (cells linked by shared groups) that are eliminated one by one, exactly.
//
// The audit is linear: it does not use that counts are non-negative, so it
// proves that no cell is pinned to one value, not how wide its interval is.
func Audit(t *Table, st []Status) []int { return audit(t, st, nil) }

// audit is Audit that, when fresh is not nil, eliminates only the components
// holding a cell marked fresh. Protect passes the cells it suppressed since
// the previous audit: a component without one has the same unknowns and
// equations as then, when it was clean.
func audit(t *Table, st []Status, fresh []bool) []int {
	n := len(t.Values)
	uid := make([]int32, n) // cell -> unknown number, -1 when published
	var cells []int         // unknown number -> cell, ascending
	for c := range n {
		uid[c] = -1
		if st[c].Suppressed() {
			uid[c] = int32(len(cells))
			cells = append(cells, c)
		}
	}
	if len(cells) == 0 {
		return nil
	}

	// Union the unknowns of each group; remember one unknown per group.
	parent := make([]int32, len(cells))
	for i := range parent {
		parent[i] = int32(i)
	}
	anchor := make([]int32, len(t.Groups)) // an unknown of the group, or -1
	for g, gr := range t.Groups {
		a := uid[gr.Total]
		for _, c := range gr.Parts {
			if u := uid[c]; u >= 0 {
				if a < 0 {
					a = u
				} else {
					union(parent, a, u)
				}
			}
		}
		anchor[g] = a
	}

	// Bucket unknowns and equations by component (compressed sparse rows).
	comp := make([]int32, len(cells)) // root -> component number
	for i := range comp {
		comp[i] = -1
	}
	ncomp := int32(0)
	for i := range cells {
		r := find(parent, int32(i))
		if comp[r] < 0 {
			comp[r] = ncomp
			ncomp++
		}
	}
	ustart := make([]int32, ncomp+1)
	gstart := make([]int32, ncomp+1)
	for i := range cells {
		ustart[comp[find(parent, int32(i))]+1]++
	}
	for _, a := range anchor {
		if a >= 0 {
			gstart[comp[find(parent, a)]+1]++
		}
	}
	for i := range ncomp {
		ustart[i+1] += ustart[i]
		gstart[i+1] += gstart[i]
	}
	umember := make([]int32, len(cells))
	gmember := make([]int32, gstart[ncomp])
	unext := slices.Clone(ustart[:ncomp])
	gnext := slices.Clone(gstart[:ncomp])
	local := make([]int32, len(cells)) // unknown -> column within its component
	for i := range cells {
		k := comp[find(parent, int32(i))]
		local[i] = unext[k] - ustart[k]
		umember[unext[k]] = int32(i)
		unext[k]++
	}
	for g, a := range anchor {
		if a >= 0 {
			k := comp[find(parent, a)]
			gmember[gnext[k]] = int32(g)
			gnext[k]++
		}
	}

	dirty := make([]bool, ncomp)
	for i, c := range cells {
		if fresh == nil || fresh[c] {
			dirty[comp[find(parent, int32(i))]] = true
		}
	}

	var derivable []int
	var e eliminator
	for k := range ncomp {
		if !dirty[k] {
			continue
		}
		us := umember[ustart[k]:ustart[k+1]]
		gs := gmember[gstart[k]:gstart[k+1]]
		rows := equations(t, gs, uid, local)
		for _, col := range solve(&e, len(us), rows) {
			derivable = append(derivable, cells[us[col]])
		}
	}
	slices.Sort(derivable)
	return derivable
}

// equations returns the groups gs restricted to the unknowns, as sparse rows
// over local columns, shortest first so that pivots stay sparse.
func equations(t *Table, gs []int32, uid, local []int32) [][]entry {
	rows := make([][]entry, 0, len(gs))
	for _, g := range gs {
		gr := &t.Groups[g]
		var r []entry
		if u := uid[gr.Total]; u >= 0 {
			r = append(r, entry{local[u], -1})
		}
		for _, c := range gr.Parts {
			if u := uid[c]; u >= 0 {
				r = append(r, entry{local[u], 1})
			}
		}
		slices.SortFunc(r, func(a, b entry) int { return cmp.Compare(a.col, b.col) })
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b []entry) int { return cmp.Compare(len(a), len(b)) })
	return rows
}

// solve returns the columns fixed by rows, trying int64 first and exact big
// integers when a coefficient would overflow.
func solve(e *eliminator, ncol int, rows [][]entry) []int {
	if !forceBig {
		if cols, ok := e.run(ncol, rows); ok {
			return cols
		}
	}
	return solveBig(ncol, rows)
}

// forceBig makes tests exercise the big-integer path.
var forceBig = false

func union(parent []int32, a, b int32) {
	a, b = find(parent, a), find(parent, b)
	if a == b {
		return
	}
	if a > b {
		a, b = b, a
	}
	parent[b] = a
}

func find(parent []int32, a int32) int32 {
	for parent[a] != a {
		parent[a] = parent[parent[a]]
		a = parent[a]
	}
	return a
}
