package attacker

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// The tableau simplex agrees with gonum's on random feasible programs of
// the attacker's shape: small integer coefficients, redundant rows.
func TestSimplexMatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	agreed := 0
	for trial := range 300 {
		m, n := 2+rng.IntN(6), 6+rng.IntN(8)
		x := make([]float64, n) // a known feasible point
		for j := range x {
			x[j] = float64(rng.IntN(5))
		}
		A := make([][]float64, m)
		b := make([]float64, m)
		for i := range A {
			A[i] = make([]float64, n)
			for j := range A[i] {
				A[i][j] = float64(rng.IntN(3) - 1)
			}
			for j := range x {
				b[i] += A[i][j] * x[j]
			}
		}
		A = append(A, append([]float64(nil), A[0]...)) // a redundant row
		b = append(b, b[0])
		c := make([]float64, n)
		c[rng.IntN(n)] = float64(1 - 2*rng.IntN(2))
		f, err := phaseOne(A, b)
		if err != nil {
			t.Fatalf("trial %d: phase one of a feasible program: %v", trial, err)
		}
		got, err := f.minimise(c)
		rows, rhs, ok := independent(A, b)
		if !ok {
			t.Fatalf("trial %d: independent says inconsistent", trial)
		}
		dense := mat.NewDense(len(rows), n, nil)
		for i, r := range rows {
			dense.SetRow(i, r)
		}
		want, _, gerr := lp.Simplex(c, dense, rhs, 1e-10, nil)
		switch {
		case errors.Is(gerr, lp.ErrUnbounded):
			if !errors.Is(err, errUnbounded) {
				t.Errorf("trial %d: gonum unbounded, got %v %v", trial, got, err)
			}
		case gerr != nil:
			continue // gonum's numerics gave up; nothing to compare
		case err != nil:
			t.Errorf("trial %d: %v, gonum %v", trial, err, want)
		case math.Abs(got-want) > 1e-6:
			t.Errorf("trial %d: min %v, gonum %v", trial, got, want)
		default:
			agreed++
		}
	}
	if agreed < 150 {
		t.Errorf("only %d programs compared", agreed)
	}
}

// independent drops rows that are combinations of others, as gonum needs
// full row rank, by Gaussian elimination with partial pivoting. It is false
// when a dropped row contradicts the others.
func independent(rows [][]float64, rhs []float64) ([][]float64, []float64, bool) {
	n := len(rows[0])
	a := make([][]float64, len(rows))
	r := append([]float64(nil), rhs...)
	for i, row := range rows {
		a[i] = append([]float64(nil), row...)
	}
	rank := 0
	for col := 0; col < n && rank < len(a); col++ {
		piv, best := -1, 1e-9
		for i := rank; i < len(a); i++ {
			if v := math.Abs(a[i][col]); v > best {
				piv, best = i, v
			}
		}
		if piv < 0 {
			continue
		}
		a[rank], a[piv] = a[piv], a[rank]
		r[rank], r[piv] = r[piv], r[rank]
		for i := rank + 1; i < len(a); i++ {
			f := a[i][col] / a[rank][col]
			for k := col; k < n; k++ {
				a[i][k] -= f * a[rank][k]
			}
			r[i] -= f * r[rank]
		}
		rank++
	}
	for i := rank; i < len(a); i++ {
		if math.Abs(r[i]) > 1e-6 {
			return nil, nil, false
		}
	}
	return a[:rank], r[:rank], true
}
