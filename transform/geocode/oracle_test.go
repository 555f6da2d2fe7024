package geocode_test

import (
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/ivz-twente/jeugd/internal/demo"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

// demoRegion is the fictional region the demo ships: the geometry oracles
// below run on it everywhere, where the Twente tests need ../shared/data.
func demoRegion(t *testing.T) *geocode.Reference {
	t.Helper()
	ref, err := demo.Region(t.TempDir(), 1)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// Every buurt's PointOnSurface lies in its polygon and geocodes back to it,
// in RD and in WGS84.
func TestPointOnSurfaceDemo(t *testing.T) {
	ref := demoRegion(t)
	g := geocode.NewGeocoder(ref)
	n := 0
	for _, b := range ref.Buurten {
		if len(b.Geometry) == 0 {
			continue
		}
		n++
		pt := geocode.PointOnSurface(b)
		if !planar.MultiPolygonContains(b.Geometry, pt) {
			t.Errorf("PointOnSurface(%s) is outside its polygon", b.Code)
			continue
		}
		got := g.Locate(&geocode.Location{X: pt[0], Y: pt[1], HasRD: true})
		if got.Buurtcode != b.Code || got.Method != geocode.MethodCoordinaten {
			t.Errorf("Locate(PointOnSurface(%s)) = %+v", b.Code, got)
		}
		lat, lon := geocode.RDToWGS84(pt[0], pt[1])
		if w := g.Locate(&geocode.Location{Lat: lat, Lon: lon, HasWGS84: true}); w != got {
			t.Errorf("PointOnSurface(%s) in WGS84 gives %+v, in RD %+v", b.Code, w, got)
		}
	}
	if n == 0 {
		t.Fatal("the demo region has no buurt polygons")
	}
}

// Random points over the region resolve to the buurt that a plain scan of
// every polygon finds (an oracle without the geocoder's index), or to no
// buurt outside them all.
func TestLocateMatchesScanDemo(t *testing.T) {
	ref := demoRegion(t)
	g := geocode.NewGeocoder(ref)
	var bound orb.Bound
	for i, b := range ref.Buurten {
		if i == 0 {
			bound = b.Geometry.Bound()
		}
		bound = bound.Union(b.Geometry.Bound())
	}
	r := rand.New(rand.NewPCG(1, 2))
	inside := 0
	for range 3000 {
		pt := orb.Point{bound.Min[0] + r.Float64()*(bound.Max[0]-bound.Min[0]), bound.Min[1] + r.Float64()*(bound.Max[1]-bound.Min[1])}
		want := ""
		for _, b := range ref.Buurten {
			if planar.MultiPolygonContains(b.Geometry, pt) {
				want = b.Code
				break
			}
		}
		got := g.Locate(&geocode.Location{X: pt[0], Y: pt[1], HasRD: true})
		if want != "" {
			inside++
		}
		if (want == "") != (got.Method != geocode.MethodCoordinaten) || want != "" && got.Buurtcode != want {
			t.Errorf("Locate(%.2f, %.2f) = %+v; the polygons say %q", pt[0], pt[1], got, want)
		}
	}
	if inside < 300 {
		t.Errorf("only %d of 3000 points fell in a buurt; the oracle checks little", inside)
	}
}
