package geocode

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// PointOnSurface returns a point guaranteed inside the buurt's polygon (RD):
// on a horizontal line through the largest part, the midpoint of the widest
// interior segment. The line is placed halfway between the vertex heights
// nearest the part's centre, so it never runs through a vertex. A buurt
// without geometry gives the zero point.
func PointOnSurface(b Buurt) orb.Point {
	return pointOnSurface(b.Geometry)
}

func pointOnSurface(mp orb.MultiPolygon) orb.Point {
	var best orb.Polygon
	bestArea := -1.0
	for _, p := range mp {
		if len(p) == 0 {
			continue
		}
		if a := math.Abs(planar.Area(p)); a > bestArea {
			best, bestArea = p, a
		}
	}
	if best == nil {
		return orb.Point{}
	}
	y := scanY(best)
	var xs []float64
	for _, r := range best {
		for i := range r {
			a, b := r[i], r[(i+1)%len(r)]
			if (a[1] <= y) != (b[1] <= y) {
				xs = append(xs, a[0]+(y-a[1])*(b[0]-a[0])/(b[1]-a[1]))
			}
		}
	}
	slices.Sort(xs)
	var pt orb.Point
	widest := -1.0
	for i := 0; i+1 < len(xs); i += 2 { // even-odd: [x0,x1], [x2,x3], … are inside
		if w := xs[i+1] - xs[i]; w > widest {
			widest, pt = w, orb.Point{(xs[i] + xs[i+1]) / 2, y}
		}
	}
	if widest < 0 { // degenerate ring: nothing better than a vertex
		return best[0][0]
	}
	return pt
}

// scanY is halfway between the nearest vertex heights below and above the
// centre of the polygon's bounding box.
func scanY(p orb.Polygon) float64 {
	b := p.Bound()
	mid := (b.Min[1] + b.Max[1]) / 2
	lo, hi := b.Min[1], b.Max[1]
	for _, r := range p {
		for _, pt := range r {
			switch y := pt[1]; {
			case y <= mid && y > lo:
				lo = y
			case y > mid && y < hi:
				hi = y
			}
		}
	}
	return (lo + hi) / 2
}
