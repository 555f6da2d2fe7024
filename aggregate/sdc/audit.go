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
func Audit(t *Table, st []Status) []int {
	var a auditor
	return a.audit(t, st, nil)
}

// auditor keeps Audit's buffers, so that Protect's rounds reuse them.
type auditor struct {
	uid, parent, anchor, comp, local []int32
	ncomp                            int32
	ustart, gstart, umember, gmember []int32
	unext, gnext, ends               []int32
	cells                            []int
	dirty                            []bool
	flat                             []entry
	rows                             [][]entry
	e                                eliminator
}

// audit is Audit that, when fresh is not nil, eliminates only the components
// holding a cell marked fresh. Protect passes the cells it suppressed since
// the previous audit: a component without one has the same unknowns and
// equations as then, when it was clean.
func (a *auditor) audit(t *Table, st []Status, fresh []bool) []int {
	n := len(t.Values)
	a.uid = resize(a.uid, n) // cell -> unknown number, -1 when published
	a.cells = a.cells[:0]    // unknown number -> cell, ascending
	for c := range n {
		a.uid[c] = -1
		if st[c].Suppressed() {
			a.uid[c] = int32(len(a.cells))
			a.cells = append(a.cells, c)
		}
	}
	cells, uid := a.cells, a.uid
	if len(cells) == 0 {
		return nil
	}

	// Union the unknowns of each group; remember one unknown per group.
	a.parent = resize(a.parent, len(cells))
	parent := a.parent
	for i := range parent {
		parent[i] = int32(i)
	}
	a.anchor = resize(a.anchor, len(t.Groups)) // an unknown of the group, or -1
	for g, gr := range t.Groups {
		x := uid[gr.Total]
		for _, c := range gr.Parts {
			if u := uid[c]; u >= 0 {
				if x < 0 {
					x = u
				} else {
					union(parent, x, u)
				}
			}
		}
		a.anchor[g] = x
	}

	// Number the components; bucket unknowns and equations by component
	// (compressed sparse rows). After this, comp holds each unknown's
	// component rather than its root's.
	a.comp = resize(a.comp, len(cells))
	comp := a.comp
	ncomp := int32(0)
	for i := range cells {
		r := find(parent, int32(i))
		if r == int32(i) {
			comp[i] = ncomp
			ncomp++
		} else {
			comp[i] = comp[r] // r < i: roots are the lowest member
		}
	}
	a.ncomp = ncomp
	a.ustart = zeroed(a.ustart, int(ncomp)+1)
	a.gstart = zeroed(a.gstart, int(ncomp)+1)
	ustart, gstart := a.ustart, a.gstart
	for i := range cells {
		ustart[comp[i]+1]++
	}
	for _, x := range a.anchor {
		if x >= 0 {
			gstart[comp[x]+1]++
		}
	}
	for i := range ncomp {
		ustart[i+1] += ustart[i]
		gstart[i+1] += gstart[i]
	}
	a.umember = resize(a.umember, len(cells))
	a.gmember = resize(a.gmember, int(gstart[ncomp]))
	a.unext = append(a.unext[:0], ustart[:ncomp]...)
	a.gnext = append(a.gnext[:0], gstart[:ncomp]...)
	a.local = resize(a.local, len(cells)) // unknown -> column within its component
	for i := range cells {
		k := comp[i]
		a.local[i] = a.unext[k] - ustart[k]
		a.umember[a.unext[k]] = int32(i)
		a.unext[k]++
	}
	for g, x := range a.anchor {
		if x >= 0 {
			k := comp[x]
			a.gmember[a.gnext[k]] = int32(g)
			a.gnext[k]++
		}
	}

	a.dirty = a.dirty[:0]
	for range ncomp {
		a.dirty = append(a.dirty, fresh == nil)
	}
	if fresh != nil {
		for i, c := range cells {
			if fresh[c] {
				a.dirty[comp[i]] = true
			}
		}
	}

	var derivable []int
	for k := range ncomp {
		if !a.dirty[k] {
			continue
		}
		us := a.umember[ustart[k]:ustart[k+1]]
		a.equations(t, a.gmember[gstart[k]:gstart[k+1]])
		for _, col := range solve(&a.e, len(us), a.rows) {
			derivable = append(derivable, cells[us[col]])
		}
	}
	slices.Sort(derivable)
	return derivable
}

// component returns the component number of cell c, suppressed at the last
// audit.
func (a *auditor) component(c int) int32 { return a.comp[a.uid[c]] }

// equations sets a.rows to the groups gs restricted to the unknowns, as
// sparse rows over local columns, shortest first so that pivots stay sparse.
func (a *auditor) equations(t *Table, gs []int32) {
	a.flat = a.flat[:0]
	a.ends = a.ends[:0]
	for _, g := range gs {
		gr := &t.Groups[g]
		begin := len(a.flat)
		if u := a.uid[gr.Total]; u >= 0 {
			a.flat = append(a.flat, entry{a.local[u], -1})
		}
		for _, c := range gr.Parts {
			if u := a.uid[c]; u >= 0 {
				a.flat = append(a.flat, entry{a.local[u], 1})
			}
		}
		slices.SortFunc(a.flat[begin:], func(x, y entry) int { return cmp.Compare(x.col, y.col) })
		a.ends = append(a.ends, int32(len(a.flat)))
	}
	a.rows = a.rows[:0]
	begin := int32(0)
	for _, end := range a.ends {
		a.rows = append(a.rows, a.flat[begin:end:end])
		begin = end
	}
	slices.SortFunc(a.rows, func(x, y []entry) int { return cmp.Compare(len(x), len(y)) })
}

func zeroed(s []int32, n int) []int32 {
	s = resize(s, n)
	clear(s)
	return s
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
