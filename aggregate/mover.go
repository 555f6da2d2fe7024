package aggregate

import (
	"cmp"
	"slices"

	"github.com/ivz-twente/jeugd/aggregate/sdc"
)

// A mover builds certificates (sdc.Proposer) from what the cells count:
// units at positions, a position being a buurt, a month and a class in
// every breakdown. Moving units from position p to q raises every cell
// that holds q and not p and lowers every cell that holds p and not q, and
// keeps every relation of the grid balanced, since each relation adds up
// the cells below a cell in one dimension. A certificate for cell c is a
// few such moves: into or out of c from a sibling area, period or class
// (two cells per table finer than c change), a rectangle of two moves that
// cancel at every table coarse in either dimension (c, two siblings and the
// corner), or, as a last resort, units added at or removed from one
// position. The coordinates below c's are chosen top down, cheapest first.
type mover struct {
	g      *grid
	values []int64
	cost   []int64
	st     []sdc.Status
	delta  []int64 // the certificate being built
	dirty  []int32 // cells with a delta
	slot   []int32 // per cell: its index+1 in coefs while evaluate runs
	coefs  []cellCoef
	nu     int // breakdowns besides totaal
}

// Dimensions of a position: area, time, then one per breakdown.
const (
	dimArea = 0
	dimTime = 1
)

// node is a node of one dimension's tree: area level 0..3, period type
// 0..2 (a maand is a leaf), class level 0 (totaal) or 1.
type node struct {
	level int
	idx   int32
}

// slot is a coordinate that corners share: a node that descends to a leaf.
type slot struct {
	dim  int
	node node
}

// corner is one position of a template with its sign: units move to the
// positive corners from the negative ones.
type corner struct {
	sign  int64
	slots []int // per dimension: index into the template's slots
}

type template struct {
	slots   []slot
	corners []corner
}

func newMover(g *grid, values, cost []int64) *mover {
	return &mover{g: g, values: values, cost: cost, delta: make([]int64, g.n), slot: make([]int32, g.n), nu: len(g.classes) - 1}
}

func (m *mover) dims() int { return 2 + m.nu }

func (m *mover) leafLevel(dim int) int {
	switch dim {
	case dimArea:
		return 3
	case dimTime:
		return 2
	}
	return 1
}

func (m *mover) children(dim int, n node) []int32 {
	g := m.g
	switch dim {
	case dimArea:
		return g.kids[n.level][n.idx]
	case dimTime:
		return g.pkids[n.level][n.idx]
	}
	all := make([]int32, len(g.classes[dim-1]))
	for i := range all {
		all[i] = int32(i)
	}
	return all
}

// up returns the ancestor of n at level l, or idx -1 when there is none
// (a period whose coarser period is not complete).
func (m *mover) up(dim int, n node, l int) int32 {
	idx := n.idx
	for lv := n.level; lv > l && idx >= 0; lv-- {
		switch dim {
		case dimArea:
			idx = m.g.areas[lv][idx].parent
		case dimTime:
			idx = m.g.periods[lv][idx].parent
		default:
			idx = 0 // the totaal
		}
	}
	return idx
}

// siblings are the other children of n's parent in dimension dim.
func (m *mover) siblings(dim int, n node) []int32 {
	if n.level == 0 {
		return nil
	}
	var parent []int32
	switch dim {
	case dimArea:
		parent = m.g.kids[n.level-1][m.g.areas[n.level][n.idx].parent]
	case dimTime:
		p := m.g.periods[n.level][n.idx].parent
		if p < 0 {
			return nil
		}
		parent = m.g.pkids[n.level-1][p]
	default:
		parent = m.children(dim, node{})
	}
	out := make([]int32, 0, len(parent))
	for _, s := range parent {
		if s != n.idx {
			out = append(out, s)
		}
	}
	return out
}

// at is the node of cell c in each dimension.
func (m *mover) at(c int32) []node {
	n, a, pt, per, u, k := m.g.coords(int(c))
	nodes := make([]node, m.dims())
	nodes[dimArea] = node{n, a}
	nodes[dimTime] = node{pt, per}
	for b := 1; b <= m.nu; b++ {
		if b == u {
			nodes[1+b] = node{1, int32(k)}
		}
	}
	return nodes
}

// Propose implements sdc.Proposer: pieces of the cheapest templates until
// cell c has moved by d.
func (m *mover) Propose(c int32, d int64, st []sdc.Status) []sdc.Change {
	m.st = st
	defer m.reset()
	dir := int64(1)
	if d < 0 {
		dir = -1
	}
	left := d * dir
	for piece := 0; left > 0 && piece < 16; piece++ {
		best, bestCost, bestAmt := []cellCoef(nil), 0.0, int64(0)
		for _, tp := range m.templates(c, dir) {
			coefs, cost, room, ok := m.descend(tp, c, dir)
			if !ok {
				continue
			}
			amt := min(left, room)
			if best == nil || cost < bestCost || (cost == bestCost && amt > bestAmt) {
				best, bestCost, bestAmt = coefs, cost, amt
			}
			if cost == 0 && amt == left {
				break
			}
		}
		if best == nil {
			return nil
		}
		for _, cc := range best {
			m.change(cc.cell, cc.coef*dir*bestAmt)
		}
		left -= bestAmt
	}
	if left > 0 {
		return nil
	}
	out := make([]sdc.Change, 0, len(m.dirty))
	for _, y := range m.dirty {
		if m.delta[y] != 0 {
			out = append(out, sdc.Change{Cell: y, Delta: m.delta[y]})
		}
	}
	slices.SortFunc(out, func(a, b sdc.Change) int { return cmp.Compare(a.Cell, b.Cell) })
	return out
}

func (m *mover) change(y int32, d int64) {
	if m.delta[y] == 0 && !slices.Contains(m.dirty, y) {
		m.dirty = append(m.dirty, y)
	}
	m.delta[y] += d
}

func (m *mover) reset() {
	for _, y := range m.dirty {
		m.delta[y] = 0
	}
	m.dirty = m.dirty[:0]
}

// movers is how many siblings per dimension a template tries, the best
// first: siblings withheld already, then those with the most room.
const movers = 6

// templates lists the moves that can change cell c in direction dir:
// single moves along each dimension from a sibling of c or of one of its
// ancestors, rectangles over two dimensions, and units added at or removed
// from one position in c.
func (m *mover) templates(c int32, dir int64) []template {
	at := m.at(c)
	nd := m.dims()
	var sibs [][]node
	for dim := range nd {
		sibs = append(sibs, m.rank(c, dim, at, dir, movers))
	}
	inside := func(tp *template) []int {
		ix := make([]int, nd)
		for dim := range nd {
			ix[dim] = len(tp.slots)
			tp.slots = append(tp.slots, slot{dim, at[dim]})
		}
		return ix
	}
	var out []template
	for dim := range nd {
		for _, s := range sibs[dim] {
			var tp template
			q := inside(&tp)
			p := slices.Clone(q)
			p[dim] = len(tp.slots)
			tp.slots = append(tp.slots, slot{dim, s})
			tp.corners = []corner{{1, q}, {-1, p}}
			out = append(out, tp)
		}
	}
	for d1 := range nd {
		for d2 := d1 + 1; d2 < nd; d2++ {
			for _, s1 := range sibs[d1][:min(len(sibs[d1]), movers/2+1)] {
				for _, s2 := range sibs[d2][:min(len(sibs[d2]), movers/2+1)] {
					out = append(out, m.rectangle(at, d1, s1, d2, s2))
				}
			}
		}
	}
	var tp template
	tp.corners = []corner{{1, inside(&tp)}}
	return append(out, tp)
}

// rectangle moves units into c from its sibling s1 in dimension d1 and
// from the sibling s2 in dimension d2 to the corner (s1, s2): at every
// table coarse in d1 or in d2 the two moves cancel.
func (m *mover) rectangle(at []node, d1 int, s1 node, d2 int, s2 node) template {
	var tp template
	nd := m.dims()
	add := func(dim int, n node) int {
		tp.slots = append(tp.slots, slot{dim, n})
		return len(tp.slots) - 1
	}
	f1c, f1s := add(d1, at[d1]), add(d1, s1)
	f2c, f2s := add(d2, at[d2]), add(d2, s2)
	x, x2 := make([]int, nd), make([]int, nd)
	for dim := range nd {
		if dim != d1 && dim != d2 {
			x[dim], x2[dim] = add(dim, at[dim]), add(dim, at[dim])
		}
	}
	at2 := func(sign int64, a1, a2 int, rest []int) corner {
		s := slices.Clone(rest)
		s[d1], s[d2] = a1, a2
		return corner{sign, s}
	}
	tp.corners = []corner{
		at2(1, f1c, f2c, x), at2(-1, f1s, f2c, x),
		at2(-1, f1c, f2s, x2), at2(1, f1s, f2s, x2),
	}
	return tp
}

// rank lists, per level from c's up, the siblings of c's node in
// dimension dim (a cousin at a coarser level moves units across a wider
// part of the table), the best limit per level first: withheld, then with
// room to give units when they must, then by index.
func (m *mover) rank(c int32, dim int, at []node, dir int64, limit int) []node {
	type cand struct {
		s     node
		price int64
		room  int64
	}
	n, a, pt, per, u, k := m.g.coords(int(c))
	var out []node
	for level := at[dim].level; level >= 1; level-- {
		anc := node{level, m.up(dim, at[dim], level)}
		if anc.idx < 0 {
			break
		}
		var cands []cand
		for _, s := range nearest(m.siblings(dim, anc), anc.idx, window) {
			nn, na, npt, nper, nk := n, a, pt, per, k
			switch dim {
			case dimArea:
				nn, na = level, s
			case dimTime:
				npt, nper = level, s
			default:
				nk = int(s)
			}
			cd := cand{s: node{level, s}}
			if id := m.g.id(nn, na, npt, nper, u, nk); id >= 0 {
				cd.price, cd.room = m.price(int32(id)), m.values[id]+m.delta[id]
				if dir > 0 && cd.room <= 0 {
					continue // must give units it does not have
				}
			}
			cands = append(cands, cd)
		}
		slices.SortFunc(cands, func(x, y cand) int {
			return cmp.Or(cmp.Compare(x.price, y.price), cmp.Compare(y.room, x.room), cmp.Compare(x.s.idx, y.s.idx))
		})
		for _, cd := range cands[:min(limit, len(cands))] {
			out = append(out, cd.s)
		}
	}
	return out
}

// window bounds the siblings rank weighs per level: the gemeenten of a
// country are hundreds, and weighing them all for every certificate made
// protection grow with the square of the region.
const window = 32

// nearest returns at most n of sibs, a run of those nearest to idx in
// the order of the reference (sibs are in that order).
func nearest(sibs []int32, idx int32, n int) []int32 {
	if len(sibs) <= n {
		return sibs
	}
	i, _ := slices.BinarySearch(sibs, idx)
	start := min(max(i-n/2, 0), len(sibs)-n)
	return sibs[start : start+n]
}

func (m *mover) price(y int32) int64 {
	if m.st[y].Suppressed() || m.delta[y] != 0 {
		return 0
	}
	return m.cost[y]
}

// cellCoef is a cell and how many units of a move it gains (negative:
// loses).
type cellCoef struct {
	cell int32
	coef int64
}

// descend moves every slot of tp down to a leaf, one level at a time and
// coarsest first, choosing the child that withholds least, and returns the
// cells the template changes per unit, the price, and how many units it can
// move before a cell would go below 0.
func (m *mover) descend(tp template, c int32, dir int64) ([]cellCoef, float64, int64, bool) {
	slots := slices.Clone(tp.slots)
	for {
		next := -1
		for i, s := range slots {
			if s.node.level < m.leafLevel(s.dim) && (next < 0 || s.node.level < slots[next].node.level) {
				next = i
			}
		}
		if next < 0 {
			break
		}
		var (
			best      int32 = -1
			bestPrice float64
			bestRoom  int64
		)
		cur := slots[next].node
		for _, child := range m.children(slots[next].dim, cur) {
			slots[next].node = node{cur.level + 1, child}
			_, p, room, ok := m.evaluate(slots, tp.corners, c, dir)
			if ok && (best < 0 || p < bestPrice || (p == bestPrice && room > bestRoom)) {
				best, bestPrice, bestRoom = child, p, room
			}
		}
		if best < 0 {
			return nil, 0, 0, false
		}
		slots[next].node = node{cur.level + 1, best}
	}
	return m.evaluate(slots, tp.corners, c, dir)
}

// evaluate sums the corners' cells at every table whose coordinates the
// slots fix, and prices the cells that change: nothing for c, withheld
// cells and cells the certificate changes already.
func (m *mover) evaluate(slots []slot, corners []corner, c int32, dir int64) ([]cellCoef, float64, int64, bool) {
	coefs := m.coefs[:0]
	defer func() {
		for _, x := range coefs {
			m.slot[x.cell] = 0
		}
	}()
	for _, cn := range corners {
		for _, t := range m.g.ip.Tables {
			id := m.cellAt(slots, cn, t)
			if id == uncovered {
				return nil, 0, 0, false // a move may not reach a period without figures
			}
			if id < 0 {
				continue
			}
			i := m.slot[id] - 1 // m.slot holds index+1 into coefs
			if i < 0 {
				coefs = append(coefs, cellCoef{cell: id})
				i = int32(len(coefs) - 1)
				m.slot[id] = i + 1
			}
			coefs[i].coef += cn.sign
		}
	}
	m.coefs = coefs
	price, room := 0.0, int64(1<<62)
	var out []cellCoef
	for _, x := range coefs {
		if x.coef == 0 {
			continue
		}
		out = append(out, x)
		if x.cell != c {
			price += float64(m.price(x.cell)) + 0.01
		}
		if x.coef*dir < 0 {
			room = min(room, (m.values[x.cell]+m.delta[x.cell])/(-x.coef*dir))
		}
	}
	return out, price, room, room >= 1
}

// cellAt is the cell of table t that holds corner cn, or -1 when the slots
// do not fix it yet or the table has no such cell.
func (m *mover) cellAt(slots []slot, cn corner, t Table) int32 {
	an, tn := slots[cn.slots[dimArea]].node, slots[cn.slots[dimTime]].node
	if an.level < t.Niveau || tn.level < t.Periodetype {
		return -1
	}
	a := m.up(dimArea, an, t.Niveau)
	p := m.up(dimTime, tn, t.Periodetype)
	k := 0
	if t.Uitsplitsing > 0 {
		cl := slots[cn.slots[1+t.Uitsplitsing]].node
		if cl.level < 1 {
			return -1
		}
		k = int(cl.idx)
	}
	if a < 0 || p < 0 {
		return -1
	}
	if !m.g.covered[t.Periodetype][p] {
		return uncovered
	}
	return int32(m.g.id(t.Niveau, a, t.Periodetype, p, t.Uitsplitsing, k))
}

// uncovered is what cellAt says of a cell of a period without figures.
const uncovered = -2
