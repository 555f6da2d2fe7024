// Package attacker is the outside analyst of SECURITY.md's attacker model,
// for tests only: given what a publication shows (a value or "withheld" per
// cell) and the relations every analyst knows (a total is the sum of its
// parts, or for distinct persons at most that sum and at least each part),
// it bounds every withheld cell by interval propagation and then by linear
// programming. It is written apart from the protection code and shares
// nothing with it, so that it can be its oracle.
package attacker

import (
	"math"
)

// Inf is the upper bound of a cell nothing bounds.
const Inf = math.MaxInt64 / 4

// Cell is what the publication shows of one cell.
type Cell struct {
	Withheld bool
	Value    int64 // the published value; ignored when Withheld
}

// Relation is what an analyst knows between a total and its parts.
type Relation struct {
	Total int
	Parts []int
	// Exact: the total is the sum of the parts. Otherwise (distinct counts)
	// the total is at most the sum and at least each part.
	Exact bool
}

// Bounds are the smallest and largest value each cell can have; Hi is Inf
// when unbounded. For a published cell both are its value.
type Bounds struct {
	Lo, Hi []int64
}

// Propagate tightens the bounds of every withheld cell from [0, Inf) by
// applying each relation until nothing changes. Inconsistent reports a
// relation that no values satisfy (then the bounds are meaningless).
func Propagate(cells []Cell, rels []Relation) (b Bounds, inconsistent bool) {
	n := len(cells)
	b = Bounds{Lo: make([]int64, n), Hi: make([]int64, n)}
	for i, c := range cells {
		if c.Withheld {
			b.Hi[i] = Inf
		} else {
			b.Lo[i], b.Hi[i] = c.Value, c.Value
		}
	}
	of := make([][]int32, n)
	for r, rel := range rels {
		of[rel.Total] = append(of[rel.Total], int32(r))
		for _, p := range rel.Parts {
			of[p] = append(of[p], int32(r))
		}
	}
	queued := make([]bool, len(rels))
	queue := make([]int32, 0, len(rels))
	for r := range rels {
		queued[r] = true
		queue = append(queue, int32(r))
	}
	changed := make([]int, 0, 16)
	for head := 0; head < len(queue); head++ {
		r := queue[head]
		queued[r] = false
		changed = changed[:0]
		if !tighten(&b, &rels[r], &changed) {
			return b, true
		}
		for _, c := range changed {
			for _, s := range of[c] {
				if !queued[s] {
					queued[s] = true
					queue = append(queue, s)
				}
			}
		}
		if head > 200*len(rels)+1<<20 { // converging slowly: what holds so far is sound
			break
		}
	}
	return b, false
}

// tighten applies one relation to the bounds, appending the cells whose
// bounds changed. It is false when the relation has no solution.
func tighten(b *Bounds, rel *Relation, changed *[]int) bool {
	var sumLo, sumHi int64
	infHi := 0
	var maxLo int64
	for _, p := range rel.Parts {
		sumLo = add(sumLo, b.Lo[p])
		if b.Hi[p] >= Inf {
			infHi++
		} else {
			sumHi = add(sumHi, b.Hi[p])
		}
		maxLo = max(maxLo, b.Lo[p])
	}
	t := rel.Total
	set := func(c int, lo, hi int64) bool {
		if lo > b.Lo[c] || hi < b.Hi[c] {
			b.Lo[c], b.Hi[c] = max(lo, b.Lo[c]), min(hi, b.Hi[c])
			*changed = append(*changed, c)
		}
		return b.Lo[c] <= b.Hi[c]
	}
	// The total: at most the sum of the parts; for an exact sum at least it,
	// for distinct counts at least the largest part.
	hiT := int64(Inf)
	if infHi == 0 {
		hiT = sumHi
	}
	loT := maxLo
	if rel.Exact {
		loT = sumLo
	}
	if !set(t, loT, hiT) {
		return false
	}
	for _, p := range rel.Parts {
		// Whatever the other parts cannot hold is this part's at least.
		othersHi := int64(Inf)
		if infHi == 0 || (infHi == 1 && b.Hi[p] >= Inf) {
			othersHi = sumHi
			if b.Hi[p] < Inf {
				othersHi -= b.Hi[p]
			}
		}
		lo := int64(0)
		if othersHi < Inf {
			lo = b.Lo[t] - othersHi
		}
		hi := b.Hi[t] // every part is at most the total
		if rel.Exact && b.Hi[t] < Inf {
			hi = b.Hi[t] - (sumLo - b.Lo[p])
		}
		if !set(p, lo, hi) {
			return false
		}
	}
	return true
}

// add is saturating addition at Inf.
func add(a, b int64) int64 {
	if a >= Inf || b >= Inf || a+b >= Inf {
		return Inf
	}
	return a + b
}
