package demo

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/ivz-twente/jeugd/transform/geocode"
)

var regionFiles = []string{"buurten.geojson", "buurten.csv", "pc6hnr.csv"}

func TestWriteRegionDeterministic(t *testing.T) {
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	for _, w := range []struct {
		dir  string
		seed int64
	}{{a, 7}, {b, 7}, {c, 8}} {
		if err := WriteRegion(w.dir, w.seed); err != nil {
			t.Fatalf("WriteRegion(seed %d): %v", w.seed, err)
		}
	}
	differs := false
	for _, name := range regionFiles {
		fa, fb, fc := readFile(t, a, name), readFile(t, b, name), readFile(t, c, name)
		if !bytes.Equal(fa, fb) {
			t.Errorf("%s differs between two runs with seed 7", name)
		}
		differs = differs || !bytes.Equal(fa, fc)
	}
	if !differs {
		t.Error("seeds 7 and 8 give the same region")
	}
}

func TestWriteRegionGeocodes(t *testing.T) {
	for _, seed := range []int64{1, 2, 3, 42} {
		dir := t.TempDir()
		if err := WriteRegion(dir, seed); err != nil {
			t.Fatal(err)
		}
		ref, err := geocode.LoadReference(dir)
		if err != nil {
			t.Fatalf("seed %d: LoadReference: %v", seed, err)
		}
		checkRegion(t, seed, dir, ref)
	}
}

func checkRegion(t *testing.T, seed int64, dir string, ref *geocode.Reference) {
	t.Helper()
	wantGemeenten := []string{"GM9901 Demodorp", "GM9902 Voorbeeldstad", "GM9903 Proefveen"}
	var got []string
	for _, g := range ref.Gemeenten {
		got = append(got, g.Code+" "+g.Naam)
	}
	if !equal(got, wantGemeenten) {
		t.Errorf("seed %d: gemeenten %q, want %q", seed, got, wantGemeenten)
	}
	wijken := map[string]int{}
	gemeenteWijken := map[string]map[string]bool{}
	for _, b := range ref.Buurten {
		wijken[b.Wijkcode]++
		if gemeenteWijken[b.Gemeentecode] == nil {
			gemeenteWijken[b.Gemeentecode] = map[string]bool{}
		}
		gemeenteWijken[b.Gemeentecode][b.Wijkcode] = true
		if b.Naam == "" || b.Wijknaam == "" {
			t.Errorf("seed %d: %s has no buurt or wijk name", seed, b.Code)
		}
	}
	for wk, n := range wijken {
		if n < 2 || n > 5 {
			t.Errorf("seed %d: wijk %s has %d buurten, want 2-5", seed, wk, n)
		}
	}
	for gm, w := range gemeenteWijken {
		if len(w) < 2 || len(w) > 4 {
			t.Errorf("seed %d: %s has %d wijken, want 2-4", seed, gm, len(w))
		}
	}

	g := geocode.NewGeocoder(ref)
	nonConvex := 0
	for _, b := range ref.Buurten {
		if len(b.Geometry) != 1 {
			t.Fatalf("seed %d: %s has %d polygons, want 1", seed, b.Code, len(b.Geometry))
		}
		bd := b.Geometry.Bound()
		if bd.Min[0] < -7000 || bd.Max[0] > 300000 || bd.Min[1] < 289000 || bd.Max[1] > 629000 {
			t.Errorf("seed %d: %s lies outside the RD range", seed, b.Code)
		}
		if !convex(b.Geometry[0][0]) {
			nonConvex++
		}
		pt := geocode.PointOnSurface(b)
		res := g.Locate(&geocode.Location{X: pt[0], Y: pt[1], HasRD: true})
		if res.Buurtcode != b.Code || res.Method != geocode.MethodCoordinaten {
			t.Errorf("seed %d: PointOnSurface(%s) geocodes to %+v", seed, b.Code, res)
		}
	}
	if nonConvex < 1 || nonConvex > 2 {
		t.Errorf("seed %d: %d non-convex buurten, want 1 or 2", seed, nonConvex)
	}
	checkNoOverlap(t, seed, ref)
	checkAddresses(t, seed, dir, g)
}

// Sample the region: no point may lie in two buurten.
func checkNoOverlap(t *testing.T, seed int64, ref *geocode.Reference) {
	t.Helper()
	var bd orb.Bound
	for i, b := range ref.Buurten {
		if i == 0 {
			bd = b.Geometry.Bound()
		}
		bd = bd.Union(b.Geometry.Bound())
	}
	for x := bd.Min[0] + 13.7; x < bd.Max[0]; x += 50 {
		for y := bd.Min[1] + 7.3; y < bd.Max[1]; y += 50 {
			n := 0
			for _, b := range ref.Buurten {
				if planar.MultiPolygonContains(b.Geometry, orb.Point{x, y}) {
					n++
				}
			}
			if n > 1 {
				t.Fatalf("seed %d: (%.1f, %.1f) lies in %d buurten", seed, x, y, n)
			}
		}
	}
}

// Every address of the table, read here with encoding/csv, geocodes to its
// own buurt; a PC6 alone goes to the buurt holding most of its addresses.
func checkAddresses(t *testing.T, seed int64, dir string, g *geocode.Geocoder) {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "pc6hnr.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"PC6", "Huisnummer", "Buurt2024", "Wijk2024", "Gemeente2024"}; !equal(rows[0], want) {
		t.Fatalf("seed %d: header %q, want %q", seed, rows[0], want)
	}
	perBuurt := map[string]int{}
	perPC := map[string]map[string]int{}
	for _, row := range rows[1:] {
		bu := "BU" + row[2]
		hn, err := strconv.Atoi(row[1])
		if err != nil || len(row[2]) != 8 || row[0][:2] != "99" {
			t.Fatalf("seed %d: malformed row %q", seed, row)
		}
		perBuurt[bu]++
		if perPC[row[0]] == nil {
			perPC[row[0]] = map[string]int{}
		}
		perPC[row[0]][bu]++
		res := g.Locate(&geocode.Location{Postcode: row[0], Huisnummer: int64(hn)})
		if res.Buurtcode != bu || res.Method != geocode.MethodPostcodeHuisnummer {
			t.Errorf("seed %d: address %s %d of %s geocodes to %+v", seed, row[0], hn, bu, res)
		}
	}
	for bu, n := range perBuurt {
		if n < 20 || n > 60 {
			t.Errorf("seed %d: %s has %d addresses, want 20-60", seed, bu, n)
		}
	}
	spanning := 0
	for pc, counts := range perPC {
		if len(counts) > 1 {
			spanning++
		}
		best, bestN := "", 0
		for bu, n := range counts {
			if n > bestN || n == bestN && bu < best {
				best, bestN = bu, n
			}
		}
		res := g.Locate(&geocode.Location{Postcode: pc})
		if res.Buurtcode != best || res.Method != geocode.MethodPostcode {
			t.Errorf("seed %d: PC6 %s alone geocodes to %+v, want majority %s", seed, pc, res, best)
		}
	}
	if spanning == 0 {
		t.Errorf("seed %d: no PC6 spans two buurten", seed)
	}
}

// convex reports whether a closed ring turns the same way at every vertex.
func convex(r orb.Ring) bool {
	n := len(r) - 1
	sign := 0.0
	for i := range n {
		a, b, c := r[i], r[(i+1)%n], r[(i+2)%n]
		cross := (b[0]-a[0])*(c[1]-b[1]) - (b[1]-a[1])*(c[0]-b[0])
		if cross*sign < 0 {
			return false
		}
		if cross != 0 {
			sign = cross
		}
	}
	return true
}

func readFile(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
