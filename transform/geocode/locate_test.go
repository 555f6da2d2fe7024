package geocode

import (
	"math/rand/v2"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// miniRegion is a hand-made reference: gemeente GM9901 with two square buurten
// side by side (RD, 1 km each) and a third buurt that has no polygon, plus a
// postcode table. The postcode table is written in the style named by variant.
func miniRegion(t *testing.T, pcTable string) *Reference {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, dir, "buurten.geojson", `{"type":"FeatureCollection",
"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},
"features":[
{"type":"Feature","properties":{"buurtcode":"BU99010101","buurtnaam":"West","wijkcode":"WK990101","wijknaam":"Kern","gemeentecode":"GM9901","gemeentenaam":"Demodorp"},
 "geometry":{"type":"Polygon","coordinates":[[[50000,540000],[51000,540000],[51000,541000],[50000,541000],[50000,540000]]]}},
{"type":"Feature","properties":{"buurtcode":"BU99010102","buurtnaam":"Oost","wijkcode":"WK990101","wijknaam":"Kern","gemeentecode":"GM9901","gemeentenaam":"Demodorp"},
 "geometry":{"type":"Polygon","coordinates":[[[51000,540000],[52000,540000],[52000,541000],[51000,541000],[51000,540000]]]}}
]}`)
	writeFile(t, dir, "buurten.csv", "buurtcode,buurtnaam,wijkcode,wijknaam,gemeentecode,gemeentenaam\n"+
		"BU99010201,Buitengebied,WK990102,,GM9901,Demodorp\n")
	writeFile(t, dir, "pc6hnr.csv", pcTable)
	ref, err := LoadReference(dir)
	if err != nil {
		t.Fatalf("LoadReference: %v", err)
	}
	return ref
}

// The same table in CBS's own layout and in the prefixed, comma style.
var pcTables = map[string]string{
	"bare integers ;": "PC6;Huisnummer;Buurt2024;Wijk2024;Gemeente2024\n" +
		"9901AA;1;99010101;990101;9901\n" +
		"9901AA;3;99010101;990101;9901\n" +
		"9901AA;5;99010102;990101;9901\n" +
		"\"9901AB\";\"2\";\"99010201\";\"990102\";\"9901\"\n" +
		"9901AB;4;99010201;990102;9901\n" +
		"9901AC;7;99010102;990101;9901\n" +
		"9901AC;9;99010101;990101;9901\n" +
		"bad;x;99010101;990101;9901\n",
	"prefixed ,": "\uFEFFpc6,huisnummer,buurt2023,wijk2023,gemeente2023\n" +
		"9901 AA,1,BU99010101,WK990101,GM9901\n" +
		"9901AA,3,BU99010101,WK990101,GM9901\n" +
		"9901AA,5,BU99010102,WK990101,GM9901\n" +
		"9901AB,2,BU99010201,WK990102,GM9901\n" +
		"9901AB,4,BU99010201,WK990102,GM9901\n" +
		"9901AC,7,BU99010102,WK990101,GM9901\n" +
		"9901AC,9,BU99010101,WK990101,GM9901\n" +
		"9901AD,0,BU99010101,WK990101,GM9901\n",
}

type adres struct {
	PC         string
	Huisnummer int
	Buurt      string
}

func TestPostcodeTable(t *testing.T) {
	want := []adres{
		{"9901AA", 1, "BU99010101"}, {"9901AA", 3, "BU99010101"}, {"9901AA", 5, "BU99010102"},
		{"9901AB", 2, "BU99010201"}, {"9901AB", 4, "BU99010201"},
		{"9901AC", 7, "BU99010102"}, {"9901AC", 9, "BU99010101"},
	}
	for name, table := range pcTables {
		t.Run(name, func(t *testing.T) {
			ref := miniRegion(t, table)
			var got []adres
			ref.Adressen(func(pc string, hn int, bu string) bool {
				got = append(got, adres{pc, hn, bu})
				return true
			})
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Adressen (-want +got):\n%s", diff)
			}
			var pcFile SourceFile
			for _, f := range ref.Files {
				if f.Kind == KindPostcodetabel {
					pcFile = f
				}
			}
			if pcFile.Records != 8 || pcFile.Skipped != 1 {
				t.Errorf("postcode table: %d records, %d skipped; want 8, 1", pcFile.Records, pcFile.Skipped)
			}
			n := 0
			ref.Adressen(func(string, int, string) bool { n++; return n < 2 })
			if n != 2 {
				t.Errorf("Adressen went on after yield returned false: %d calls", n)
			}
		})
	}
}

func TestLocateOrder(t *testing.T) {
	ref := miniRegion(t, pcTables["bare integers ;"])
	g := NewGeocoder(ref)
	west := Result{"GM9901", "WK990101", "BU99010101", ""}
	oost := Result{"GM9901", "WK990101", "BU99010102", ""}
	buiten := Result{"GM9901", "WK990102", "BU99010201", ""}
	gemeente := Result{"GM9901", "WK9901XX", "BU9901XXXX", MethodGemeente}
	with := func(r Result, m Method) Result { r.Method = m; return r }
	lat, lon := RDToWGS84(51500, 540500) // in Oost

	for _, tc := range []struct {
		name string
		loc  Location
		want Result
	}{
		{"nothing", Location{}, Result{}},
		{"buurtcode", Location{Buurtcode: "BU99010102"}, with(oost, MethodBuurtcode)},
		{"buurtcode bare", Location{Buurtcode: "99010102"}, with(oost, MethodBuurtcode)},
		{"buurtcode without polygon", Location{Buurtcode: "BU99010201"}, with(buiten, MethodBuurtcode)},
		{"buurtcode wins over the rest", Location{Buurtcode: "BU99010102", Postcode: "9901AA", Huisnummer: 1, X: 50500, Y: 540500, HasRD: true}, with(oost, MethodBuurtcode)},
		{"unknown buurtcode falls through", Location{Buurtcode: "BU99019999", Postcode: "9901AA", Huisnummer: 5}, with(oost, MethodPostcodeHuisnummer)},
		{"postcode huisnummer", Location{Postcode: "9901AA", Huisnummer: 5}, with(oost, MethodPostcodeHuisnummer)},
		{"postcode huisnummer lower case", Location{Postcode: "9901 aa", Huisnummer: 5}, with(oost, MethodPostcodeHuisnummer)},
		{"postcode huisnummer without polygon", Location{Postcode: "9901AB", Huisnummer: 4}, with(buiten, MethodPostcodeHuisnummer)},
		{"address wins over coordinates", Location{Postcode: "9901AA", Huisnummer: 5, X: 50500, Y: 540500, HasRD: true}, with(oost, MethodPostcodeHuisnummer)},
		{"rd", Location{X: 50500, Y: 540500, HasRD: true}, with(west, MethodCoordinaten)},
		{"wgs84", Location{Lat: lat, Lon: lon, HasWGS84: true}, with(oost, MethodCoordinaten)},
		{"unknown huisnummer uses coordinates", Location{Postcode: "9901AA", Huisnummer: 99, X: 51500, Y: 540500, HasRD: true}, with(oost, MethodCoordinaten)},
		{"outside every polygon falls through to postcode", Location{Postcode: "9901AA", X: 10, Y: 10, HasRD: true}, with(west, MethodPostcode)},
		{"postcode majority", Location{Postcode: "9901AA"}, with(west, MethodPostcode)},
		{"postcode tie goes to the lowest code", Location{Postcode: "9901AC"}, with(west, MethodPostcode)},
		{"postcode majority without polygon", Location{Postcode: "9901AB", Huisnummer: 8}, with(buiten, MethodPostcode)},
		{"gemeente name", Location{Gemeente: "demodorp"}, gemeente},
		{"gemeente code", Location{Gemeente: "GM9901"}, gemeente},
		{"unknown postcode falls to gemeente", Location{Postcode: "1234AB", Gemeente: "Demodorp"}, gemeente},
		{"unknown gemeente", Location{Gemeente: "Atlantis"}, Result{Method: MethodOnbekend}},
		{"bad postcode", Location{Postcode: "99O1AA"}, Result{Method: MethodOnbekend}},
		{"outside everything", Location{X: 10, Y: 10, HasRD: true}, Result{Method: MethodOnbekend}},
	} {
		if got := g.Locate(&tc.loc); got != tc.want {
			t.Errorf("%s: Locate = %+v, want %+v", tc.name, got, tc.want)
		}
	}
	for _, code := range []string{"BU99010101", "BU99010201", "WK990101", "GM9901"} {
		if ref.Naam(code) == "" {
			t.Errorf("Naam(%s) is empty", code)
		}
	}
	if got := ref.Naam("WK990101"); got != "Kern" {
		t.Errorf("Naam(WK990101) = %q, want Kern", got)
	}
}

// located keeps Locate's result alive for the allocation test.
var located Result

func TestLocateDoesNotAllocate(t *testing.T) {
	ref := miniRegion(t, pcTables["prefixed ,"])
	g := NewGeocoder(ref)
	locs := []Location{
		{Buurtcode: "1470101"},
		{Postcode: "9901AA", Huisnummer: 5},
		{Lat: 52.0, Lon: 6.0, HasWGS84: true, X: 51500, Y: 540500, HasRD: true},
		{Postcode: "9901AC"},
		{Gemeente: "Demodorp"},
		{Gemeente: "Atlantis"},
	}
	allocs := testing.AllocsPerRun(100, func() {
		for i := range locs {
			located = g.Locate(&locs[i])
		}
	})
	if allocs != 0 || located.Method == "" {
		t.Errorf("Locate allocates %.1f times per run", allocs)
	}
}

// polygonContains must agree with orb's planar.PolygonContains away from
// the boundary (random points hit a boundary with probability zero).
func TestPolygonContainsMatchesOrb(t *testing.T) {
	ref := twente(t)
	rng := rand.New(rand.NewPCG(5, 6))
	for _, b := range ref.Buurten {
		for _, p := range b.Geometry {
			bd := p.Bound()
			for range 50 {
				x := bd.Min[0] + rng.Float64()*(bd.Max[0]-bd.Min[0])
				y := bd.Min[1] + rng.Float64()*(bd.Max[1]-bd.Min[1])
				if got, want := polygonContains(p, x, y), planar.PolygonContains(p, orb.Point{x, y}); got != want {
					t.Errorf("%s (%.1f, %.1f): polygonContains = %v, orb says %v", b.Code, x, y, got, want)
				}
			}
		}
	}
}
