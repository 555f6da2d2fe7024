package geocode

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// sharedData is the real CBS extract for Twente next to the repository.
const sharedData = "../../../shared/data"

func twente(t testing.TB) *Reference {
	t.Helper()
	if _, err := os.Stat(filepath.Join(sharedData, "buurten_twente.geojson")); err != nil {
		t.Skipf("CBS reference data for Twente not available at %s", sharedData)
	}
	ref, err := LoadReference(sharedData)
	if err != nil {
		t.Fatalf("LoadReference(%s): %v", sharedData, err)
	}
	return ref
}

func TestLoadReferenceTwente(t *testing.T) {
	ref := twente(t)
	want := map[string]string{
		"GM0141": "Almelo", "GM0147": "Borne", "GM0153": "Enschede", "GM0158": "Haaksbergen",
		"GM0163": "Hellendoorn", "GM0164": "Hengelo (O.)", "GM0168": "Losser", "GM0173": "Oldenzaal",
		"GM0183": "Tubbergen", "GM0189": "Wierden", "GM1700": "Twenterand", "GM1735": "Hof van Twente",
		"GM1742": "Rijssen-Holten", "GM1774": "Dinkelland",
	}
	got := map[string]string{}
	for _, g := range ref.Gemeenten {
		got[g.Code] = g.Naam
		if g.Geometry == nil {
			t.Errorf("gemeente %s has no polygon", g.Code)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("gemeenten (-want +got):\n%s", diff)
	}
	withGeom := 0
	for _, b := range ref.Buurten {
		if len(b.Geometry) > 0 {
			withGeom++
		}
	}
	if withGeom != 520 {
		t.Errorf("buurten with polygon = %d, want 520", withGeom)
	}
	// 526 listed plus 31 codes of 2019 that only the GeoJSON has.
	if len(ref.Buurten) != 557 {
		t.Errorf("buurten = %d, want 557", len(ref.Buurten))
	}
	// The indeling: the buurt list states 2024 for 11 gemeenten and 2019
	// for 3; the 31 codes only the 2019 polygons have are of 2019 too.
	jaren, grenzen := map[int]int{}, map[int]int{}
	for _, b := range ref.Buurten {
		jaren[b.Jaar]++
		grenzen[b.GrensJaar]++
	}
	if diff := cmp.Diff(map[int]int{2024: 415, 2019: 142}, jaren); diff != "" {
		t.Errorf("buurten by indeling year (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[int]int{2019: 520, 0: 37}, grenzen); diff != "" {
		t.Errorf("buurten by boundary year (-want +got):\n%s", diff)
	}
	kinds := map[string]FileKind{}
	for _, f := range ref.Files {
		kinds[f.Name] = f.Kind
	}
	wantKinds := map[string]FileKind{
		"buurten_twente.csv":                  KindNamen,
		"buurten_twente.geojson":              KindBuurtPolygonen,
		"gemeenten_twente.geojson":            KindGemeentePolygonen,
		"wijken_gemeenten_twente_kwb2024.csv": KindNamen,
	}
	if diff := cmp.Diff(wantKinds, kinds); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	for code, want := range map[string]string{
		"BU01411000": "Binnenstad Noord",
		"GM0164":     "Hengelo (O.)",
		"WK014110":   "Wijk 10 Almelo", // no wijk names in the extract
		"BU0164XXXX": "onbekend",
		"WK0164XX":   "onbekend",
		"BU9999XXXX": "",
		"BU99999999": "",
		"WK999999":   "",
		"GM9999":     "",
		"":           "",
	} {
		if got := ref.Naam(code); got != want {
			t.Errorf("Naam(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestGemeenteByName(t *testing.T) {
	ref := twente(t)
	for _, tc := range []struct {
		in, want string
	}{
		{"borne", "GM0147"},
		{"GM0147", "GM0147"},
		{"gm0147", "GM0147"},
		{"0147", "GM0147"},
		{" Rijssen-Holten ", "GM1742"},
		{"HENGELO (O.)", "GM0164"},
		{"Hengelo", "GM0164"}, // unique without the suffix
		{"Zwolle", ""},
		{"GM0193", ""},
		{"", ""},
	} {
		g, ok := ref.GemeenteByName(tc.in)
		if g.Code != tc.want || ok != (tc.want != "") {
			t.Errorf("GemeenteByName(%q) = %s, %v; want %q", tc.in, g.Code, ok, tc.want)
		}
	}
}

// Every buurt's PointOnSurface lies in its polygon and geocodes back to it.
func TestPointOnSurfaceTwente(t *testing.T) {
	ref := twente(t)
	g := NewGeocoder(ref)
	n := 0
	for _, b := range ref.Buurten {
		if len(b.Geometry) == 0 {
			continue
		}
		n++
		pt := PointOnSurface(b)
		if !planar.MultiPolygonContains(b.Geometry, pt) {
			t.Errorf("PointOnSurface(%s) is outside its polygon", b.Code)
			continue
		}
		got := g.Locate(&Location{X: pt[0], Y: pt[1], HasRD: true})
		if got.Buurtcode != b.Code || got.Method != MethodCoordinaten {
			t.Errorf("Locate(PointOnSurface(%s)) = %+v", b.Code, got)
		}
	}
	if n != 520 {
		t.Errorf("checked %d buurt polygons, want 520", n)
	}
}

// A point in each gemeente polygon (a separate CBS layer, in RD) resolves to
// that gemeente through the buurt polygons (WGS84 converted to RD).
func TestGemeentePointsTwente(t *testing.T) {
	ref := twente(t)
	g := NewGeocoder(ref)
	if len(ref.Gemeenten) != 14 {
		t.Fatalf("gemeenten = %d, want 14", len(ref.Gemeenten))
	}
	for _, gm := range ref.Gemeenten {
		pt := pointOnSurface(gm.Geometry)
		got := g.Locate(&Location{X: pt[0], Y: pt[1], HasRD: true})
		if got.Gemeentecode != gm.Code || got.Method != MethodCoordinaten {
			t.Errorf("point in %s: Locate = %+v", gm.Code, got)
		}
		lat, lon := RDToWGS84(pt[0], pt[1])
		if w := g.Locate(&Location{Lat: lat, Lon: lon, HasWGS84: true}); w != got {
			t.Errorf("point in %s: WGS84 gives %+v, RD gives %+v", gm.Code, w, got)
		}
	}
}

// The gemeente layer is published in RD and the buurt layer in WGS84. After
// conversion each gemeente's buurten must have the centroid and area of its
// gemeente polygon, up to the generalisation (measured: at most 17 m and
// 0.5 %), which checks the formulas on Twente itself.
func TestRDAgainstTwenteLayers(t *testing.T) {
	ref := twente(t)
	for _, gm := range ref.Gemeenten {
		var buurten orb.MultiPolygon
		for _, b := range ref.Buurten {
			if b.Gemeentecode == gm.Code {
				buurten = append(buurten, b.Geometry...)
			}
		}
		cg, ag := planar.CentroidArea(gm.Geometry)
		cb, ab := planar.CentroidArea(buurten)
		if d := math.Hypot(cg[0]-cb[0], cg[1]-cb[1]); d > 30 {
			t.Errorf("%s: centroid of the buurten is %.0f m from the gemeente's", gm.Code, d)
		}
		if r := ab / ag; r < 0.99 || r > 1.01 {
			t.Errorf("%s: buurten cover %.3f of the gemeente's area", gm.Code, r)
		}
	}
}

func TestLoadReferenceErrors(t *testing.T) {
	t.Run("empty", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, dir, "README.md", "# not data\n")
		if _, err := LoadReference(dir); !errors.Is(err, ErrNoReference) {
			t.Errorf("LoadReference(empty dir) = %v, want ErrNoReference", err)
		}
	})
	t.Run("bad geojson", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, dir, "buurten.json", `{"type":"FeatureCollection","features":[{`)
		_, err := LoadReference(dir)
		if err == nil || !strings.Contains(err.Error(), "buurten.json") {
			t.Errorf("LoadReference(truncated GeoJSON) = %v, want an error naming the file", err)
		}
	})
	t.Run("bad csv", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, dir, "pc.csv", "PC6;Huisnummer;Buurt2024\n1234AB;1;\"1470101\n")
		_, err := LoadReference(dir)
		if err == nil || !strings.Contains(err.Error(), "pc.csv") || strings.Contains(err.Error(), "1234AB") {
			t.Errorf("LoadReference(broken CSV) = %v, want an error naming the file but no value", err)
		}
	})
	t.Run("web mercator", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, dir, "b.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature",
			"properties":{"buurtcode":"BU01470101"},"geometry":{"type":"Polygon",
			"coordinates":[[[700000,6800000],[701000,6800000],[701000,6801000],[700000,6800000]]]}}]}`)
		if _, err := LoadReference(dir); !errors.Is(err, ErrCRS) {
			t.Errorf("LoadReference(EPSG:3857) = %v, want ErrCRS", err)
		}
	})
}

func writeFile(t *testing.T, dir, name, data string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestOldIndelingTwente: in the Twente extract Wierden, Hof van Twente and
// Rijssen-Holten have buurt codes of 2019, the others of 2024 (see
// PROVENANCE.md); they are the ones to warn about.
func TestOldIndelingTwente(t *testing.T) {
	ref := twente(t)
	var got []string
	for _, o := range ref.OldIndelingen() {
		got = append(got, fmt.Sprintf("%s %s %d<%d", o.Code, o.Naam, o.Jaar, o.Nieuwste))
		if w := o.Warning(); !strings.Contains(w, o.Naam) || !strings.Contains(w, "2019") {
			t.Errorf("warning %q does not name the gemeente and its year", w)
		}
	}
	want := []string{"GM0189 Wierden 2019<2024", "GM1735 Hof van Twente 2019<2024", "GM1742 Rijssen-Holten 2019<2024"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("old indelingen (-want +got):\n%s", diff)
	}
	if ref.Regio != (Regio{}) {
		t.Errorf("the extract names no region, got %+v", ref.Regio)
	}
}

// TestIndelingAndRegio: the year of a buurt's code comes from jaar_indeling
// or jrstatcode; the region from one VRnn (or CRnn) record, in CSV or
// GeoJSON; two of a kind name none.
func TestIndelingAndRegio(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		old   []string
		regio Regio
	}{
		{"csv", map[string]string{"b.csv": "buurtcode,buurtnaam,jaar_indeling\nBU01470101,A,2024\nBU17420101,B,2019\n" +
			"BU17420102,C,\n", "r.csv": "regiocode;regionaam\nVR05;Twente\nCR14;Twente\n"},
			[]string{"GM1742"}, Regio{"VR05", "Twente"}},
		{"geojson", map[string]string{"b.geojson": `{"type":"FeatureCollection","features":[` +
			`{"type":"Feature","properties":{"statcode":"BU01470101","jrstatcode":"2024BU01470101"},"geometry":null},` +
			`{"type":"Feature","properties":{"statcode":"BU01530101","jrstatcode":"2022BU01530101"},"geometry":null},` +
			`{"type":"Feature","properties":{"statcode":"CR14","statnaam":"Twente"},"geometry":null}]}`},
			[]string{"GM0153"}, Regio{"CR14", "Twente"}},
		{"two regions", map[string]string{"b.csv": "buurtcode,buurtnaam\nBU01470101,A\n", "r.csv": "regiocode,regionaam\nVR05,Twente\nVR04,IJsselland\n"},
			nil, Regio{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, data := range tc.files {
				writeFile(t, dir, name, data)
			}
			ref, err := LoadReference(dir)
			if err != nil {
				t.Fatal(err)
			}
			var old []string
			for _, o := range ref.OldIndelingen() {
				old = append(old, o.Code)
			}
			if diff := cmp.Diff(tc.old, old); diff != "" {
				t.Errorf("old indelingen (-want +got):\n%s", diff)
			}
			if ref.Regio != tc.regio {
				t.Errorf("regio %+v, want %+v", ref.Regio, tc.regio)
			}
		})
	}
}

// A stated indeling year (jaar_indeling) wins over the year of the polygon
// file (jaar_grenzen, jrstatcode), whichever file is read first.
func TestLoadReferenceJaar(t *testing.T) {
	list := "buurtcode,buurtnaam,gemeentecode,gemeentenaam,jaar_indeling\nBU01470101,Centrum,GM0147,Borne,2024\n"
	poly := func(code, props string) string {
		return `{"type":"Feature","properties":{"buurtcode":"` + code + `",` + props + `},"geometry":{"type":"Polygon",` +
			`"coordinates":[[[250000,475000],[251000,475000],[251000,476000],[250000,476000],[250000,475000]]]}}`
	}
	geo := `{"type":"FeatureCollection","features":[` + poly("BU01470101", `"jaar_grenzen":2019`) + "," +
		poly("BU01470102", `"jrstatcode":"2022BU01470102"`) + "," + poly("BU01470103", `"statnaam":"x"`) + `]}`
	for _, names := range [][2]string{{"a.csv", "b.geojson"}, {"b.csv", "a.geojson"}} {
		dir := t.TempDir()
		writeFile(t, dir, names[0], list)
		writeFile(t, dir, names[1], geo)
		ref, err := LoadReference(dir)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][2]int{}
		for _, b := range ref.Buurten {
			got[b.Code] = [2]int{b.Jaar, b.GrensJaar}
		}
		want := map[string][2]int{"BU01470101": {2024, 2019}, "BU01470102": {2022, 2022}, "BU01470103": {0, 0}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("files %v: buurt {Jaar, GrensJaar} (-want +got):\n%s", names, diff)
		}
	}
}
