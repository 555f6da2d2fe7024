package sdc

import (
	"errors"
	"fmt"
)

// ErrUnsafe marks a protection that Verify rejects.
var ErrUnsafe = errors.New("protection not proven")

// VerifyError names the cell on which a check failed and why.
type VerifyError struct {
	Cell   int
	Reason string
}

func (e *VerifyError) Error() string {
	return fmt.Sprintf("cell %d: %s", e.Cell, e.Reason)
}

func (e *VerifyError) Unwrap() error { return ErrUnsafe }

// Verify checks the guarantee of the package comment for r, trusting
// nothing but t and the certificates: every cell in 1..K-1 is withheld;
// every certificate changes withheld cells only, keeps each value
// non-negative, balances every group it touches and keeps every Union part
// at most its total; the certificates of each small cell span at least
// K-1+Margin; and every complement is changed by some certificate.
func Verify(t *Table, r *Result, o Options) error {
	if err := validate(t); err != nil {
		return err
	}
	n := len(t.Values)
	if len(r.Status) != n {
		return fmt.Errorf("%d statuses for %d cells: %w", len(r.Status), n, ErrBadTable)
	}
	small := func(v int64) bool { return o.K >= 2 && v >= 1 && v < o.K }
	for i, v := range t.Values {
		if small(v) && !r.Status[i].Suppressed() {
			return &VerifyError{i, "small count published"}
		}
	}
	v := verifier{t: t, x: newIndex(t), st: r.Status,
		delta: make([]int64, n), imb: make([]int64, len(t.Groups)), gseen: make([]bool, len(t.Groups)),
		lo: map[int32]int64{}, hi: map[int32]int64{}, moved: make([]bool, n)}
	for i := range r.Certs.Len() {
		if err := v.check(r.Certs.At(i)); err != nil {
			return err
		}
	}
	for i, val := range t.Values {
		c := int32(i)
		if small(val) {
			lo, hi := min(val, v.lo[c]), max(val, v.hi[c])
			if _, ok := v.lo[c]; !ok {
				lo, hi = val, val
			}
			if hi-lo < o.K-1+o.Margin {
				return &VerifyError{i, fmt.Sprintf("proven interval %d wide, need %d", hi-lo, o.K-1+o.Margin)}
			}
		}
		if r.Status[i] == Secondary && !v.moved[i] {
			return &VerifyError{i, "withheld complement is changed by no certificate"}
		}
	}
	return nil
}

type verifier struct {
	t      *Table
	x      index
	st     []Status
	delta  []int64
	imb    []int64
	gseen  []bool
	groups []int32
	lo, hi map[int32]int64
	moved  []bool
}

// check verifies one certificate and widens its cell's proven interval.
func (v *verifier) check(cell int32, changes []Change) error {
	defer v.reset(changes)
	for _, ch := range changes {
		if ch.Cell < 0 || int(ch.Cell) >= len(v.t.Values) {
			return fmt.Errorf("certificate of cell %d: cell index out of range: %w", cell, ErrBadTable)
		}
		if !v.st[ch.Cell].Suppressed() {
			return &VerifyError{int(ch.Cell), "certificate changes a published cell"}
		}
		v.delta[ch.Cell] += ch.Delta
		for _, m := range v.x.of(ch.Cell) {
			g := m >> 1
			if m&1 == 1 {
				v.imb[g] += ch.Delta
			} else {
				v.imb[g] -= ch.Delta
			}
			if !v.gseen[g] {
				v.gseen[g] = true
				v.groups = append(v.groups, g)
			}
		}
	}
	for _, ch := range changes {
		if v.t.Values[ch.Cell]+v.delta[ch.Cell] < 0 {
			return &VerifyError{int(ch.Cell), "certificate makes a count negative"}
		}
	}
	for _, g := range v.groups {
		gr := &v.t.Groups[g]
		if !gr.Union && v.imb[g] != 0 {
			return &VerifyError{int(gr.Total), fmt.Sprintf("certificate of cell %d unbalances group %d", cell, g)}
		}
		if gr.Union && v.imb[g] > overlap(v.t, gr) {
			return &VerifyError{int(gr.Total), fmt.Sprintf("certificate of cell %d puts the total above the sum of its parts in group %d", cell, g)}
		}
		if gr.Union && !unionHolds(v.t, gr, v.delta) {
			return &VerifyError{int(gr.Total), fmt.Sprintf("certificate of cell %d puts a part above its total in group %d", cell, g)}
		}
	}
	got := v.t.Values[cell] + v.delta[cell]
	if lo, ok := v.lo[cell]; !ok || got < lo {
		v.lo[cell] = got
	}
	if hi, ok := v.hi[cell]; !ok || got > hi {
		v.hi[cell] = got
	}
	for _, ch := range changes {
		if v.delta[ch.Cell] != 0 {
			v.moved[ch.Cell] = true
		}
	}
	return nil
}

func (v *verifier) reset(changes []Change) {
	for _, ch := range changes {
		if ch.Cell >= 0 && int(ch.Cell) < len(v.delta) {
			v.delta[ch.Cell] = 0
		}
	}
	for _, g := range v.groups {
		v.imb[g], v.gseen[g] = 0, false
	}
	v.groups = v.groups[:0]
}
