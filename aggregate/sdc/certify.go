package sdc

// Certificates prove a protection. Certificate i is a change to withheld
// cells, Changes[Start[i]:Start[i+1]], that keeps every group balanced and
// every value non-negative; it moves cell Cell[i] to a bound of its
// interval.
type Certificates struct {
	Cell    []int32
	Start   []int32 // len(Cell)+1 once anything is added
	Changes []Change
}

// Change is one cell's difference in a certificate's alternative table.
type Change struct {
	Cell  int32
	Delta int64
}

// Len is the number of certificates.
func (cs *Certificates) Len() int { return len(cs.Cell) }

// At returns certificate i: the protected cell and the changes.
func (cs *Certificates) At(i int) (int32, []Change) {
	return cs.Cell[i], cs.Changes[cs.Start[i]:cs.Start[i+1]]
}

func (cs *Certificates) add(cell int32, changes []Change) {
	if len(cs.Start) == 0 {
		cs.Start = append(cs.Start, 0)
	}
	cs.Cell = append(cs.Cell, cell)
	cs.Changes = append(cs.Changes, changes...)
	cs.Start = append(cs.Start, int32(len(cs.Changes)))
}

// tactic tunes one attempt of the search.
type tactic struct {
	step    float64 // expected price of each group a choice leaves upset
	wide    bool    // try more members per group and more choices in all
	uniform bool    // ignore Table.Cost: every published cell costs 1
	quick   bool    // a tenth of the choices: release's searches often fail
}

// tactics are tried in order until one finds a certificate: the first
// respects Cost, the second weighs closing groups more, the last finds any
// certificate, whatever it withholds.
var tactics = []tactic{{step: 0.5}, {step: 2}, {step: 0.5, wide: true}, {step: 0.5, uniform: true}}

// releasing is the only tactic of release.
var releasing = tactic{step: 0.5, quick: true}

// The search is bounded: certificates in hierarchical tables need a handful
// of changes, a few dozen in sparse corners. maxSteps bounds the changes of
// one certificate, maxNodes the choices tried, branch the members tried per
// group.
const (
	maxSteps = 400
	maxNodes = 4000
	branch   = 3
)

// searcher looks for certificates. Its scratch arrays are indexed by cell
// and by group; each search resets only what it touched.
type searcher struct {
	t  *Table
	x  index
	st []Status
	tc tactic

	origin int32
	delta  []int64 // per cell: the change of the current search
	seen   []bool  // per cell: listed in cells
	cells  []int32
	imb    []int64 // per group: Δtotal - ΣΔparts
	gseen  []bool
	groups []int32
	nodes  int
	out    []Change
	slack  []int64          // per Union group: sum of parts minus total, the overlap
	tops   []int64          // per cell: groups it is the total of, the default price
	memo   map[int64]offers // per group and sign: its offers, for one choice
	forbid int32            // a cell no certificate may change (release), or -1
	marked []int32          // cells commit withheld, for release to undo
}

func newSearcher(t *Table, st []Status) *searcher {
	n, m := len(t.Values), len(t.Groups)
	s := &searcher{
		t: t, x: newIndex(t), st: st,
		delta: make([]int64, n), seen: make([]bool, n),
		imb: make([]int64, m), gseen: make([]bool, m),
		slack: make([]int64, m), tops: make([]int64, n), memo: map[int64]offers{},
		forbid: -1,
	}
	for g, gr := range t.Groups {
		s.tops[gr.Total]++
		if gr.Union {
			s.slack[g] = overlap(t, &gr)
		}
	}
	return s
}

// overlap is how much a Union group's parts add up to more than its total.
func overlap(t *Table, gr *Group) int64 {
	sum := -t.Values[gr.Total]
	for _, p := range gr.Parts {
		sum += t.Values[p]
	}
	return sum
}

// greedy looks for a certificate that changes cell c by d with tactic tc.
// On success its changes are in s.out; nothing is marked yet.
func (s *searcher) greedy(c int32, d int64, tc tactic) bool {
	s.tc = tc
	ok := s.search(c, d)
	if ok {
		s.out = s.out[:0]
		for _, y := range s.cells {
			if s.delta[y] != 0 {
				s.out = append(s.out, Change{Cell: y, Delta: s.delta[y]})
			}
		}
	}
	s.reset()
	return ok
}

// valid reports whether changes form a certificate for t: they change no
// cell below 0 and settle every group they touch.
func (s *searcher) valid(changes []Change) bool {
	defer s.reset()
	for _, ch := range changes {
		if ch.Cell < 0 || int(ch.Cell) >= len(s.t.Values) || s.t.Values[ch.Cell]+s.delta[ch.Cell]+ch.Delta < 0 {
			return false
		}
		s.add(ch.Cell, ch.Delta)
	}
	for _, g := range s.groups {
		if s.need(g) != 0 {
			return false
		}
	}
	return s.unionsHold()
}

// cost is the price of the complements changes would add.
func (s *searcher) cost(changes []Change) float64 {
	tc := s.tc
	s.tc = tactic{}
	sum := 0.0
	for _, ch := range changes {
		sum += s.price(ch.Cell)
	}
	s.tc = tc
	return sum
}

// commit marks every published cell of changes Secondary.
func (s *searcher) commit(changes []Change) {
	for _, ch := range changes {
		if s.st[ch.Cell] == Published {
			s.st[ch.Cell] = Secondary
			s.marked = append(s.marked, ch.Cell)
		}
	}
}

func (s *searcher) reset() {
	for _, y := range s.cells {
		s.delta[y], s.seen[y] = 0, false
	}
	for _, g := range s.groups {
		s.imb[g], s.gseen[g] = 0, false
	}
	s.cells, s.groups = s.cells[:0], s.groups[:0]
}

// search looks for a change of c by d that settles every group: depth
// first, settling the group upset first, trying the best few members of it
// in turn and undoing a choice that leads nowhere, within a budget.
func (s *searcher) search(c int32, d int64) bool {
	s.origin, s.nodes = c, 0
	s.add(c, d)
	return s.settle(0)
}

func (s *searcher) settle(depth int) bool {
	g, r := s.upset()
	if g < 0 {
		return s.unionsHold()
	}
	budget, width := maxNodes, branch
	if s.tc.quick {
		budget = maxNodes / 10
	}
	if s.tc.wide {
		budget, width = 8*maxNodes, 2*branch
	}
	if depth >= maxSteps || s.nodes >= budget {
		return false
	}
	s.nodes++
	var buf [2 * branch]move
	for _, m := range s.choose(g, r, buf[:0], width) {
		s.add(m.cell, m.amt)
		if s.settle(depth + 1) {
			return true
		}
		s.add(m.cell, -m.amt)
		if s.nodes >= budget {
			return false
		}
	}
	return false
}

// upset returns the touched group that still needs settling with the
// fewest members able to settle it (the most constrained first, so that a
// dead end shows early), and what it needs; -1 when all are settled.
func (s *searcher) upset() (int32, int64) {
	best, bestR, fewest := int32(-1), int64(0), -1
	for _, g := range s.groups {
		r := s.need(g)
		if r == 0 {
			continue
		}
		n := s.options(g, r)
		if fewest < 0 || n < fewest {
			best, bestR, fewest = g, r, n
			if n <= 1 {
				break
			}
		}
	}
	return best, bestR
}

// options counts the members of group g that can move to settle r. A
// large group counts as having as many as it has members: it is never
// the most constrained, and scanning it at every step would cost more
// than the search.
func (s *searcher) options(g int32, r int64) int {
	gr := &s.t.Groups[g]
	if len(gr.Parts) > 16 {
		return len(gr.Parts) + 1
	}
	n := 0
	for j := -1; j < len(gr.Parts); j++ {
		y, want := gr.Total, -r
		if j >= 0 {
			y, want = gr.Parts[j], r
		}
		if _, ok := s.movable(y, want); ok {
			n++
		}
	}
	return n
}

// need is what group g still needs, in the sign of imb: r > 0 means its
// parts must rise by r or its total fall by r, r < 0 the opposite. An exact
// group needs its whole imbalance settled. A Union group tolerates parts
// that fall by up to its overlap, and needs its total raised when a part
// rose above it.
func (s *searcher) need(g int32) int64 {
	gr := &s.t.Groups[g]
	if !gr.Union {
		return s.imb[g]
	}
	if r := s.imb[g] - s.slack[g]; r > 0 {
		return r
	}
	if e := s.excess(gr); e > 0 {
		return -e
	}
	return 0
}

// excess is how far the largest changed part of a Union group exceeds its
// changed total.
func (s *searcher) excess(gr *Group) int64 {
	total := s.t.Values[gr.Total] + s.delta[gr.Total]
	e := int64(0)
	for _, p := range gr.Parts {
		e = max(e, s.t.Values[p]+s.delta[p]-total)
	}
	return e
}

// add changes cell y by d and records which groups that upsets.
func (s *searcher) add(y int32, d int64) {
	if !s.seen[y] {
		s.seen[y] = true
		s.cells = append(s.cells, y)
	}
	s.delta[y] += d
	for _, m := range s.x.of(y) {
		g := m >> 1
		if m&1 == 1 {
			s.imb[g] += d
		} else {
			s.imb[g] -= d
		}
		if !s.gseen[g] {
			s.gseen[g] = true
			s.groups = append(s.groups, g)
		}
	}
}

// unionsHold checks the one constraint balance does not keep by itself: in
// a Union group every part stays at most the total.
func (s *searcher) unionsHold() bool {
	for _, g := range s.groups {
		gr := &s.t.Groups[g]
		if !gr.Union {
			continue
		}
		if !unionHolds(s.t, gr, s.delta) {
			return false
		}
	}
	return true
}

// unionHolds reports whether every part of gr, changed by delta, is at most
// its changed total.
func unionHolds(t *Table, gr *Group, delta []int64) bool {
	total := t.Values[gr.Total] + delta[gr.Total]
	for _, p := range gr.Parts {
		if t.Values[p]+delta[p] > total {
			return false
		}
	}
	return true
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
