package sdc

import "slices"

// Protect runs Suppress, then Audit, changing the pattern until the audit
// finds nothing; the package comment gives the policy. It fails with
// ErrBadTable when the groups do not fit the cells, and with an
// *UnsafeError naming a primary cell that stays derivable with every cell
// linked to it suppressed; the statuses are nil then, since nothing is safe
// to publish.
//
// Each round audits the components that changed. In a component where a
// primary cell is derivable, every derivable cell gets one complement: the
// best free cell (in Suppress's order) of a group it is in, or failing that
// of the nearest group linked to it through suppressed cells. Derivable
// complements get one too, rather than being released, because the
// primary may need them once more is suppressed. A derivable cell that
// shares a group with a complement added in the same round waits for the
// next audit, which keeps extra suppression down. In a component where no
// primary is derivable, the derivable complements are released; a released
// cell is never a complement again, so the rounds end. When no free cell is
// linked to a derivable primary and the round added nothing, its whole
// connected component is suppressed, released cells included; a primary
// derivable after that is unsafe. A clean pattern is then post-processed:
// cleanup releases redundant complements and swap trades the largest for
// smaller cells, with at most 16 + n/16384 audits so that the pass costs
// about as much as the rounds before it.
func Protect(t *Table, k int) ([]Status, error) {
	if err := validate(t); err != nil {
		return nil, err
	}
	s := newSuppressor(t, k)
	s.settle()
	s.banned = make([]bool, len(t.Values))
	var (
		exhausted []bool                         // cells whose component was suppressed whole
		seen      = make([]int32, len(t.Groups)) // search number that reached a group
		search    int32
		a         auditor
		exposed   []bool // audit component -> holds a derivable primary
		stuck     []int
	)
	for round := int32(1); ; round++ {
		derivable := a.audit(t, s.st, s.fresh)
		s.audited()
		if len(derivable) == 0 {
			s.cleanup(&a)
			s.swap(&a, k, 16+len(t.Values)/16384)
			return s.st, nil
		}
		s.round = round
		exposed = slices.Grow(exposed[:0], int(a.ncomp))[:a.ncomp]
		clear(exposed)
		for _, c := range derivable {
			if s.st[c] == Primary {
				if exhausted != nil && exhausted[c] {
					return nil, &UnsafeError{Cell: c}
				}
				exposed[a.component(c)] = true
			}
		}
		added := false
		stuck = stuck[:0]
		for _, c := range derivable {
			if !exposed[a.component(c)] {
				s.release(c) // a complement whose value is known anyway
				continue
			}
			if s.touched(c) {
				continue
			}
			search++
			if comp := s.nearest(c, seen, search); comp >= 0 {
				s.suppress(comp, Secondary)
				added = true
			} else if s.st[c] == Primary {
				stuck = append(stuck, c)
			}
		}
		if !added && len(stuck) > 0 {
			// Nothing changed this round that could help: last resort.
			if exhausted == nil {
				exhausted = make([]bool, len(t.Values))
			}
			search++
			if !s.exhaust(stuck[0], exhausted, seen, search) {
				return nil, &UnsafeError{Cell: stuck[0]}
			}
		}
		for _, c := range derivable {
			if s.st[c].Suppressed() {
				s.mark(c) // revisit its component even if nothing landed in it
			}
		}
		s.settle()
	}
}

// touched reports whether a group of cell c got a complement in this round.
func (s *suppressor) touched(c int) bool {
	for _, g := range s.groups(c) {
		if s.stamp[g] == s.round {
			return true
		}
	}
	return false
}

// nearest returns the best complement for cell c from the groups c is in,
// or, if those hold no free cell, from the groups reached breadth-first
// through suppressed cells; -1 when none of those holds a free cell.
func (s *suppressor) nearest(c int, seen []int32, search int32) int {
	layer := []int32{}
	for _, g := range s.groups(c) {
		if seen[g] != search {
			seen[g] = search
			layer = append(layer, g)
		}
	}
	for len(layer) > 0 {
		best := rank{cell: -1}
		for _, g := range layer {
			if cell, r := s.complement(int(g)); cell >= 0 && (best.cell < 0 || r.less(best)) {
				best = r
			}
		}
		if best.cell >= 0 {
			return best.cell
		}
		var next []int32
		for _, g := range layer {
			gr := &s.t.Groups[g]
			for j := -1; j < len(gr.Parts); j++ {
				m := gr.Total
				if j >= 0 {
					m = gr.Parts[j]
				}
				if !s.st[m].Suppressed() {
					continue // released: a published value, no link
				}
				for _, h := range s.groups(m) {
					if seen[h] != search {
						seen[h] = search
						next = append(next, h)
					}
				}
			}
		}
		layer = next
	}
	return -1
}

// exhaust suppresses every cell linked to cell c through groups, published
// or not, and marks them exhausted. It reports whether any was published:
// if none was, c is derivable with its whole component suppressed.
func (s *suppressor) exhaust(c int, exhausted []bool, seen []int32, search int32) bool {
	added := false
	cells := []int{c}
	exhausted[c] = true
	for len(cells) > 0 {
		x := cells[len(cells)-1]
		cells = cells[:len(cells)-1]
		for _, g := range s.groups(x) {
			if seen[g] == search {
				continue
			}
			seen[g] = search
			gr := &s.t.Groups[g]
			for j := -1; j < len(gr.Parts); j++ {
				m := gr.Total
				if j >= 0 {
					m = gr.Parts[j]
				}
				if exhausted[m] {
					continue
				}
				exhausted[m] = true
				cells = append(cells, m)
				if !s.st[m].Suppressed() {
					s.suppress(m, Secondary)
					added = true
				}
			}
		}
	}
	return added
}
