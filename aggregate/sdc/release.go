package sdc

import (
	"cmp"
	"context"
	"slices"
)

// release publishes again what the greedy search withheld without need.
// A certificate is found when its cell's turn comes, so it may take a
// headline total that was the only way out at the time, before later
// certificates withheld cheaper cells nearby. Every complement whose Cost
// is at least o.Release is reconsidered, dearest first: each certificate
// that changes it is searched again with the cell kept out, and if all
// are found and the complements they add cost less than the cell, they
// replace the old ones and the cell is published. Last, every complement
// that no certificate changes any more is published: nothing needs it.
// Cells fixed withholds (a previous protection) stay withheld.
func release(ctx context.Context, s *searcher, o Options, p Proposer, r *Result, fixed []Status) error {
	keep := func(c int) bool { return fixed != nil && fixed[c].Suppressed() }
	t := s.t
	if o.Release > 0 && t.Cost != nil {
		var dear []int32
		isDear := make(map[int32]bool)
		for c, st := range r.Status {
			if st == Secondary && t.Cost[c] >= o.Release && !keep(c) {
				dear = append(dear, int32(c))
				isDear[int32(c)] = true
			}
		}
		slices.SortFunc(dear, func(a, b int32) int { return cmp.Or(cmp.Compare(t.Cost[b], t.Cost[a]), cmp.Compare(a, b)) })
		rl := releaser{s: s, p: p, r: r, users: map[int32][]int{}, isDear: isDear}
		rl.index(0)
		for n, z := range dear {
			if n%16 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			rl.try(z)
		}
		rl.compact()
	}
	moved := make([]bool, len(r.Status))
	for _, ch := range r.Certs.Changes {
		moved[ch.Cell] = true
	}
	for c, st := range r.Status {
		if st == Secondary && !moved[c] && !keep(c) {
			r.Status[c] = Published
			r.Stats.Released++
		}
	}
	return nil
}

// releaser tries to publish dear complements one at a time.
type releaser struct {
	s       *searcher
	p       Proposer
	r       *Result
	users   map[int32][]int // dear cell: the certificates that change it
	isDear  map[int32]bool
	dropped []bool // per certificate: replaced
}

// index records the dear cells of certificates from..Len().
func (rl *releaser) index(from int) {
	cs := &rl.r.Certs
	for i := from; i < cs.Len(); i++ {
		_, changes := cs.At(i)
		for _, ch := range changes {
			if rl.isDear[ch.Cell] {
				rl.users[ch.Cell] = append(rl.users[ch.Cell], i)
			}
		}
		rl.dropped = append(rl.dropped, false)
	}
}

// try publishes z if every certificate that changes it can be found again
// without it, for less than z costs; otherwise it leaves everything as it
// was.
func (rl *releaser) try(z int32) {
	s, r, cs := rl.s, rl.r, &rl.r.Certs
	n, nc, stats := cs.Len(), len(cs.Changes), r.Stats
	s.forbid, s.marked = z, s.marked[:0]
	r.Status[z] = Published
	defer func() { s.forbid = -1 }()
	ok := true
	var replaced []int
	var added int64
	for _, i := range rl.users[z] {
		if rl.dropped[i] {
			continue
		}
		c, changes := cs.At(i)
		from := len(s.marked)
		if !s.certify(c, deltaOf(changes, c), rl.p, &r.Stats, true) {
			ok = false
			break
		}
		cs.add(c, s.out)
		replaced = append(replaced, i)
		for _, y := range s.marked[from:] {
			added += s.t.Cost[y]
		}
		if added >= s.t.Cost[z] {
			ok = false
			break
		}
	}
	if ok {
		for _, i := range replaced {
			rl.dropped[i] = true
		}
		rl.index(n)
		r.Stats.Released++
		return
	}
	for _, y := range s.marked {
		r.Status[y] = Published
	}
	r.Status[z] = Secondary
	cs.Cell, cs.Start, cs.Changes = cs.Cell[:n], cs.Start[:n+1], cs.Changes[:nc]
	r.Stats = stats
}

// compact drops the replaced certificates.
func (rl *releaser) compact() {
	old := rl.r.Certs
	var cs Certificates
	for i := range old.Len() {
		if !rl.dropped[i] {
			cs.add(old.At(i))
		}
	}
	rl.r.Certs = cs
}

// deltaOf is the change a certificate makes to cell c.
func deltaOf(changes []Change, c int32) int64 {
	for _, ch := range changes {
		if ch.Cell == c {
			return ch.Delta
		}
	}
	return 0
}
