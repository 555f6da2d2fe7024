package sdc

import "math"

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
