package sdc

import (
	"context"
	"fmt"
)

// Proposer builds certificates from what the table means, where Protect's
// own search sees only groups: in a table of counts of events, moving
// events from one place, period or class to another changes the cells
// that hold one of the two positions and keeps every group balanced.
type Proposer interface {
	// Propose returns changes that move cell c by d, keep every group
	// balanced and leave no cell below 0, preferring cells that st marks
	// withheld; nil when it finds none. Protect checks them before use.
	Propose(c int32, d int64, st []Status) []Change
}

// Result is a protection: the fate of every cell and its proof.
type Result struct {
	Status []Status
	Certs  Certificates
	Stats  Stats
}

// Stats count how the certificates were found.
type Stats struct {
	Searched int // by the group search
	Proposed int // by the Proposer
	Rejected int // proposals that failed the check: a Proposer bug
	Released int // dear complements published again (Options.Release)
}

// Protect withholds every cell with a value in 1..K-1 and the complements
// that keep each of them at K or more possible values for an attacker who
// knows the published cells and the relations of t (see the package
// comment). p may be nil. It fails with ErrBadTable when the groups do not
// fit the cells, with an *UnsafeError when no certificate is found for a
// small cell, and with the context's error when ctx ends. Equal input
// gives an equal Result.
func Protect(ctx context.Context, t *Table, o Options, p Proposer) (*Result, error) {
	if err := validate(t); err != nil {
		return nil, err
	}
	r := &Result{Status: make([]Status, len(t.Values))}
	return r, protect(ctx, t, o, p, r, nil)
}

// Reprotect protects t under o, a stricter threshold than prev was made
// with, keeping every cell prev withholds withheld. The cells it publishes
// are then a subset of those prev publishes, with the same values, so both
// publications together reveal no more than prev alone. prev's certificates
// stay valid and are kept.
func Reprotect(ctx context.Context, t *Table, prev *Result, o Options, p Proposer) (*Result, error) {
	if err := validate(t); err != nil {
		return nil, err
	}
	if len(prev.Status) != len(t.Values) {
		return nil, fmt.Errorf("earlier protection has %d cells, table %d: %w", len(prev.Status), len(t.Values), ErrBadTable)
	}
	r := &Result{Status: append([]Status(nil), prev.Status...)}
	r.Certs.Cell = append(r.Certs.Cell, prev.Certs.Cell...)
	r.Certs.Start = append(r.Certs.Start, prev.Certs.Start...)
	r.Certs.Changes = append(r.Certs.Changes, prev.Certs.Changes...)
	return r, protect(ctx, t, o, p, r, prev.Status)
}

// protect marks the small cells of t Primary in r and certifies each, in
// the order t lists them, then publishes again what it can (release). A
// cell withheld already keeps its status unless it is small; a cell fixed
// withholds stays withheld.
func protect(ctx context.Context, t *Table, o Options, p Proposer, r *Result, fixed []Status) error {
	if o.K < 2 {
		return nil
	}
	for i, v := range t.Values {
		if v >= 1 && v < o.K {
			r.Status[i] = Primary
		}
	}
	s := newSearcher(t, r.Status)
	top := o.K - 1 + o.Margin
	order := t.Order
	if order == nil {
		order = make([]int32, len(t.Values))
		for i := range order {
			order[i] = int32(i)
		}
	}
	for n, c := range order {
		i, v := int(c), t.Values[c]
		if v < 1 || v >= o.K {
			continue
		}
		if n%64 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		// Up first: it needs mass, and the complements it finds can take
		// the cell's own count on the way down.
		if up := top - v; up > 0 {
			if !s.certify(c, up, p, &r.Stats, false) {
				return &UnsafeError{Cell: i, Up: true}
			}
			r.Certs.add(c, s.out)
		}
		if !s.certify(c, -v, p, &r.Stats, false) {
			return &UnsafeError{Cell: i}
		}
		r.Certs.add(c, s.out)
	}
	return release(ctx, s, o, p, r, fixed)
}

// expensive is the price from which Protect asks the Proposer for a
// cheaper certificate than its search found: more than a few buurt or
// wijk cells.
const expensive = 20

// certify finds a certificate that changes cell c by d, commits it and
// leaves it in s.out. The group search goes first; a certificate that
// withholds little is taken at once. Otherwise the Proposer's is taken
// when it is cheaper, and the search's remaining tactics are the last
// resort, unless quick: release only asks, and a search that fails
// costs the most.
func (s *searcher) certify(c int32, d int64, p Proposer, st *Stats, quick bool) bool {
	tc := tactics[0]
	if quick {
		tc = releasing
	}
	found := s.greedy(c, d, tc)
	var best []Change
	price := 0.0
	if found {
		best, price = append([]Change(nil), s.out...), s.cost(s.out)
	}
	// The Proposer is asked when the search found nothing or would withhold
	// more than a few cheap cells: in sparse tables most certificates need
	// a complement, and the search's is usually as good.
	if p != nil && (!found || price >= expensive) {
		if prop := p.Propose(c, d, s.st); prop != nil {
			switch {
			case s.forbidden(prop):
				// release keeps a cell out that the Proposer does not know of
			case !s.valid(prop):
				st.Rejected++
			case !found || s.cost(prop) < price:
				s.commit(prop)
				s.out = append(s.out[:0], prop...)
				st.Proposed++
				return true
			}
		}
	}
	if !found && !quick {
		for _, tc := range tactics[1:] {
			if found = s.greedy(c, d, tc); found {
				best = append([]Change(nil), s.out...)
				break
			}
		}
	}
	if !found {
		return false
	}
	s.commit(best)
	s.out = append(s.out[:0], best...)
	st.Searched++
	return true
}

// forbidden reports whether changes touch the cell release keeps out.
func (s *searcher) forbidden(changes []Change) bool {
	for _, ch := range changes {
		if ch.Cell == s.forbid {
			return true
		}
	}
	return false
}
