package transform

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/paulmach/orb/planar"

	"github.com/ivz-twente/jeugd/schemas"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

// sharedData is the real CBS extract for Twente next to the repository. It
// has buurt polygons but no postcode-huisnummer table.
const sharedData = "../../shared/data"

// With the real Twente buurten and no postcode table, persons given by
// postcode + huisnummer only land at their gemeente, and the match rate
// for their source fails the check, naming it; a coordinate or a buurt code
// still places a row in its buurt.
func TestMatchRateTwenteWithoutPostcodeTable(t *testing.T) {
	if _, err := os.Stat(filepath.Join(sharedData, "buurten_twente.geojson")); err != nil {
		t.Skipf("CBS reference data for Twente not available at %s", sharedData)
	}
	ref, err := geocode.LoadReference(sharedData)
	if err != nil {
		t.Fatal(err)
	}
	gc := geocode.NewGeocoder(ref)
	// A point inside a Borne buurt, found from its polygon.
	var x, y float64
	var buurt string
	for _, b := range ref.Buurten {
		if b.Gemeentecode != "GM0147" || len(b.Geometry) == 0 {
			continue
		}
		c, _ := planar.CentroidArea(b.Geometry)
		if r := gc.Locate(&geocode.Location{X: c[0], Y: c[1], HasRD: true}); r.Buurtcode == b.Code {
			x, y, buurt = c[0], c[1], b.Code
			break
		}
	}
	if buurt == "" {
		t.Fatal("no Borne buurt contains its own centroid")
	}

	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	tr, err := New(Options{Key: testKey, Locator: gc, Classificatie: schemas.Builtin().Classificatie, Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	person := func(r row) row {
		r["registratienummer"], r["bsn"], r["geboortedatum"], r["pleegdatum"] = "PL0600-1", bsnA, "2009-03-04", "2024-05-01"
		return r
	}
	srcs := sources(t)
	for name, rows := range map[string][]row{
		"politie-verdachten": {
			person(row{"woon_postcode": "7622AB", "woon_huisnummer": int64(12), "woon_gemeente": "Borne", "pleeg_x": x, "pleeg_y": y}),
			person(row{"woon_postcode": "7622AC", "woon_huisnummer": int64(3), "woon_gemeente": "GM0147", "pleeg_buurtcode": buurt}),
		},
		"politie-slachtoffers": {
			person(row{"woon_x": x, "woon_y": y}),
			person(row{"woon_buurtcode": buurt}),
		},
	} {
		in := rawBatch(t, mem, srcs[name], rows)
		out, err := tr.Stage(srcs[name], name+".csv", "").Apply(context.Background(), in)
		in.Release()
		if err != nil {
			t.Fatal(err)
		}
		col := ColWoonBuurtcode
		if name == "politie-verdachten" {
			col = ColPleegBuurtcode
		}
		for i := 0; i < int(out.NumRows()); i++ {
			if got := out.Column(EventSchema.FieldIndices(col)[0]).(*array.String).Value(i); got != buurt {
				t.Errorf("%s row %d: %s %s; want %s", name, i, col, got, buurt)
			}
		}
		out.Release()
	}
	st := tr.Stats()
	err = st.CheckMatchRates(0.5)
	var mre *MatchRateError
	if !errors.As(err, &mre) || len(mre.Rates) != 1 || mre.Rates[0].Source != "politie-verdachten" || mre.Rates[0].Locatie != LocatieWoon ||
		mre.Rates[0].ByMethod[geocode.MethodGemeente] != 2 {
		t.Errorf("CheckMatchRates = %v; want only politie-verdachten woon, at gemeente", err)
	}
}
