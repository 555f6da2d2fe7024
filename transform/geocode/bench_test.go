package geocode

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkPointInPolygon locates random RD points inside the Twente bbox;
// about 1 in 10 falls outside every buurt and also scans the gemeenten.
func BenchmarkPointInPolygon(b *testing.B) {
	ref := twente(b)
	g := NewGeocoder(ref)
	rng := rand.New(rand.NewPCG(1, 2))
	locs := make([]Location, 4096)
	for i := range locs {
		locs[i] = Location{X: 219000 + rng.Float64()*51000, Y: 459000 + rng.Float64()*43000, HasRD: true}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		g.Locate(&locs[i%len(locs)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lookups/s")
}

// BenchmarkPostcodeLookup looks up addresses of a 500,000-address table.
func BenchmarkPostcodeLookup(b *testing.B) {
	const n = 500_000
	rng := rand.New(rand.NewPCG(3, 4))
	t := pcTable{addr: make([]uint64, 0, n)}
	locs := make([]Location, 4096)
	for i := 0; i < n; i++ {
		pc, hn := rng.Uint32N(9000*676), 1+rng.IntN(200)
		t.addr = append(t.addr, addrKey(pc, hn)<<buurtBits|uint64(rng.IntN(500)))
		if i < len(locs) {
			locs[i] = Location{Postcode: formatPC6(pc), Huisnummer: int64(hn)}
		}
	}
	remap := make([]int, 500)
	for i := range remap {
		remap[i] = i
	}
	t.finish(remap)
	ref := &Reference{Buurten: make([]Buurt, 500), pc: t}
	g := NewGeocoder(ref)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if g.Locate(&locs[i%len(locs)]).Method != MethodPostcodeHuisnummer {
			b.Fatal("address not found")
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lookups/s")
}
