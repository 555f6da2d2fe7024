package attacker

import (
	"errors"
	"math"
)

// LPStats says what TightenLP did.
type LPStats struct {
	Solved  int // components bounded by linear programming
	Skipped int // components with more withheld cells than allowed
	Failed  int // components the solver gave up on (numerics); their bounds stay as propagated
}

// TightenLP narrows b for the withheld cells for which want is true, by
// minimising and maximising each over the linear relaxation of its
// component: the withheld cells linked to it through relations, the
// relations as equations (distinct counts as inequalities) and every cell
// non-negative. Components of more than maxVars withheld cells are skipped.
// It returns an error only for relations that no values satisfy.
func TightenLP(cells []Cell, rels []Relation, b *Bounds, want func(int) bool, maxVars int) (LPStats, error) {
	var st LPStats
	comp := components(cells, rels)
	members := map[int][]int{}
	for i, c := range cells {
		if c.Withheld {
			members[comp[i]] = append(members[comp[i]], i)
		}
	}
	relsOf := map[int][]int{}
	for r, rel := range rels {
		if root, ok := anyWithheld(cells, comp, rel); ok {
			relsOf[root] = append(relsOf[root], r)
		}
	}
	done := map[int]bool{}
	for i, c := range cells {
		if !c.Withheld || !want(i) || done[comp[i]] {
			continue
		}
		root := comp[i]
		done[root] = true
		vars := members[root]
		if len(vars) > maxVars {
			st.Skipped++
			continue
		}
		p := buildLP(cells, rels, relsOf[root], vars)
		ok, err := p.bound(b, want)
		if err != nil {
			return st, err
		}
		if ok {
			st.Solved++
		} else {
			st.Failed++
		}
	}
	return st, nil
}

// components labels every cell with the root of its component: withheld
// cells sharing a relation are linked; published cells are their own.
func components(cells []Cell, rels []Relation) []int {
	parent := make([]int, len(cells))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for _, rel := range rels {
		first := -1
		for j := -1; j < len(rel.Parts); j++ {
			c := rel.Total
			if j >= 0 {
				c = rel.Parts[j]
			}
			if !cells[c].Withheld {
				continue
			}
			if first < 0 {
				first = c
				continue
			}
			if a, b := find(first), find(c); a != b {
				parent[a] = b
			}
		}
	}
	for i := range parent {
		parent[i] = find(i)
	}
	return parent
}

func anyWithheld(cells []Cell, comp []int, rel Relation) (int, bool) {
	if cells[rel.Total].Withheld {
		return comp[rel.Total], true
	}
	for _, p := range rel.Parts {
		if cells[p].Withheld {
			return comp[p], true
		}
	}
	return 0, false
}

// program is an LP in standard form over one component: variables are the
// component's withheld cells followed by slacks.
type program struct {
	vars []int       // cell of each of the first len(vars) columns
	rows [][]float64 // coefficients per row, all columns
	rhs  []float64
}

// buildLP writes each relation as rows over the component's cells:
// total - sum(parts) = 0 for an exact sum; sum(parts) - total - s = 0 and
// total - part - s_p = 0 for distinct counts. Published cells move to the
// right-hand side.
func buildLP(cells []Cell, rels []Relation, which []int, vars []int) *program {
	col := make(map[int]int, len(vars))
	for j, c := range vars {
		col[c] = j
	}
	type term struct {
		cell int
		coef float64
	}
	var eqs [][]term
	var slack []bool
	for _, r := range which {
		rel := rels[r]
		ts := []term{{rel.Total, 1}}
		for _, p := range rel.Parts {
			ts = append(ts, term{p, -1})
		}
		if rel.Exact {
			eqs, slack = append(eqs, ts), append(slack, false)
			continue
		}
		neg := make([]term, len(ts))
		for i, t := range ts {
			neg[i] = term{t.cell, -t.coef}
		}
		eqs, slack = append(eqs, neg), append(slack, true) // sum(parts) - total >= 0
		for _, p := range rel.Parts {
			if cells[p].Withheld || cells[rel.Total].Withheld {
				eqs, slack = append(eqs, []term{{rel.Total, 1}, {p, -1}}), append(slack, true)
			}
		}
	}
	nslack := 0
	for _, s := range slack {
		if s {
			nslack++
		}
	}
	p := &program{vars: vars}
	width, next := len(vars)+nslack, len(vars)
	for i, ts := range eqs {
		row := make([]float64, width)
		rhs := 0.0
		for _, t := range ts {
			if cells[t.cell].Withheld {
				row[col[t.cell]] += t.coef
			} else {
				rhs -= t.coef * float64(cells[t.cell].Value)
			}
		}
		if slack[i] {
			row[next] = -1
			next++
		}
		p.rows, p.rhs = append(p.rows, row), append(p.rhs, rhs)
	}
	return p
}

var errInconsistent = errors.New("attacker: the relations have no solution")

// bound solves min and max of every wanted variable and narrows b. It is
// false when the solver failed numerically.
func (p *program) bound(b *Bounds, want func(int) bool) (bool, error) {
	f, err := phaseOne(p.rows, p.rhs)
	switch {
	case errors.Is(err, errInfeasible):
		return false, errInconsistent
	case err != nil:
		return false, nil
	}
	if len(p.rows) == 0 {
		return true, nil // nothing constrains these cells beyond >= 0
	}
	c := make([]float64, len(p.rows[0]))
	for j, cell := range p.vars {
		if !want(cell) {
			continue
		}
		clear(c)
		c[j] = 1
		lo, err := f.minimise(c)
		if err != nil {
			return false, nil
		}
		c[j] = -1
		hi, err := f.minimise(c)
		switch {
		case errors.Is(err, errUnbounded):
			hi = math.Inf(1)
		case err != nil:
			return false, nil
		default:
			hi = -hi
		}
		if l := int64(math.Ceil(lo - 1e-6)); l > b.Lo[cell] {
			b.Lo[cell] = l
		}
		if !math.IsInf(hi, 1) {
			if h := int64(math.Floor(hi + 1e-6)); h < b.Hi[cell] {
				b.Hi[cell] = h
			}
		}
	}
	return true, nil
}
