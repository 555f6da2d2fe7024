package sdc

// Suppress returns the status of every cell: primary suppression of
// 0 < n < k, then secondary suppression until no group holds exactly one
// suppressed cell (counting its total); deterministic for equal input.
//
// A group with one suppressed cell gets one complement, chosen in this order:
// the smallest non-zero unsuppressed part, then the unsuppressed zero part
// with the lowest index, then the total. Among parts of equal value the one
// deepest in the hierarchy goes first: the cell that is the total of the
// fewest groups, since a total's value is a headline figure and its
// suppression spreads to its parts' other groups. Remaining ties go to the
// lower index. A zero is never sensitive, and a withheld zero next to a
// sensitive cell narrows the attacker's interval to [0, n], so zeros come
// after non-zero parts. The total comes last because it sits in other
// groups and spreads suppression.
//
// Suppress panics on a table with member indexes out of range; Protect
// validates first.
func Suppress(t *Table, k int) []Status {
	s := newSuppressor(t, k)
	s.settle()
	return s.st
}

// suppressor holds the cell -> groups index and the count of suppressed
// members per group, so that secondary suppression is a work-list over groups
// rather than repeated scans: a group is settled at most once, because its
// count only grows.
type suppressor struct {
	t      *Table
	st     []Status
	start  []int32 // groups of cell c are member[start[c]:start[c+1]]
	member []int32
	count  []int32 // suppressed cells per group, total included
	tops   []int32 // cell -> groups it is the total of
	queue  []int32 // groups whose count became 1
	fresh  []bool  // cells whose component changed since the last call to audited
	added  []int32 // the cells marked in fresh

	// Used by Protect only.
	round  int32   // current audit round
	stamp  []int32 // group -> round in which a member was last suppressed
	banned []bool  // released cells: never a complement again
}

func newSuppressor(t *Table, k int) *suppressor {
	n := len(t.Values)
	s := &suppressor{
		t:     t,
		st:    make([]Status, n),
		fresh: make([]bool, n),
		start: make([]int32, n+1),
		count: make([]int32, len(t.Groups)),
		stamp: make([]int32, len(t.Groups)),
		tops:  make([]int32, n),
	}
	for _, g := range t.Groups {
		s.tops[g.Total]++
		s.start[g.Total+1]++
		for _, c := range g.Parts {
			s.start[c+1]++
		}
	}
	for c := range n {
		s.start[c+1] += s.start[c]
	}
	s.member = make([]int32, s.start[n])
	next := make([]int32, n)
	copy(next, s.start[:n])
	add := func(c int, g int32) {
		s.member[next[c]] = g
		next[c]++
	}
	for g, gr := range t.Groups {
		add(gr.Total, int32(g))
		for _, c := range gr.Parts {
			add(c, int32(g))
		}
	}
	for c, v := range t.Values {
		if v > 0 && v < int64(k) {
			s.suppress(c, Primary)
		}
	}
	return s
}

func (s *suppressor) groups(c int) []int32 { return s.member[s.start[c]:s.start[c+1]] }

// suppress withholds cell c and queues the groups that now hold exactly one
// suppressed cell.
func (s *suppressor) suppress(c int, why Status) {
	s.st[c] = why
	s.mark(c)
	for _, g := range s.groups(c) {
		s.stamp[g] = s.round
		s.count[g]++
		if s.count[g] == 1 {
			s.queue = append(s.queue, g)
		}
	}
}

// release publishes the suppressed cell c again and bans it as a
// complement. Every group of c that still holds a suppressed cell has one
// of them marked, so that the next audit revisits what c's component
// became.
func (s *suppressor) release(c int) {
	s.st[c] = Published
	s.banned[c] = true
	for _, g := range s.groups(c) {
		s.count[g]--
		if s.count[g] == 1 {
			s.queue = append(s.queue, g)
		}
		gr := &s.t.Groups[g]
		for j := -1; j < len(gr.Parts); j++ {
			m := gr.Total
			if j >= 0 {
				m = gr.Parts[j]
			}
			if s.st[m].Suppressed() {
				s.mark(m)
				break
			}
		}
	}
}

// mark queues cell c for the next audit.
func (s *suppressor) mark(c int) {
	if !s.fresh[c] {
		s.fresh[c] = true
		s.added = append(s.added, int32(c))
	}
}

// settle adds complements until no group holds exactly one suppressed cell.
func (s *suppressor) settle() {
	for len(s.queue) > 0 {
		g := s.queue[0]
		s.queue = s.queue[1:]
		if s.count[g] != 1 {
			continue
		}
		if c, _ := s.complement(int(g)); c >= 0 {
			s.suppress(c, Secondary)
		}
		// A group of one cell has no complement; Audit reports it.
	}
	s.queue = s.queue[:0]
}

// audited clears the fresh marks once Protect has audited the cells.
func (s *suppressor) audited() {
	for _, c := range s.added {
		s.fresh[c] = false
	}
	s.added = s.added[:0]
}

// rank orders complement candidates: lower is better. See Suppress.
type rank struct {
	class int // 0 non-zero part, 1 zero part, 2 total
	value int64
	tops  int32 // groups the cell is the total of: fewer is deeper
	cell  int
}

func (r rank) less(o rank) bool {
	if r.class != o.class {
		return r.class < o.class
	}
	if r.value != o.value {
		return r.value < o.value
	}
	if r.tops != o.tops {
		return r.tops < o.tops
	}
	return r.cell < o.cell
}

// complement returns the best unsuppressed cell of group g, or -1. Banned
// cells do not count.
func (s *suppressor) complement(g int) (int, rank) {
	gr := &s.t.Groups[g]
	best := rank{cell: -1}
	for _, c := range gr.Parts {
		if !s.free(c) {
			continue
		}
		r := rank{value: s.t.Values[c], tops: s.tops[c], cell: c}
		if r.value == 0 {
			r.class = 1
		}
		if best.cell < 0 || r.less(best) {
			best = r
		}
	}
	if best.cell < 0 && s.free(gr.Total) {
		best = rank{class: 2, value: s.t.Values[gr.Total], tops: s.tops[gr.Total], cell: gr.Total}
	}
	return best.cell, best
}

// free reports whether cell c may become a complement.
func (s *suppressor) free(c int) bool {
	return !s.st[c].Suppressed() && (s.banned == nil || !s.banned[c])
}
