package demo

import (
	"testing"

	"github.com/ivz-twente/jeugd/transform/geocode"
)

// A country-size region loads as CBS reference data: every buurt with its
// polygon and addresses, and a point in a buurt resolves to that buurt.
func TestWriteCountry(t *testing.T) {
	dir := t.TempDir()
	if err := WriteCountry(dir, 1, 40); err != nil {
		t.Fatal(err)
	}
	ref, err := geocode.LoadReference(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ref.Gemeenten) != 40 {
		t.Errorf("%d gemeenten, want 40", len(ref.Gemeenten))
	}
	if n := len(ref.Buurten); n < 40*3*2 || n > 40*15*8 {
		t.Errorf("%d buurten for 40 gemeenten", n)
	}
	geo := geocode.NewGeocoder(ref)
	for _, b := range ref.Buurten[:50] {
		p := geocode.PointOnSurface(b)
		res := geo.Locate(&geocode.Location{X: p[0], Y: p[1], HasRD: true})
		if res.Buurtcode != b.Code {
			t.Fatalf("point in %s located in %q", b.Code, res.Buurtcode)
		}
	}
	addresses := 0
	ref.Adressen(func(string, int, string) bool { addresses++; return true })
	if addresses < 8*len(ref.Buurten) {
		t.Errorf("%d addresses for %d buurten", addresses, len(ref.Buurten))
	}
	again := t.TempDir()
	if err := WriteCountry(again, 1, 40); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"buurten.geojson", "buurten.csv", "pc6hnr.csv"} {
		if string(readFile(t, dir, f)) != string(readFile(t, again, f)) {
			t.Errorf("%s differs between two writes with the same seed", f)
		}
	}
}
