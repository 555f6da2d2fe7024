package demo

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/ivz-twente/jeugd/schemas"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

type buurtInfo struct {
	code, gmCode, gmNaam string
	pts                  [][2]int64 // interior points in RD centimetres
	geom                 orb.MultiPolygon
}

type adres struct {
	pc    [6]byte
	hn    int32
	buurt int32
}

type gen struct {
	seed      uint64
	rows      int
	messy     bool
	canary    bool
	xlsxShare float64
	today     int32 // days since 1970-01-01
	start     int32 // first event day
	todayText string
	// periodFrom and periodTo are the first and last month with events
	// (YYYY-MM), the period an export declares.
	periodFrom, periodTo string

	set      *schemas.Set
	buurten  []buurtInfo
	adressen []adres

	nA, nB, nC int // population segments: jeugd, kinderen, volwassenen
	nCases     int

	canaries   []string
	canarySeen map[string]struct{}
	tokenN     [8]int // canary token counters: streets, free text, organisations

	p person // scratch

	single       string // InboxOptions.Single
	postcodeOnly bool   // InboxOptions.PostcodeOnly
}

func newGen(ref *geocode.Reference, opts InboxOptions) (*gen, error) {
	if ref == nil || len(ref.Buurten) == 0 {
		return nil, errors.New("demo inbox: reference has no buurten")
	}
	g := &gen{seed: uint64(opts.Seed), rows: opts.Rows, messy: opts.Messy, canary: opts.Canary, xlsxShare: opts.XLSXShare,
		postcodeOnly: opts.PostcodeOnly}
	if g.rows == 0 {
		g.rows = DefaultInboxRows
	}
	if g.rows < 0 || g.rows > MaxInboxRows {
		return nil, fmt.Errorf("demo inbox: rows %d outside 0..%d", g.rows, MaxInboxRows)
	}
	switch {
	case g.xlsxShare == 0:
		g.xlsxShare = 0.10
	case g.xlsxShare < 0:
		g.xlsxShare = 0
	case g.xlsxShare > 1:
		g.xlsxShare = 1
	}
	today := opts.Today
	if today.IsZero() {
		today = time.Now()
	}
	g.today = daysFromCivil(today.Year(), int(today.Month()), today.Day())
	g.start = daysFromCivil(today.Year()-3, 1, 1)
	g.todayText = string(appendDate(nil, g.today, dfDMY))
	g.periodFrom = dayTime(g.start).Format("2006-01")
	g.periodTo = dayTime(g.today - 1).Format("2006-01")
	if g.canary {
		g.canarySeen = map[string]struct{}{}
	}
	g.set = schemas.Builtin()
	if err := checkSpecs(g.set); err != nil {
		return nil, err
	}
	g.placeRegion(ref)
	g.nA = max(300, g.rows/8)
	g.nB = max(300, g.rows/6)
	g.nC = max(300, g.rows/5)
	g.nCases = max(1, int(math.Round(verdachtenShare*float64(g.rows)/1.4)))
	if opts.Single != "" {
		if g.set.Source(opts.Single) == nil {
			return nil, fmt.Errorf("demo inbox: no source %s", opts.Single)
		}
		g.single, g.xlsxShare = opts.Single, 0
		g.nCases = max(1, int(math.Round(float64(g.rows)/1.4)))
	}
	return g, nil
}

// checkSpecs checks that the built-in schemas have every source and field
// the generator writes.
func checkSpecs(set *schemas.Set) error {
	for _, sp := range specs {
		src := set.Source(sp.name)
		if src == nil {
			return fmt.Errorf("demo inbox: source %s not in the schemas", sp.name)
		}
		for _, c := range sp.cols {
			if !src.Has(slotNames[c.s]) {
				return fmt.Errorf("demo inbox: source %s has no field %s", sp.name, slotNames[c.s])
			}
		}
	}
	return nil
}

// placeRegion takes the buurten, with interior points to place events at,
// and the addresses of ref.
func (g *gen) placeRegion(ref *geocode.Reference) {
	idx := make(map[string]int32, len(ref.Buurten))
	perBuurt := 4 + g.rows/(8*len(ref.Buurten))
	perBuurt = min(perBuurt, 64)
	h := newStream(g.seed, saltBuurt, 0)
	for i, b := range ref.Buurten {
		bi := buurtInfo{code: b.Code, gmCode: b.Gemeentecode, gmNaam: b.Gemeentenaam, geom: b.Geometry}
		if len(b.Geometry) > 0 {
			bi.pts = make([][2]int64, 0, perBuurt)
			for range perBuurt {
				bi.pts = append(bi.pts, interiorPoint(&h, b))
			}
		}
		idx[b.Code] = int32(i)
		g.buurten = append(g.buurten, bi)
	}
	ref.Adressen(func(pc string, hn int, buurtcode string) bool {
		bi, ok := idx[buurtcode]
		if !ok || len(pc) != 6 {
			return true
		}
		var a adres
		copy(a.pc[:], pc)
		a.hn, a.buurt = int32(hn), bi
		g.adressen = append(g.adressen, a)
		return true
	})
}

// interiorPoint jitters the buurt's PointOnSurface inside its polygon and
// rounds to centimetres, keeping the rounded point inside.
func interiorPoint(h *stream, b geocode.Buurt) [2]int64 {
	c := geocode.PointOnSurface(b)
	bound := b.Geometry.Bound()
	r := math.Max(bound.Max[0]-bound.Min[0], bound.Max[1]-bound.Min[1]) / 2
	for try := 0; try < 12; try++ {
		p := orb.Point{c[0] + (h.float()*2-1)*r, c[1] + (h.float()*2-1)*r}
		cm := [2]int64{int64(math.Round(p[0] * 100)), int64(math.Round(p[1] * 100))}
		if planar.MultiPolygonContains(b.Geometry, orb.Point{float64(cm[0]) / 100, float64(cm[1]) / 100}) {
			return cm
		}
		r /= 1.5
	}
	return [2]int64{int64(math.Round(c[0] * 100)), int64(math.Round(c[1] * 100))}
}

// Salts separate the hash streams of different entities.
const (
	saltBuurt uint64 = iota + 1
	saltPerson
	saltCase
	saltIncident
	saltOMOnly
	saltRow
	saltFile
)
