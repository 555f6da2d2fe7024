package geocode

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"

	"github.com/ivz-twente/jeugd/internal/golden"
)

func TestCheckText(t *testing.T) {
	ref := miniRegion(t, pcTables["bare integers ;"])
	rep := Check(ref)
	var buf bytes.Buffer
	if err := rep.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "check.txt"), buf.Bytes())
}

func TestCheckProblems(t *testing.T) {
	square := orb.Ring{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}
	ref := &Reference{
		Buurten: []Buurt{
			{Code: "BU99010101", Gemeentecode: "GM9901", Geometry: orb.MultiPolygon{{square}}},
			{Code: "BU99010102", Gemeentecode: "GM9901", Geometry: orb.MultiPolygon{{square[:4]}}},
			{Code: "BU99010103", Gemeentecode: "GM9901", Geometry: orb.MultiPolygon{{{{0, 0}, {5, 5}, {10, 10}, {0, 0}}}}},
			{Code: "BU99010104", Gemeentecode: "GM9901", Geometry: orb.MultiPolygon{{square, square}}},
			{Code: "BU99010105", Gemeentecode: "GM9901"},
		},
		Gemeenten: []Gemeente{{Code: "GM9901"}},
	}
	rep := Check(ref)
	want := []Problem{
		{"GM9901", "gemeente has no name"},
		{"BU99010102", "ring not closed"},
		{"BU99010103", "polygon without area"},
		{"BU99010104", "polygon without area"},
	}
	if diff := cmp.Diff(want, rep.Problems); diff != "" {
		t.Errorf("Problems (-want +got):\n%s", diff)
	}
	if g := rep.Gemeenten[0]; g.Buurten != 5 || g.WithPolygon != 4 {
		t.Errorf("GM9901: %d buurten, %d with polygon; want 5, 4", g.Buurten, g.WithPolygon)
	}
	if rep.OK() {
		t.Error("OK() = true with problems")
	}
}
