package sdc

import (
	"cmp"
	"slices"
)

// swap tries to replace large Secondary cells by cheaper complements, the
// other half of the post-processing: cleanup cannot release a complement
// that shares a group with a primary cell and nothing else suppressed, such
// as a gemeente total that was suppressed first and then served a small
// class of its breakdown. Candidates are the Secondary cells of at least
// 2k, largest first (then the total of most groups, then lower index).
// For each, the cell is published; every group this leaves with one
// suppressed cell gets a new complement smaller than the candidate (in
// Suppress's order), or, when that cell is Secondary itself, loses it too;
// new complements that stand alone in a group get one in turn. The swap is
// kept only if no group is left with one suppressed cell and the audit of
// the changed components is clean; otherwise everything is put back. An
// attempt that gets that far costs an audit, so there are at most budget
// of them.
func (s *suppressor) swap(a *auditor, k int, budget int) {
	t := s.t
	var cand []int
	for c, st := range s.st {
		if st == Secondary && t.Values[c] >= 2*int64(k) {
			cand = append(cand, c)
		}
	}
	slices.SortFunc(cand, func(x, y int) int {
		if c := cmp.Compare(t.Values[y], t.Values[x]); c != 0 {
			return c
		}
		if c := cmp.Compare(s.tops[y], s.tops[x]); c != 0 {
			return c
		}
		return cmp.Compare(x, y)
	})
	var pub, sup []int
	for _, c := range cand {
		if budget == 0 {
			return
		}
		if s.st[c] != Secondary {
			continue
		}
		pub, sup = pub[:0], sup[:0]
		ok := s.trySwap(c, &pub, &sup) && !s.leavesOne(pub) && !s.leavesOne(sup)
		s.queue = s.queue[:0]
		if ok {
			budget--
			for _, m := range pub {
				s.markGroups(m)
			}
			for _, m := range sup {
				s.markGroups(m)
			}
			ok = len(a.audit(t, s.st, s.fresh)) == 0
			s.audited()
		}
		if !ok {
			for _, m := range sup {
				s.unsuppress(m)
			}
			for _, m := range pub {
				s.resuppress(m)
			}
			s.audited()
			continue
		}
		for _, m := range pub {
			s.banned[m] = true
		}
	}
}

// maxSwap bounds the cells one swap publishes or suppresses.
const maxSwap = 48

// trySwap publishes c and patches the groups it leaves with one suppressed
// cell, appending what it published to pub and what it suppressed to sup.
// It reports false when it cannot: the caller puts both back.
func (s *suppressor) trySwap(c int, pub, sup *[]int) bool {
	limit := s.t.Values[c]
	work := []int{c}
	s.unsuppress(c)
	*pub = append(*pub, c)
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		for _, g := range s.groups(x) {
			if s.count[g] != 1 {
				continue
			}
			d := s.lone(int(g))
			if s.st[d] == Secondary && len(*pub) < maxSwap && !slices.Contains(*sup, d) {
				s.unsuppress(d)
				*pub = append(*pub, d)
				work = append(work, d)
				continue
			}
			m, r := s.complement(int(g))
			if m < 0 || r.value >= limit || len(*sup) == maxSwap {
				return false
			}
			s.suppress(m, Secondary)
			*sup = append(*sup, m)
			work = append(work, m)
		}
	}
	return true
}

// leavesOne reports whether a group of the cells cs holds one suppressed
// cell.
func (s *suppressor) leavesOne(cs []int) bool {
	for _, c := range cs {
		for _, g := range s.groups(c) {
			if s.count[g] == 1 {
				return true
			}
		}
	}
	return false
}

// lone returns the one suppressed cell of group g.
func (s *suppressor) lone(g int) int {
	gr := &s.t.Groups[g]
	if s.st[gr.Total].Suppressed() {
		return gr.Total
	}
	for _, m := range gr.Parts {
		if s.st[m].Suppressed() {
			return m
		}
	}
	return -1
}

// unsuppress publishes a Secondary cell without banning it or queueing
// anything.
func (s *suppressor) unsuppress(c int) {
	s.st[c] = Published
	for _, g := range s.groups(c) {
		s.count[g]--
	}
}

// resuppress undoes unsuppress.
func (s *suppressor) resuppress(c int) {
	s.st[c] = Secondary
	for _, g := range s.groups(c) {
		s.count[g]++
	}
}

// markGroups marks for the next audit the suppressed cells of c's groups,
// c included.
func (s *suppressor) markGroups(c int) {
	for _, g := range s.groups(c) {
		gr := &s.t.Groups[g]
		if s.st[gr.Total].Suppressed() {
			s.mark(gr.Total)
		}
		for _, m := range gr.Parts {
			if s.st[m].Suppressed() {
				s.mark(m)
			}
		}
	}
}
