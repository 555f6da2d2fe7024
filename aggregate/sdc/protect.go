package sdc

// Protect runs Suppress, then Audit, adding complements until the audit
// finds nothing. It fails with ErrBadTable when the groups do not fit the
// cells, and with an *UnsafeError naming a cell when no complement is left;
// the statuses are nil then, since nothing is safe to publish.
//
// Each round gives every derivable cell one complement: the best unsuppressed
// cell (in Suppress's order) of a group it is in, or failing that of the
// nearest group linked to it through suppressed cells. A derivable cell that
// shares a group with a complement added in the same round waits for the
// next audit, which keeps extra suppression down.
func Protect(t *Table, k int) ([]Status, error) {
	if err := validate(t); err != nil {
		return nil, err
	}
	s := newSuppressor(t, k)
	s.settle()
	stamp := make([]int32, len(t.Groups)) // round in which a group got a complement
	seen := make([]int32, len(t.Groups))  // search number that reached a group
	search := int32(0)
	var a auditor
	for round := int32(1); ; round++ {
		derivable := a.audit(t, s.st, s.fresh)
		s.audited()
		if len(derivable) == 0 {
			return s.st, nil
		}
		for _, c := range derivable {
			if s.touched(c, stamp, round) {
				continue
			}
			search++
			comp := s.nearest(c, seen, search)
			if comp < 0 {
				return nil, &UnsafeError{Cell: c}
			}
			s.suppress(comp, Secondary)
			for _, g := range s.groups(comp) {
				stamp[g] = round
			}
		}
		s.settle()
	}
}

// touched reports whether a group of cell c got a complement in this round.
func (s *suppressor) touched(c int, stamp []int32, round int32) bool {
	for _, g := range s.groups(c) {
		if stamp[g] == round {
			return true
		}
	}
	return false
}

// nearest returns the best complement for cell c from the groups c is in,
// or, if those are fully suppressed, from the groups reached breadth-first
// through suppressed cells; -1 when the whole linked set is suppressed.
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
