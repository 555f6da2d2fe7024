package sdc

import "math"

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

// move is a candidate change: cell by amt.
type move struct {
	cell  int32
	amt   int64
	score float64
	price float64
}

// choose ranks the members of group g that can absorb its need r, and by
// how much each changes: a part by +r or the total by -r, less where a cell
// cannot go below 0 or a Union part above its total. It appends the best
// branch of them to buf, best first.
func (s *searcher) choose(g int32, r int64, buf []move, width int) []move {
	gr := &s.t.Groups[g]
	clear(s.memo) // offers change with every move
	limit := s.shortlist(gr, r)
	atLimit := 0 // members scored at the limit's price: many cost the same
	for j := -1; j < len(gr.Parts); j++ {
		y, want := gr.Total, -r
		if j >= 0 {
			y, want = gr.Parts[j], r
		}
		if gr.Union && r < 0 && j >= 0 {
			// The total is below a part: lower that part to it.
			want = s.t.Values[gr.Total] + s.delta[gr.Total] - s.t.Values[y] - s.delta[y]
			if want >= 0 {
				continue
			}
		}
		amt, ok := s.movable(y, want)
		if ok && gr.Union {
			amt, ok = s.withinUnion(gr, y, j < 0, amt)
		}
		if !ok || s.price(y) > limit {
			continue
		}
		if s.price(y) == limit && !math.IsInf(limit, 1) {
			if atLimit++; atLimit > shortSize {
				continue
			}
		}
		m := move{cell: y, amt: amt, score: s.score(y, g, amt, r), price: s.price(y)}
		i := len(buf)
		for i > 0 && m.better(buf[i-1]) {
			i--
		}
		if i >= width {
			continue
		}
		if len(buf) < width {
			buf = append(buf, move{})
		}
		copy(buf[i+1:], buf[i:len(buf)-1])
		buf[i] = m
	}
	return buf
}

// shortSize is how many members of a large group choose scores.
const shortSize = 16

// shortlist bounds the price of the members choose scores in a large
// group (the gemeenten of a country, say): scoring looks at every group of
// every candidate, so scoring all of them would cost the square of the
// group's size at every step. It returns the price of the shortSize-th
// cheapest member; choose scores the members below it and the first
// shortSize at it (hundreds of gemeenten may cost the same). Small groups
// are scored whole.
func (s *searcher) shortlist(gr *Group, r int64) float64 {
	const size = shortSize
	if len(gr.Parts) < 2*size {
		return math.Inf(1)
	}
	var cheapest [size]float64
	n := 0
	for j := -1; j < len(gr.Parts); j++ {
		y, want := gr.Total, -r
		if j >= 0 {
			y, want = gr.Parts[j], r
		}
		if _, ok := s.movable(y, want); !ok {
			continue
		}
		p := s.price(y)
		k := n
		if n < size {
			n++
		} else if p >= cheapest[size-1] {
			continue
		} else {
			k = size - 1
		}
		for ; k > 0 && cheapest[k-1] > p; k-- {
			cheapest[k] = cheapest[k-1]
		}
		cheapest[k] = p
	}
	if n < size {
		return math.Inf(1)
	}
	return cheapest[size-1]
}

// better orders candidates: lower score, then lower price, then more of the
// need absorbed, then the lower cell index (deterministic).
func (m move) better(o move) bool {
	if m.score != o.score {
		return m.score < o.score
	}
	if m.price != o.price {
		return m.price < o.price
	}
	if abs(m.amt) != abs(o.amt) {
		return abs(m.amt) > abs(o.amt)
	}
	return m.cell < o.cell
}

// movable is how far cell y can change towards want: all of it upwards, at
// most down to 0 downwards, and only further in the direction it moved
// already. The cell being protected does not move again.
func (s *searcher) movable(y int32, want int64) (int64, bool) {
	if y == s.origin || y == s.forbid {
		return 0, false
	}
	if d := s.delta[y]; (d < 0 && want > 0) || (d > 0 && want < 0) {
		return 0, false // never undo a change: the search would cycle
	}
	if want < 0 {
		room := s.t.Values[y] + s.delta[y]
		if room <= 0 {
			return 0, false
		}
		if -want > room {
			return -room, true
		}
	}
	return want, true
}

// withinUnion limits a move in Union group gr so that every part stays at
// most the total: a part rises at most to the total, the total falls at
// most to the largest part.
func (s *searcher) withinUnion(gr *Group, y int32, total bool, amt int64) (int64, bool) {
	t := s.t.Values[gr.Total] + s.delta[gr.Total]
	switch {
	case total && amt < 0:
		top := int64(0)
		for _, p := range gr.Parts {
			top = max(top, s.t.Values[p]+s.delta[p])
		}
		if room := t - top; -amt > room {
			amt = -room
		}
	case !total && amt > 0:
		if room := t - s.t.Values[y] - s.delta[y]; amt > room {
			amt = room
		}
	}
	return amt, amt != 0
}

// price is what withholding cell y adds: nothing when it is withheld already
// or changed by this certificate.
func (s *searcher) price(y int32) float64 {
	switch {
	case s.st[y].Suppressed() || s.seen[y]:
		return 0
	case s.tc.uniform:
		return 1
	case s.t.Cost == nil:
		return float64(1 + s.tops[y])
	}
	return float64(s.t.Cost[y])
}

// score estimates the total price of changing cell y by amt to absorb
// imbalance r of group g: its own price, plus the expected price of
// rebalancing each other group of y that the change upsets, minus that of
// each upset group it settles, plus that of g itself when y absorbs only part.
func (s *searcher) score(y, g int32, amt, r int64) float64 {
	sc := s.price(y)
	for _, m := range s.x.of(y) {
		h := m >> 1
		if h == g {
			continue
		}
		e := -amt
		if m&1 == 1 {
			e = amt
		}
		before, after := abs(s.imb[h]), abs(s.imb[h]+e)
		switch {
		case after > before:
			sc += s.closing(h, y, s.imb[h]+e) * float64(after-before) / float64(abs(amt))
		case after < before:
			sc -= s.closing(h, y, s.imb[h]) * float64(before-after) / float64(abs(amt))
		}
	}
	if abs(amt) < abs(r) {
		sc += s.closing(g, y, r-amt)
	}
	return sc
}

// closing estimates the price of settling imbalance r of group h by
// members other than y: the cheapest member that can take all of r, or,
// where cells can only fall to 0, the cheapest few that together can;
// each member adds the tactic's step. The offers of a group are found once
// per choice (s.memo) and read for every candidate scored in it.
func (s *searcher) closing(h, y int32, r int64) float64 {
	key := int64(h) << 1
	if r > 0 {
		key |= 1
	}
	of, ok := s.memo[key]
	if !ok {
		of = s.offersOf(h, r)
		s.memo[key] = of
	}
	need := abs(r)
	est, sum, left := -1.0, 0.0, need
	for _, o := range of.o[:of.n] {
		if o.cell == y {
			continue
		}
		if est < 0 && o.room >= need {
			est = s.tc.step + o.price
		}
		if left > 0 {
			sum += s.tc.step + o.price
			if left -= o.room; left <= 0 && (est < 0 || sum < est) {
				est = sum
			}
		}
	}
	if est < 0 {
		return sum + 1e9 // nothing can settle it all: avoid
	}
	return est
}

// offer is a member of a group that can move one way, its price and how
// far it can move (math.MaxInt64 when it can only rise).
type offer struct {
	price float64
	room  int64
	cell  int32
}

// offers are the cheapest few of a group's offers, by price.
type offers struct {
	n int
	o [5]offer
}

// offersOf lists the cheapest members of group h that can move to settle
// an imbalance of r's sign: parts by r, the total by -r.
func (s *searcher) offersOf(h int32, r int64) offers {
	gr := &s.t.Groups[h]
	var of offers
	for j := -1; j < len(gr.Parts); j++ {
		z, want := gr.Total, -r
		if j >= 0 {
			z, want = gr.Parts[j], r
		}
		if _, ok := s.movable(z, want); !ok {
			continue
		}
		o := offer{price: s.price(z), room: math.MaxInt64, cell: z}
		if want < 0 {
			o.room = s.t.Values[z] + s.delta[z]
		}
		k := of.n
		if of.n < len(of.o) {
			of.n++
		} else if !o.before(of.o[len(of.o)-1]) {
			continue
		} else {
			k = len(of.o) - 1
		}
		for ; k > 0 && o.before(of.o[k-1]); k-- {
			of.o[k] = of.o[k-1]
		}
		of.o[k] = o
	}
	return of
}

func (o offer) before(p offer) bool {
	return o.price < p.price || (o.price == p.price && o.room > p.room)
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
