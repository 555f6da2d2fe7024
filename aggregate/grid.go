package aggregate

import (
	"cmp"
	"slices"
	"time"

	"github.com/ivz-twente/jeugd/aggregate/sdc"
)

// gridArea is one area at one level of the region.
type gridArea struct {
	code, gm string
	parent   int32 // index at the level above; -1 for the regio
}

// gridPeriod is one complete period of one period type.
type gridPeriod struct {
	label  string
	parent int32 // index at the coarser period type; -1 for a jaar
}

// grid is the dense layout of one indicator's cells: every table of its
// plan, every area of the region at the table's level, every complete period
// in range and every class of the breakdown, zeros included. Cells are
// numbered in publishing order: level, area, period type, period,
// breakdown, class.
type grid struct {
	ip      *IndicatorPlan
	areas   *[4][]gridArea
	kids    *[4][][]int32 // per level and area: the areas below it
	periods [3][]gridPeriod
	months  [3][]int32 // per period type: the period of each month from first, -1 outside
	first   int32      // month number (year*12 + month-1) of months[.][0]
	pkids   [3][][]int32
	classes [][]string // per Uitsplitsingen index; [0] is {"totaal"}
	covered [3][]bool  // per period type and period: every source covers all its months

	uits     [4][3][]int // breakdowns of each level x period type, nil when not published
	uOff     [4][3][]int // offset of each breakdown's classes in a row, -1 when absent
	rowSize  [4][3]int
	ptOff    [4][3]int
	block    [4]int
	nivStart [4]int
	n        int
}

func newGrid(ip *IndicatorPlan, areas *[4][]gridArea, kids *[4][][]int32, from, to int32, classes [][]string) *grid {
	g := &grid{ip: ip, areas: areas, kids: kids, classes: classes, first: from}
	g.periods, g.months, g.pkids = periodsBetween(from, to)
	for pt := range 3 {
		g.covered[pt] = slices.Repeat([]bool{true}, len(g.periods[pt]))
	}
	for _, t := range ip.Tables {
		g.uits[t.Niveau][t.Periodetype] = append(g.uits[t.Niveau][t.Periodetype], t.Uitsplitsing)
	}
	for n := range 4 {
		for pt := range 3 {
			g.uOff[n][pt] = slices.Repeat([]int{-1}, len(Uitsplitsingen))
			for _, u := range g.uits[n][pt] {
				g.uOff[n][pt][u] = g.rowSize[n][pt]
				g.rowSize[n][pt] += len(classes[u])
			}
			g.ptOff[n][pt] = g.block[n]
			g.block[n] += len(g.periods[pt]) * g.rowSize[n][pt]
		}
		g.nivStart[n] = g.n
		g.n += len(areas[n]) * g.block[n]
	}
	return g
}

// id is the cell of level n, area a, period type pt, period p, breakdown u
// and class k, or -1 when the plan does not publish it.
func (g *grid) id(n int, a int32, pt int, p int32, u, k int) int {
	off := g.uOff[n][pt][u]
	if off < 0 || a < 0 || p < 0 {
		return -1
	}
	return g.nivStart[n] + int(a)*g.block[n] + g.ptOff[n][pt] + int(p)*g.rowSize[n][pt] + off + k
}

// each calls f for every cell in order with its coordinates.
func (g *grid) each(f func(id, n int, a int32, pt int, p int32, u, k int)) {
	id := 0
	for n := range 4 {
		for a := range g.areas[n] {
			for pt := range 3 {
				for p := range g.periods[pt] {
					for _, u := range g.uits[n][pt] {
						for k := range g.classes[u] {
							f(id, n, int32(a), pt, int32(p), u, k)
							id++
						}
					}
				}
			}
		}
	}
}

// periodsBetween lists the complete periods of every type within months
// [from, to), with the period of each month and the periods below each.
func periodsBetween(from, to int32) (periods [3][]gridPeriod, months [3][]int32, kids [3][][]int32) {
	span := [3]int32{12, 3, 1}
	for pt := range 3 {
		months[pt] = slices.Repeat([]int32{-1}, int(max(to-from, 0)))
		for start := (from + span[pt] - 1) / span[pt] * span[pt]; start+span[pt] <= to; start += span[pt] {
			idx := int32(len(periods[pt]))
			parent := int32(-1)
			if pt > 0 {
				parent = months[pt-1][start-from]
			}
			periods[pt] = append(periods[pt], gridPeriod{label: periodLabel(span[pt], start), parent: parent})
			for m := start; m < start+span[pt]; m++ {
				months[pt][m-from] = idx
			}
			kids[pt] = append(kids[pt], nil)
			if parent >= 0 {
				kids[pt-1][parent] = append(kids[pt-1][parent], idx)
			}
		}
	}
	return periods, months, kids
}

// period is the period of type pt holding month m, or -1.
func (g *grid) period(pt int, m int32) int32 {
	if i := m - g.first; i >= 0 && int(i) < len(g.months[pt]) {
		return g.months[pt][i]
	}
	return -1
}

// cover marks the periods not every source of ind covers, with every
// period that holds one of their months.
func (g *grid) cover(ind Indicator, d Dekking) {
	if d == nil {
		return
	}
	for i, p := range g.months[2] {
		m := g.first + int32(i)
		if p < 0 {
			continue
		}
		start := time.Date(int(m/12), time.Month(m%12+1), 1, 0, 0, 0, 0, time.UTC)
		for _, b := range ind.Bronnen {
			if !d.Covers(b, start) {
				for pt := range 3 {
					if q := g.months[pt][i]; q >= 0 {
						g.covered[pt][q] = false
					}
				}
			}
		}
	}
}

// firstCovered is the first month before to that every source of ind
// covers, looking back at most 20 years; to when there is none.
func firstCovered(ind Indicator, d Dekking, to int32) int32 {
	first := to
	for m := to - 1; m >= to-240; m-- {
		start := time.Date(int(m/12), time.Month(m%12+1), 1, 0, 0, 0, 0, time.UTC)
		all := true
		for _, b := range ind.Bronnen {
			all = all && d.Covers(b, start)
		}
		if all {
			first = m
		}
	}
	return first
}

// relations are the groups of the attacker model (SECURITY.md): the areas
// below an area add up to it, the periods below a period, the classes of a
// breakdown to the totaal. For distinct persons they are inequalities.
func (g *grid) relations() []sdc.Group {
	union := g.ip.Count == CountPersoon
	var groups []sdc.Group
	g.each(func(id, n int, a int32, pt int, p int32, u, k int) {
		if !g.covered[pt][p] {
			return // geen gegevens: not published, so in no relation
		}
		if n < 3 && g.uOff[n+1][pt][u] >= 0 {
			gr := sdc.Group{Total: int32(id), Union: union}
			for _, c := range g.kids[n][a] {
				gr.Parts = append(gr.Parts, int32(g.id(n+1, c, pt, p, u, k)))
			}
			if len(gr.Parts) > 0 {
				groups = append(groups, gr)
			}
		}
		if pt < 2 && g.uOff[n][pt+1][u] >= 0 {
			gr := sdc.Group{Total: int32(id), Union: union}
			for _, c := range g.pkids[pt][p] {
				gr.Parts = append(gr.Parts, int32(g.id(n, a, pt+1, c, u, k)))
			}
			if len(gr.Parts) > 0 {
				groups = append(groups, gr)
			}
		}
		if u == 0 {
			for _, b := range g.uits[n][pt][1:] {
				gr := sdc.Group{Total: int32(id), Union: union}
				for c := range g.classes[b] {
					gr.Parts = append(gr.Parts, int32(g.id(n, a, pt, p, b, c)))
				}
				if len(gr.Parts) > 0 {
					groups = append(groups, gr)
				}
			}
		}
	})
	return groups
}

// releaseCost is the price from which protection reconsiders a complement
// once every small cell is protected: the gemeente and regio totals per
// month and coarser.
var releaseCost = tableCost(1, 0, 0)

// tableCost is the price of withholding a cell that is not small, by table:
// regio and gemeente totals per jaar are the headline figures and are
// withheld only when nothing else protects a small cell; breakdown classes
// cost less than the total they add up to; buurt figures are the cheapest
// complements. A cell's value adds nothing: the loss that counts is the
// number of cells withheld.
func tableCost(n, pt, u int) int64 {
	if n <= 1 && pt == 0 && u == 0 {
		return 1_000_000_000 // regio and gemeente x jaar totals
	}
	base := [4]int64{100_000, 100, 8, 2}[n] // regio, gemeente, wijk, buurt
	if u > 0 {
		base /= 2
	}
	return base * [3]int64{4, 2, 1}[pt]
}

// coords are the coordinates of cell id: the inverse of g.id.
func (g *grid) coords(id int) (n int, a int32, pt int, p int32, u, k int) {
	for n = 3; n > 0 && id < g.nivStart[n]; n-- {
	}
	rem := id - g.nivStart[n]
	a, rem = int32(rem/g.block[n]), rem%g.block[n]
	for pt = 2; pt > 0 && (rem < g.ptOff[n][pt] || len(g.periods[pt])*g.rowSize[n][pt] == 0); pt-- {
	}
	rem -= g.ptOff[n][pt]
	p, rem = int32(rem/g.rowSize[n][pt]), rem%g.rowSize[n][pt]
	for _, b := range g.uits[n][pt] {
		if off := g.uOff[n][pt][b]; rem >= off && rem < off+len(g.classes[b]) {
			return n, a, pt, p, b, rem - off
		}
	}
	panic("grid: cell outside every table")
}

// order is the order in which protection visits the cells: table by
// table, coarse first, and within a table period by period, so that the
// small cells of one month in every gemeente share their complements.
func (g *grid) order() []int32 {
	type key struct {
		table     Table
		per, a, k int32
	}
	keys := make([]key, g.n)
	g.each(func(id, n int, a int32, pt int, p int32, u, k int) {
		keys[id] = key{Table{n, pt, u}, p, a, int32(k)}
	})
	out := make([]int32, g.n)
	for i := range out {
		out[i] = int32(i)
	}
	slices.SortStableFunc(out, func(x, y int32) int {
		a, b := keys[x], keys[y]
		return cmp.Or(cmp.Compare(a.table.Niveau, b.table.Niveau), cmp.Compare(a.table.Periodetype, b.table.Periodetype),
			cmp.Compare(a.table.Uitsplitsing, b.table.Uitsplitsing), cmp.Compare(a.per, b.per), cmp.Compare(a.a, b.a), cmp.Compare(a.k, b.k))
	})
	return out
}
