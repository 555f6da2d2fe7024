package sdc

import (
	"math/big"
)

// shape describes a generated hierarchical count table: an area tree
// (regio -> gemeenten -> wijken -> buurten, each wijk with an onbekend buurt
// when Onbekend is set), months -> quarters -> year, and breakdown classes
// -> totaal. Every combination of area, period and class is one cell.
type shape struct {
	Wijken   [][]int // per gemeente, buurten per wijk (onbekend not counted)
	Onbekend bool
	Quarters int // 0: a single period, no period groups
	Months   int // per quarter
	Classes  int // breakdown classes besides totaal; 0: no breakdown groups
}

// area is a node of the area tree; leaves are buurten.
type area struct{ children []int }

// build returns the table for sh with base counts from base(buurt, month,
// class), summed up every hierarchy so that all groups add up exactly.
func build(sh shape, base func() int64) *Table {
	// Areas: 0 is the regio, then gemeenten, wijken, buurten in tree order.
	areas := []area{{}}
	for _, wijken := range sh.Wijken {
		gem := len(areas)
		areas = append(areas, area{})
		areas[0].children = append(areas[0].children, gem)
		for _, nb := range wijken {
			w := len(areas)
			areas = append(areas, area{})
			areas[gem].children = append(areas[gem].children, w)
			if sh.Onbekend {
				nb++
			}
			for range nb {
				areas[w].children = append(areas[w].children, len(areas))
				areas = append(areas, area{})
			}
		}
	}

	// Periods: months first, then quarters, then the year.
	var months, quarters []int
	var periodGroups [][2][]int // total period(s) is [0][0], parts [1]
	np := 1
	if sh.Quarters > 0 {
		nm := sh.Quarters * sh.Months
		np = nm + sh.Quarters + 1
		for m := range nm {
			months = append(months, m)
		}
		for q := range sh.Quarters {
			quarters = append(quarters, nm+q)
			var parts []int
			for m := range sh.Months {
				parts = append(parts, q*sh.Months+m)
			}
			periodGroups = append(periodGroups, [2][]int{{nm + q}, parts})
		}
		periodGroups = append(periodGroups, [2][]int{{np - 1}, quarters})
	} else {
		months = []int{0}
	}
	nc := sh.Classes + 1 // class sh.Classes is totaal
	classes := make([]int, sh.Classes)
	for c := range classes {
		classes[c] = c
	}
	if sh.Classes == 0 {
		classes = []int{0}
	}
	cell := func(a, p, c int) int { return (a*np+p)*nc + c }

	t := &Table{Values: make([]int64, len(areas)*np*nc)}
	// Base cells, then sums: classes, periods (months before quarters before
	// the year), areas (children have higher numbers than parents).
	for a := len(areas) - 1; a >= 0; a-- {
		for _, m := range months {
			for _, c := range classes {
				if len(areas[a].children) == 0 {
					t.Values[cell(a, m, c)] = base()
				}
			}
		}
	}
	for a := len(areas) - 1; a >= 0; a-- {
		for p := range np {
			for c := range nc {
				for _, ch := range areas[a].children {
					t.Values[cell(a, p, c)] += t.Values[cell(ch, p, c)]
				}
			}
		}
		if len(areas[a].children) > 0 {
			continue
		}
		for _, m := range months {
			if sh.Classes > 0 {
				for _, c := range classes {
					t.Values[cell(a, m, nc-1)] += t.Values[cell(a, m, c)]
				}
			}
		}
		for _, pg := range periodGroups {
			for c := range nc {
				for _, p := range pg[1] {
					t.Values[cell(a, pg[0][0], c)] += t.Values[cell(a, p, c)]
				}
			}
		}
	}

	for a := range areas {
		for p := range np {
			for c := range nc {
				if len(areas[a].children) > 0 {
					g := Group{Total: cell(a, p, c)}
					for _, ch := range areas[a].children {
						g.Parts = append(g.Parts, cell(ch, p, c))
					}
					t.Groups = append(t.Groups, g)
				}
			}
			if sh.Classes > 0 {
				g := Group{Total: cell(a, p, nc-1)}
				for _, c := range classes {
					g.Parts = append(g.Parts, cell(a, p, c))
				}
				t.Groups = append(t.Groups, g)
			}
		}
		for _, pg := range periodGroups {
			for c := range nc {
				g := Group{Total: cell(a, pg[0][0], c)}
				for _, p := range pg[1] {
					g.Parts = append(g.Parts, cell(a, p, c))
				}
				t.Groups = append(t.Groups, g)
			}
		}
	}
	return t
}

// consistent reports whether every group of t adds up.
func consistent(t *Table) bool {
	for _, g := range t.Groups {
		var sum int64
		for _, c := range g.Parts {
			sum += t.Values[c]
		}
		if sum != t.Values[g.Total] {
			return false
		}
	}
	return true
}

// oracleAudit is a dense rational reduced row echelon form over all
// suppressed cells at once, written independently of Audit to check it.
func oracleAudit(t *Table, st []Status) []int {
	var cells []int
	col := map[int]int{}
	for c, s := range st {
		if s.Suppressed() {
			col[c] = len(cells)
			cells = append(cells, c)
		}
	}
	var m [][]*big.Rat
	for _, g := range t.Groups {
		row := make([]*big.Rat, len(cells))
		for i := range row {
			row[i] = new(big.Rat)
		}
		has := false
		if j, ok := col[g.Total]; ok {
			row[j].SetInt64(-1)
			has = true
		}
		for _, c := range g.Parts {
			if j, ok := col[c]; ok {
				row[j].Add(row[j], big.NewRat(1, 1))
				has = true
			}
		}
		if has {
			m = append(m, row)
		}
	}
	r := 0
	var pivots []int
	for j := 0; j < len(cells) && r < len(m); j++ {
		p := -1
		for i := r; i < len(m); i++ {
			if m[i][j].Sign() != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		m[r], m[p] = m[p], m[r]
		inv := new(big.Rat).Inv(m[r][j])
		for x := range m[r] {
			m[r][x].Mul(m[r][x], inv)
		}
		for i := range m {
			if i == r || m[i][j].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Set(m[i][j])
			for x := range m[i] {
				m[i][x].Sub(m[i][x], new(big.Rat).Mul(f, m[r][x]))
			}
		}
		pivots = append(pivots, j)
		r++
	}
	var out []int
	for i, j := range pivots {
		nz := 0
		for x := range m[i] {
			if m[i][x].Sign() != 0 {
				nz++
			}
		}
		if nz == 1 {
			out = append(out, cells[j])
		}
	}
	return out
}
