package geocode

import (
	"math"

	"github.com/paulmach/orb"
)

// Geocoder resolves Locations against a Reference. It is safe for concurrent
// use and built once per run (spatial index, postcode table).
type Geocoder struct {
	ref      *Reference
	results  []Result // per buurt, without Method
	buurten  grid     // polygons of the buurten
	gemeente grid     // polygons of the gemeenten, for points between buurten
}

// polygon is one part of a (multi)polygon with its bounding box, so most
// candidates are rejected without touching a vertex.
type polygon struct {
	owner int32 // index in Reference.Buurten or Reference.Gemeenten
	bound orb.Bound
	poly  orb.Polygon
}

// grid is a uniform grid over the polygons' bounding box. Cell c lists the
// polygons whose bounding box overlaps it in items[start[c]:start[c+1]].
type grid struct {
	polys      []polygon
	minX, minY float64
	cell       float64
	nx, ny     int
	start      []int32
	items      []int32
}

// NewGeocoder builds the indexes.
func NewGeocoder(ref *Reference) *Geocoder {
	g := &Geocoder{ref: ref, results: make([]Result, len(ref.Buurten))}
	var polys []polygon
	for i, b := range ref.Buurten {
		g.results[i] = Result{Gemeentecode: b.Gemeentecode, Wijkcode: b.Wijkcode, Buurtcode: b.Code}
		polys = appendPolygons(polys, int32(i), b.Geometry)
	}
	g.buurten = newGrid(polys)
	polys = nil
	for i, gm := range ref.Gemeenten {
		polys = appendPolygons(polys, int32(i), gm.Geometry)
	}
	g.gemeente = newGrid(polys)
	return g
}

func appendPolygons(dst []polygon, owner int32, mp orb.MultiPolygon) []polygon {
	for _, p := range mp {
		if len(p) == 0 || len(p[0]) < 4 {
			continue
		}
		dst = append(dst, polygon{owner: owner, bound: p.Bound(), poly: p})
	}
	return dst
}

// cellsPerPolygon sets the grid resolution: about four cells per polygon
// keeps candidate lists short without a large index.
const cellsPerPolygon = 4

func newGrid(polys []polygon) grid {
	g := grid{polys: polys}
	if len(polys) == 0 {
		return g
	}
	b := polys[0].bound
	for _, p := range polys[1:] {
		b = b.Union(p.bound)
	}
	w, h := max(b.Max[0]-b.Min[0], 1), max(b.Max[1]-b.Min[1], 1)
	g.cell = math.Sqrt(w * h / float64(cellsPerPolygon*len(polys)))
	g.minX, g.minY = b.Min[0], b.Min[1]
	g.nx, g.ny = int(w/g.cell)+1, int(h/g.cell)+1
	counts := make([]int32, g.nx*g.ny+1)
	each := func(p polygon, fn func(c int)) {
		x0, y0 := g.cellOf(p.bound.Min[0], p.bound.Min[1])
		x1, y1 := g.cellOf(p.bound.Max[0], p.bound.Max[1])
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				fn(y*g.nx + x)
			}
		}
	}
	for _, p := range polys {
		each(p, func(c int) { counts[c+1]++ })
	}
	for c := 1; c < len(counts); c++ {
		counts[c] += counts[c-1]
	}
	g.start = counts
	g.items = make([]int32, counts[len(counts)-1])
	fill := make([]int32, g.nx*g.ny)
	copy(fill, counts)
	for i, p := range polys {
		each(p, func(c int) {
			g.items[fill[c]] = int32(i)
			fill[c]++
		})
	}
	return g
}

// cellOf clamps, so bounding boxes on the grid's edge stay inside it.
func (g *grid) cellOf(x, y float64) (int, int) {
	cx := min(max(int((x-g.minX)/g.cell), 0), g.nx-1)
	cy := min(max(int((y-g.minY)/g.cell), 0), g.ny-1)
	return cx, cy
}

// locate returns the owner of the first polygon holding (x, y), or -1.
// Polygons are listed in owner order, so a point on a shared boundary goes
// to the lowest code, the same on every run.
func (g *grid) locate(x, y float64) int {
	if len(g.polys) == 0 || x < g.minX || y < g.minY ||
		x > g.minX+float64(g.nx)*g.cell || y > g.minY+float64(g.ny)*g.cell {
		return -1
	}
	cx, cy := g.cellOf(x, y)
	c := cy*g.nx + cx
	pt := orb.Point{x, y}
	for _, i := range g.items[g.start[c]:g.start[c+1]] {
		p := &g.polys[i]
		if p.bound.Contains(pt) && polygonContains(p.poly, x, y) {
			return int(p.owner)
		}
	}
	return -1
}

// Locate resolves loc in the order buurtcode, postcode+huisnummer,
// coordinates, postcode alone, gemeente; see Method. A step whose input is
// absent or does not resolve falls through to the next. The gemeente step
// uses the gemeente name, else the gemeente polygon holding the point.
// Locate does not allocate.
func (g *Geocoder) Locate(loc *Location) Result {
	r := g.ref
	if loc.Buurtcode != "" {
		if i := r.buurt(loc.Buurtcode); i >= 0 {
			return g.buurt(i, MethodBuurtcode)
		}
	}
	pc, hasPC := uint32(0), false
	if loc.Postcode != "" {
		pc, hasPC = parsePC6(loc.Postcode)
	}
	if hasPC && loc.Huisnummer > 0 && loc.Huisnummer <= huisnummerMax {
		if i, ok := r.pc.lookup(pc, int(loc.Huisnummer)); ok {
			return g.buurt(i, MethodPostcodeHuisnummer)
		}
	}
	var x, y float64
	hasXY := false
	if loc.HasRD && finite(loc.X, loc.Y) {
		x, y, hasXY = loc.X, loc.Y, true
		if i := g.buurten.locate(x, y); i >= 0 {
			return g.buurt(i, MethodCoordinaten)
		}
	}
	if loc.HasWGS84 && finite(loc.Lat, loc.Lon) && math.Abs(loc.Lat) <= 90 && math.Abs(loc.Lon) <= 180 {
		wx, wy := WGS84ToRD(loc.Lat, loc.Lon)
		if !hasXY {
			x, y, hasXY = wx, wy, true
		}
		if i := g.buurten.locate(wx, wy); i >= 0 {
			return g.buurt(i, MethodCoordinaten)
		}
	}
	if hasPC {
		if i, ok := r.pc.lookupPC6(pc); ok {
			return g.buurt(i, MethodPostcode)
		}
	}
	if loc.Gemeente != "" {
		if i := r.gemeente(loc.Gemeente); i >= 0 {
			return r.unknown[i]
		}
	}
	if hasXY {
		if i := g.gemeente.locate(x, y); i >= 0 {
			return r.unknown[i]
		}
	}
	if loc.Empty() {
		return Result{Method: MethodNone}
	}
	return Result{Method: MethodOnbekend}
}

func (g *Geocoder) buurt(i int, m Method) Result {
	res := g.results[i]
	res.Method = m
	return res
}

// polygonContains is even-odd ray casting over the outer ring and holes.
// orb's planar.PolygonContains recomputes every ring's bounding box per
// call, which cost more than the test itself.
func polygonContains(p orb.Polygon, x, y float64) bool {
	if !ringContains(p[0], x, y) {
		return false
	}
	for _, hole := range p[1:] {
		if ringContains(hole, x, y) {
			return false
		}
	}
	return true
}

func ringContains(r orb.Ring, x, y float64) bool {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[i], r[j]
		if (a[1] > y) != (b[1] > y) && x < (b[0]-a[0])*(y-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

func finite(a, b float64) bool {
	return !math.IsNaN(a) && !math.IsInf(a, 0) && !math.IsNaN(b) && !math.IsInf(b, 0)
}
