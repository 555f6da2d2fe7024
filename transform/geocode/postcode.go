package geocode

import (
	"slices"
)

// pcTable is the CBS postcode-huisnummer-buurt table packed into integers:
// an address is PC6 (23 bits) | huisnummer (17 bits) | buurt index (16 bits)
// in one uint64, so the table costs 8 bytes per address (about 75 MB for the
// whole country) and sorting it orders by address. The PC6 majority table
// uses the same layout with huisnummer 0.
type pcTable struct {
	addr     []uint64 // sorted by address, one entry per address
	majority []uint64 // sorted by PC6, the buurt holding most of its addresses
}

const (
	buurtBits  = 16
	buurtMask  = 1<<buurtBits - 1
	hnBits     = 17
	maxBuurten = 1 << buurtBits
)

func addrKey(pc uint32, hn int) uint64 { return uint64(pc)<<hnBits | uint64(hn) }

// search returns the buurt of key (entry >> 16) in a sorted packed slice.
func search(s []uint64, key uint64) (int, bool) {
	lo, hi := 0, len(s)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s[m]>>buurtBits < key {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(s) && s[lo]>>buurtBits == key {
		return int(s[lo] & buurtMask), true
	}
	return 0, false
}

func (t *pcTable) lookup(pc uint32, hn int) (int, bool) {
	if hn <= 0 || hn > huisnummerMax {
		return 0, false
	}
	return search(t.addr, addrKey(pc, hn))
}

func (t *pcTable) lookupPC6(pc uint32) (int, bool) {
	return search(t.majority, uint64(pc))
}

// finish maps the load-time buurt ids to indexes into Reference.Buurten,
// sorts, drops repeated addresses (the first buurt after sorting wins) and
// computes each PC6's majority buurt; ties go to the lowest buurt code.
func (t *pcTable) finish(remap []int) {
	for i, e := range t.addr {
		t.addr[i] = e&^buurtMask | uint64(remap[e&buurtMask])
	}
	slices.Sort(t.addr)
	t.addr = slices.CompactFunc(t.addr, func(a, b uint64) bool { return a>>buurtBits == b>>buurtBits })
	t.addr = slices.Clip(t.addr)

	t.majority = t.majority[:0]
	counts := map[uint16]int{}
	for i := 0; i < len(t.addr); {
		pc := t.addr[i] >> (buurtBits + hnBits)
		clear(counts)
		j := i
		for ; j < len(t.addr) && t.addr[j]>>(buurtBits+hnBits) == pc; j++ {
			counts[uint16(t.addr[j]&buurtMask)]++
		}
		best, bestN := uint16(0), 0
		for b, n := range counts {
			if n > bestN || n == bestN && b < best {
				best, bestN = b, n
			}
		}
		t.majority = append(t.majority, pc<<buurtBits|uint64(best))
		i = j
	}
	t.majority = slices.Clip(t.majority)
}

// Adressen calls yield for every address of the postcode-huisnummer table,
// ordered by postcode and huisnummer, until yield returns false.
func (r *Reference) Adressen(yield func(pc string, huisnummer int, buurtcode string) bool) {
	var pcs string
	last := ^uint64(0)
	for _, e := range r.pc.addr {
		pc := e >> (buurtBits + hnBits)
		if pc != last {
			pcs, last = formatPC6(uint32(pc)), pc
		}
		hn := int(e >> buurtBits & (1<<hnBits - 1))
		if !yield(pcs, hn, r.Buurten[e&buurtMask].Code) {
			return
		}
	}
}
