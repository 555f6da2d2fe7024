package attacker

import (
	"errors"
	"math"
)

// The attacker's linear programs are small (a component of withheld cells)
// and asked many times (the smallest and largest value of every cell), so
// they are solved by a dense tableau simplex that finds a feasible basis
// once and then optimises each objective from a copy of it. gonum's
// lp.Simplex, which refactors the basis at every step, cross-checks it in
// the tests.

var (
	errInfeasible = errors.New("infeasible")
	errUnbounded  = errors.New("unbounded")
)

const eps = 1e-9

// feasible is a tableau [A | b] in a feasible basis of A x = b, x >= 0.
type feasible struct {
	rows  [][]float64 // each len n+1, the last entry the right-hand side
	basis []int
	n     int
}

// phaseOne finds a feasible basis by minimising the sum of one artificial
// variable per row, then drops the artificials and the rows they show to
// be redundant.
func phaseOne(A [][]float64, b []float64) (*feasible, error) {
	m := len(A)
	if m == 0 {
		return &feasible{}, nil
	}
	n := len(A[0])
	t := make([][]float64, m+1)
	for i := range m {
		row := make([]float64, n+m+1)
		sign := 1.0
		if b[i] < 0 {
			sign = -1
		}
		for j, v := range A[i] {
			row[j] = sign * v
		}
		row[n+i] = 1
		row[n+m] = sign * b[i]
		t[i] = row
	}
	obj := make([]float64, n+m+1) // reduced costs of min sum(artificials)
	for i := range m {
		for j := 0; j < n; j++ {
			obj[j] -= t[i][j]
		}
		obj[n+m] -= t[i][n+m]
	}
	t[m] = obj
	basis := make([]int, m)
	for i := range basis {
		basis[i] = n + i
	}
	if err := pivotAll(t, basis, n+m); err != nil {
		return nil, err
	}
	if -t[m][n+m] > 1e-7 {
		return nil, errInfeasible
	}
	// Drive artificials out of the basis; a row with no real column left
	// is a combination of the others.
	f := &feasible{n: n}
	for i := range m {
		if basis[i] >= n {
			j := -1
			for k := range n {
				if math.Abs(t[i][k]) > 1e-7 {
					j = k
					break
				}
			}
			if j < 0 {
				continue
			}
			pivot(t, basis, i, j)
		}
	}
	for i := range m {
		if basis[i] < n {
			row := make([]float64, n+1)
			copy(row, t[i][:n])
			row[n] = t[i][n+m]
			f.rows = append(f.rows, row)
			f.basis = append(f.basis, basis[i])
		}
	}
	return f, nil
}

// minimise returns the smallest c·x over the feasible region.
func (f *feasible) minimise(c []float64) (float64, error) {
	m := len(f.rows)
	t := make([][]float64, m+1)
	for i, r := range f.rows {
		t[i] = append([]float64(nil), r...)
	}
	obj := make([]float64, f.n+1)
	copy(obj, c)
	basis := append([]int(nil), f.basis...)
	for i, bj := range basis {
		if cb := obj[bj]; cb != 0 {
			for j := range obj {
				obj[j] -= cb * t[i][j]
			}
		}
	}
	t[m] = obj
	if err := pivotAll(t, basis, f.n); err != nil {
		return 0, err
	}
	return -t[m][f.n], nil
}

// pivotAll runs the simplex on tableau t (last row the reduced costs, last
// column the right-hand side) over the first cols columns: Dantzig's rule,
// Bland's after many steps so that degenerate tableaux cannot cycle.
func pivotAll(t [][]float64, basis []int, cols int) error {
	m := len(t) - 1
	rhs := len(t[0]) - 1
	for step := 0; ; step++ {
		bland := step > 50*(m+cols)
		if step > 5000*(m+cols) {
			return errors.New("simplex: no convergence")
		}
		enter := -1
		for j := range cols {
			if t[m][j] < -eps && (enter < 0 || (!bland && t[m][j] < t[m][enter])) {
				enter = j
				if bland {
					break
				}
			}
		}
		if enter < 0 {
			return nil
		}
		leave := -1
		best := 0.0
		for i := range m {
			if a := t[i][enter]; a > eps {
				r := t[i][rhs] / a
				if leave < 0 || r < best-eps || (r < best+eps && basis[i] < basis[leave]) {
					leave, best = i, r
				}
			}
		}
		if leave < 0 {
			return errUnbounded
		}
		pivot(t, basis, leave, enter)
	}
}

func pivot(t [][]float64, basis []int, r, c int) {
	p := t[r][c]
	for j := range t[r] {
		t[r][j] /= p
	}
	for i := range t {
		if i == r {
			continue
		}
		if f := t[i][c]; f != 0 {
			for j := range t[i] {
				t[i][j] -= f * t[r][j]
			}
		}
	}
	basis[r] = c
}
