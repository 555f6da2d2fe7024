package sdc

import (
	"math/big"
	"slices"
)

// entry is one non-zero coefficient of a sparse row; rows are sorted by col.
type entry struct {
	col int32
	v   int64
}

// limit bounds coefficients so that a*x - b*y of two of them cannot
// overflow int64; past it the component is redone with big integers.
const limit = 1 << 31

// eliminator brings equations into reduced row echelon form, fraction-free
// with gcd normalisation: every basis row has a pivot column that no other
// basis row holds. A column is fixed iff its basis row has no other entry.
// Its buffers are reused across components.
type eliminator struct {
	pivot   []int32   // col -> basis row, or -1
	basis   [][]entry // reduced rows
	colRows [][]int32 // col -> basis rows that held it once (may be stale)
	deg     []int32   // col -> equations holding it
	pivots  []int32
	cur     []entry // row being reduced
	tmp     []entry // scratch for combine
	avoid   []bool  // col -> pivot only if the row holds nothing else; nil: none
	broken  bool    // cleanup overflowed: the basis is unusable
}

// run returns the fixed columns in ascending order, or false when a
// coefficient outgrew limit.
func (e *eliminator) run(ncol int, rows [][]entry) ([]int, bool) {
	e.pivot = resize(e.pivot, ncol)
	e.deg = resize(e.deg, ncol)
	for i := range ncol {
		e.pivot[i] = -1
		e.deg[i] = 0
	}
	if cap(e.colRows) < ncol {
		e.colRows = make([][]int32, ncol)
	}
	e.colRows = e.colRows[:ncol]
	for i := range e.colRows {
		e.colRows[i] = e.colRows[i][:0]
	}
	e.basis = e.basis[:0]
	for _, r := range rows {
		for _, x := range r {
			e.deg[x.col]++
		}
	}

	for _, r := range rows {
		cur := append(e.cur[:0], r...)
		e.pivots = e.pivots[:0]
		for _, x := range cur {
			if e.pivot[x.col] >= 0 {
				e.pivots = append(e.pivots, x.col)
			}
		}
		// A basis row holds no other pivot column, so eliminating one pivot
		// brings in no new one: one pass over the original pivots suffices.
		for _, p := range e.pivots {
			var ok bool
			e.tmp, ok = combine(e.tmp[:0], cur, e.basis[e.pivot[p]], p, nil, 0)
			if !ok {
				return nil, false
			}
			cur, e.tmp = e.tmp, cur
		}
		e.cur = cur
		if len(cur) == 0 {
			continue // dependent on earlier equations
		}
		cur = slices.Clone(cur)
		q := e.choose(cur)
		id := int32(len(e.basis))
		for _, b := range e.colRows[q] {
			if _, has := at(e.basis[b], q); !has {
				continue
			}
			var ok bool
			if e.tmp, ok = combine(e.tmp[:0], e.basis[b], cur, q, e, b); !ok {
				return nil, false
			}
			e.basis[b] = append(e.basis[b][:0], e.tmp...)
		}
		e.colRows[q] = e.colRows[q][:0] // no row but this one holds q from now on
		for _, x := range cur {
			e.colRows[x.col] = append(e.colRows[x.col], id)
		}
		e.basis = append(e.basis, cur)
		e.pivot[q] = id
	}

	var fixed []int
	for col, b := range e.pivot {
		if b >= 0 && len(e.basis[b]) == 1 {
			fixed = append(fixed, col)
		}
	}
	return fixed, true
}

// choose picks the pivot of a new basis row: a column not avoided, then
// the column held by the fewest equations and basis rows (a
// Markowitz-style guess at the least fill-in), then the lowest column.
func (e *eliminator) choose(r []entry) int32 {
	best, cost := int32(-1), 0
	for _, x := range r {
		c := int(e.deg[x.col]) + len(e.colRows[x.col])
		if e.avoid != nil && e.avoid[x.col] {
			c += 1 << 40
		}
		if best < 0 || c < cost {
			best, cost = x.col, c
		}
	}
	return best
}

// combine appends to out a*x - b*y with the column p cancelled, divided by
// the gcd of its coefficients. When e is set, every column y brings into x
// is indexed as held by basis row row. It reports false when a coefficient
// reaches limit.
func combine(out, x, y []entry, p int32, e *eliminator, row int32) ([]entry, bool) {
	xp, _ := at(x, p)
	yp, _ := at(y, p)
	g := gcd(abs(xp), abs(yp))
	a, b := yp/g, xp/g
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		var col int32
		var v int64
		switch {
		case j == len(y) || (i < len(x) && x[i].col < y[j].col):
			col, v = x[i].col, a*x[i].v
			i++
		case i == len(x) || y[j].col < x[i].col:
			col, v = y[j].col, -b*y[j].v
			j++
			if e != nil && v != 0 {
				e.colRows[col] = append(e.colRows[col], row)
			}
		default:
			col, v = x[i].col, a*x[i].v-b*y[j].v
			i++
			j++
		}
		if v != 0 {
			out = append(out, entry{col, v})
		}
	}
	var d int64
	for _, z := range out {
		d = gcd(d, abs(z.v))
	}
	for k := range out {
		out[k].v /= d
		if abs(out[k].v) >= limit {
			return nil, false
		}
	}
	return out, true
}

// at returns the coefficient of col in r.
func at(r []entry, col int32) (int64, bool) {
	k, ok := slices.BinarySearchFunc(r, col, func(x entry, c int32) int { return int(x.col) - int(c) })
	if !ok {
		return 0, false
	}
	return r[k].v, true
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func abs(a int64) int64 {
	if a < 0 {
		return -a
	}
	return a
}

func resize(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}

// bigEntry is entry with an unbounded coefficient.
type bigEntry struct {
	col int32
	v   *big.Int
}

// solveBig is the same elimination in big integers, for the rare component
// whose coefficients outgrow int64. It scans all basis rows instead of
// keeping a column index: simpler, and it runs rarely.
func solveBig(ncol int, rows [][]entry) []int {
	pivot := make([]int, ncol)
	for i := range pivot {
		pivot[i] = -1
	}
	var basis [][]bigEntry
	for _, r := range rows {
		cur := make([]bigEntry, len(r))
		for k, x := range r {
			cur[k] = bigEntry{x.col, big.NewInt(x.v)}
		}
		for _, x := range slices.Clone(cur) {
			if b := pivot[x.col]; b >= 0 {
				cur = combineBig(cur, basis[b], x.col)
			}
		}
		if len(cur) == 0 {
			continue
		}
		q := cur[0].col
		for b := range basis {
			if atBig(basis[b], q) != nil {
				basis[b] = combineBig(basis[b], cur, q)
			}
		}
		pivot[q] = len(basis)
		basis = append(basis, cur)
	}
	var fixed []int
	for col, b := range pivot {
		if b >= 0 && len(basis[b]) == 1 {
			fixed = append(fixed, col)
		}
	}
	return fixed
}

func combineBig(x, y []bigEntry, p int32) []bigEntry {
	xp, yp := atBig(x, p), atBig(y, p)
	g := new(big.Int).GCD(nil, nil, new(big.Int).Abs(xp), new(big.Int).Abs(yp))
	a := new(big.Int).Quo(yp, g)
	b := new(big.Int).Quo(xp, g)
	var out []bigEntry
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		v := new(big.Int)
		var col int32
		switch {
		case j == len(y) || (i < len(x) && x[i].col < y[j].col):
			col = x[i].col
			v.Mul(a, x[i].v)
			i++
		case i == len(x) || y[j].col < x[i].col:
			col = y[j].col
			v.Mul(b, y[j].v).Neg(v)
			j++
		default:
			col = x[i].col
			v.Mul(a, x[i].v).Sub(v, new(big.Int).Mul(b, y[j].v))
			i++
			j++
		}
		if v.Sign() != 0 {
			out = append(out, bigEntry{col, v})
		}
	}
	d := new(big.Int)
	for _, z := range out {
		d.GCD(nil, nil, d, new(big.Int).Abs(z.v))
	}
	for _, z := range out {
		z.v.Quo(z.v, d)
	}
	return out
}

func atBig(r []bigEntry, col int32) *big.Int {
	for _, x := range r {
		if x.col == col {
			return x.v
		}
	}
	return nil
}
