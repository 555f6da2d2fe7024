package sdc

import (
	"cmp"
	"slices"
)

// cleanup releases Secondary cells that a clean pattern does not need, as
// tau-ARGUS's and sdcTable's post-processing do: complements are chosen one
// derivable cell at a time, so the final pattern often holds some that later
// ones made redundant. Candidates go largest value first, then the total of
// the most groups, then the lower index, so a headline figure is the first to
// come back. A release is kept only if no suppressed cell becomes derivable.
//
// The test is exact and cheap. Each component of suppressed cells is
// eliminated once, with candidates kept out of the pivots where possible.
// In a fully reduced basis a non-pivot column c can be published (moved to
// the constant side) and a cell d becomes derivable iff the basis row of d
// holds only d and c: any combination of equations is a combination of basis
// rows with its pivot entries as weights. Publishing c just drops column c
// from every row, which keeps the basis reduced, so the next candidate is
// tested on the same basis. A candidate that is a pivot is first swapped out
// for another column of its row.
//
// On coefficient overflow a component keeps what it released so far. A
// final audit of the components that changed must come back clean; if it
// ever does not, every release is undone, leaving the clean pattern Protect
// had before.
func (s *suppressor) cleanup(a *auditor) {
	t := s.t
	none := make([]bool, len(t.Values))
	a.audit(t, s.st, none) // components only: nothing is fresh
	var (
		released []int
		cand     []int32 // local columns of the component's candidates
		e        eliminator
		inS      []int32 // local columns released together
		inSet    []bool  // local column -> in inS
		gone     = make([]int32, len(t.Groups))
	)
	for k := range a.ncomp {
		us := a.umember[a.ustart[k]:a.ustart[k+1]]
		cand = cand[:0]
		for j, u := range us {
			if c := a.cells[u]; s.st[c] == Secondary {
				cand = append(cand, int32(j))
			}
		}
		if len(cand) == 0 {
			continue
		}
		e.avoid = slices.Grow(e.avoid[:0], len(us))[:len(us)]
		clear(e.avoid)
		inSet = slices.Grow(inSet[:0], len(us))[:len(us)]
		clear(inSet)
		for _, j := range cand {
			e.avoid[j] = true
		}
		cell := func(j int32) int { return a.cells[us[j]] }
		col := func(c int) int32 { return a.local[a.uid[c]] }
		slices.SortFunc(cand, func(x, y int32) int {
			cx, cy := cell(x), cell(y)
			if c := cmp.Compare(t.Values[cy], t.Values[cx]); c != 0 {
				return c
			}
			if c := cmp.Compare(s.tops[cy], s.tops[cx]); c != 0 {
				return c
			}
			return cmp.Compare(cx, cy)
		})
		// Most complements pair with a primary cell in some group; the
		// component is eliminated only once a candidate gets past that.
		eliminated := false
		e.broken = false
		for _, j := range cand {
			if s.st[cell(j)] != Secondary {
				continue // released with an earlier candidate
			}
			set, ok := s.closure(j, cell, col, inS[:0], inSet, gone)
			inS = set
			if ok && !eliminated {
				eliminated = true
				a.equations(t, a.gmember[a.gstart[k]:a.gstart[k+1]])
				fixed, fine := e.run(len(us), a.rows)
				// Too large for int64, or not clean: leave it be.
				e.broken = !fine || len(fixed) > 0
			}
			if ok && !e.broken {
				ok = e.releasable(set, inSet)
			}
			if ok {
				for _, x := range set {
					e.drop(x)
					c := cell(x)
					s.st[c] = Published
					for _, g := range s.groups(c) {
						s.count[g]--
					}
					released = append(released, c)
				}
			}
			for _, x := range set {
				inSet[x] = false
				for _, g := range s.groups(cell(x)) {
					gone[g] = 0
				}
			}
			if e.broken {
				break // overflow: the basis is no longer usable
			}
		}
	}
	if len(released) == 0 {
		return
	}
	for _, c := range released {
		for _, g := range s.groups(c) {
			gr := &t.Groups[g]
			for j := -1; j < len(gr.Parts); j++ {
				m := gr.Total
				if j >= 0 {
					m = gr.Parts[j]
				}
				if s.st[m].Suppressed() {
					s.mark(m)
				}
			}
		}
	}
	d := a.audit(t, s.st, s.fresh)
	s.audited()
	if len(d) > 0 {
		for _, c := range released {
			s.st[c] = Secondary
			for _, g := range s.groups(c) {
				s.count[g]++
			}
		}
	}
}

// maxRelease bounds the cells released together, and so the work spent on
// one candidate.
const maxRelease = 16

// closure returns the local columns that must be published along with
// column j: j, and every suppressed cell that would be left alone in a
// group, recursively. It reports false when one of those is Primary or
// they are more than maxRelease. col maps a suppressed cell to its local
// column; gone counts the set's cells per group and inSet marks them, for
// the caller to reset.
func (s *suppressor) closure(j int32, cell func(int32) int, col func(int) int32, set []int32, inSet []bool, gone []int32) ([]int32, bool) {
	add := func(x int32) {
		set = append(set, x)
		inSet[x] = true
		for _, g := range s.groups(cell(x)) {
			gone[g]++
		}
	}
	add(j)
	for i := 0; i < len(set); i++ {
		for _, g := range s.groups(cell(set[i])) {
			if s.count[g]-gone[g] != 1 {
				continue
			}
			gr := &s.t.Groups[g]
			for k := -1; k < len(gr.Parts); k++ {
				m := gr.Total
				if k >= 0 {
					m = gr.Parts[k]
				}
				if !s.st[m].Suppressed() || inSet[col(m)] {
					continue
				}
				if s.st[m] == Primary || len(set) == maxRelease {
					return set, false
				}
				add(col(m))
				break
			}
		}
	}
	return set, true
}

// releasable reports whether the columns of set can be published together
// without fixing another column. It makes them non-pivots first; set
// e.broken when a coefficient outgrew limit.
func (e *eliminator) releasable(set []int32, inSet []bool) bool {
	for _, x := range set {
		if e.pivot[x] >= 0 && !e.unpivot(x, inSet) {
			return false
		}
	}
	for _, x := range set {
		for _, b := range e.colRows[x] {
			row := e.basis[b]
			if _, has := at(row, x); !has {
				continue
			}
			n := 0
			for _, y := range row {
				if !inSet[y.col] {
					n++
				}
			}
			if n == 1 {
				return false
			}
		}
	}
	return true
}

// unpivot makes column c a non-pivot: another column q of c's basis row,
// not in inSet, becomes that row's pivot and is eliminated from the other
// rows. It reports false when there is no such q, or when a coefficient
// outgrew limit; it sets e.broken then, as the basis is unusable.
func (e *eliminator) unpivot(c int32, inSet []bool) bool {
	r := e.pivot[c]
	row := e.basis[r]
	q, cost := int32(-1), 0
	for _, x := range row {
		if x.col == c || inSet[x.col] {
			continue
		}
		if n := len(e.colRows[x.col]); q < 0 || n < cost {
			q, cost = x.col, n
		}
	}
	if q < 0 {
		return false
	}
	holders := append([]int32(nil), e.colRows[q]...)
	for _, b := range holders {
		if b == r {
			continue
		}
		if _, has := at(e.basis[b], q); !has {
			continue
		}
		var ok bool
		if e.tmp, ok = combine(e.tmp[:0], e.basis[b], row, q, e, b); !ok {
			e.broken = true
			return false
		}
		e.basis[b] = append(e.basis[b][:0], e.tmp...)
	}
	e.colRows[q] = append(e.colRows[q][:0], r)
	e.pivot[q] = r
	e.pivot[c] = -1
	return true
}

// drop removes the non-pivot column c from every basis row.
func (e *eliminator) drop(c int32) {
	for _, b := range e.colRows[c] {
		row := e.basis[b]
		if i, has := slices.BinarySearchFunc(row, c, func(x entry, c int32) int { return int(x.col) - int(c) }); has {
			e.basis[b] = slices.Delete(row, i, i+1)
		}
	}
	e.colRows[c] = e.colRows[c][:0]
}
