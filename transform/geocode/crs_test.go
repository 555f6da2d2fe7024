package geocode

import (
	"fmt"
	"sync"
	"testing"
)

// One buurt square around Borne in each coordinate convention; all must
// load to the same RD polygon.
func TestLoadReferenceCRS(t *testing.T) {
	const x0, y0 = 250000.0, 482000.0
	corners := [][2]float64{{x0, y0}, {x0 + 1000, y0}, {x0 + 1000, y0 + 1000}, {x0, y0 + 1000}, {x0, y0}}
	coords := func(f func(x, y float64) (float64, float64)) string {
		s := ""
		for i, c := range corners {
			a, b := f(c[0], c[1])
			if i > 0 {
				s += ","
			}
			s += fmt.Sprintf("[%.8f,%.8f]", a, b)
		}
		return "[[" + s + "]]"
	}
	rd := func(x, y float64) (float64, float64) { return x, y }
	lonLat := func(x, y float64) (float64, float64) { lat, lon := RDToWGS84(x, y); return lon, lat }
	latLon := func(x, y float64) (float64, float64) { return RDToWGS84(x, y) }
	const crsRDMember = `"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},`
	const crs84Member = `"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},`
	for _, tc := range []struct {
		name, crs, coords, want string
	}{
		{"rd with crs", crsRDMember, coords(rd), "RD"},
		{"rd by range", "", coords(rd), "RD"},
		{"crs84", crs84Member, coords(lonLat), "WGS84"},
		{"lon lat by range", "", coords(lonLat), "WGS84"},
		{"lat lon by range", "", coords(latLon), "WGS84"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "laag.json", `{"type":"FeatureCollection",`+tc.crs+`"features":[{"type":"Feature",
				"properties":{"statcode":"BU01470101","statnaam":"Centrum"},
				"geometry":{"type":"Polygon","coordinates":`+tc.coords+`}}]}`)
			ref, err := LoadReference(dir)
			if err != nil {
				t.Fatal(err)
			}
			if got := ref.Files[0].CRS; got != tc.want {
				t.Errorf("CRS = %s, want %s", got, tc.want)
			}
			if ref.Naam("BU01470101") != "Centrum" {
				t.Errorf("statnaam not read: Naam = %q", ref.Naam("BU01470101"))
			}
			g := NewGeocoder(ref)
			for _, p := range [][2]float64{{x0 + 2, y0 + 2}, {x0 + 998, y0 + 998}, {x0 + 500, y0 + 500}} {
				if res := g.Locate(&Location{X: p[0], Y: p[1], HasRD: true}); res.Buurtcode != "BU01470101" {
					t.Errorf("(%.0f, %.0f): Locate = %+v", p[0], p[1], res)
				}
			}
		})
	}
}

// Locate from many goroutines at once; run with -race.
func TestLocateConcurrent(t *testing.T) {
	ref := twente(t)
	g := NewGeocoder(ref)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i, b := range ref.Buurten {
				if len(b.Geometry) == 0 || i%4 != w {
					continue
				}
				pt := PointOnSurface(b)
				if res := g.Locate(&Location{X: pt[0], Y: pt[1], HasRD: true, Buurtcode: "x"}); res.Buurtcode != b.Code {
					t.Errorf("%s: Locate = %+v", b.Code, res)
				}
			}
		})
	}
	wg.Wait()
}
