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
		for _, j := range cand {
			e.avoid[j] = true
		}
		cell := func(j int32) int { return a.cells[us[j]] }
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
		a.equations(t, a.gmember[a.gstart[k]:a.gstart[k+1]])
		fixed, ok := e.run(len(us), a.rows)
		if !ok || len(fixed) > 0 {
			continue // too large for int64, or not clean: leave it be
		}
		for _, j := range cand {
			c := cell(j)
			if s.wouldLeaveOne(c) {
				continue
			}
			if e.pivot[j] >= 0 {
				if !e.unpivot(j) {
					break // overflow: the basis is no longer usable
				}
			}
			if e.pins(j) {
				continue
			}
			e.drop(j)
			s.st[c] = Published
			for _, g := range s.groups(c) {
				s.count[g]--
			}
			released = append(released, c)
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

// wouldLeaveOne reports whether publishing cell c leaves a group of it with
// exactly one suppressed cell, which would then be derivable.
func (s *suppressor) wouldLeaveOne(c int) bool {
	for _, g := range s.groups(c) {
		if s.count[g] == 2 {
			return true
		}
	}
	return false
}

// unpivot makes column c a non-pivot: another column q of c's basis row
// becomes that row's pivot and is eliminated from the other rows. It
// reports false when a coefficient outgrew limit; the basis is unusable
// then.
func (e *eliminator) unpivot(c int32) bool {
	r := e.pivot[c]
	row := e.basis[r]
	q, cost := int32(-1), 0
	for _, x := range row {
		if x.col == c {
			continue
		}
		if n := len(e.colRows[x.col]); q < 0 || n < cost {
			q, cost = x.col, n
		}
	}
	if q < 0 {
		return false // c alone in its row: derivable, cannot happen when clean
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
			return false
		}
		e.basis[b] = append(e.basis[b][:0], e.tmp...)
	}
	e.colRows[q] = append(e.colRows[q][:0], r)
	e.pivot[q] = r
	e.pivot[c] = -1
	return true
}

// pins reports whether publishing the non-pivot column c would fix another
// column: a basis row holding c and one other column only.
func (e *eliminator) pins(c int32) bool {
	for _, b := range e.colRows[c] {
		if _, has := at(e.basis[b], c); has && len(e.basis[b]) == 2 {
			return true
		}
	}
	return false
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
