package geocode

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
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
		{ProblemPostcodetabel, rep.Problems[len(rep.Problems)-1].Reason}, // no postcode table; see TestCheckPostcodeTable
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

// A missing or thin postcode-huisnummer table is a problem, and the report
// says what it means for geocoding.
func TestCheckPostcodeTable(t *testing.T) {
	buurten := func(gm string, n int) []Buurt {
		var out []Buurt
		for i := range n {
			out = append(out, Buurt{Code: fmt.Sprintf("BU%s01%02d", gm[2:], i+1), Gemeentecode: gm})
		}
		return out
	}
	tests := []struct {
		name  string
		table string // pc6hnr.csv rows after the header; "" is no table
		want  []string
	}{
		{"no table", "", []string{ProblemPostcodetabel + ": no postcode-huisnummer table: rows that give only postcode and huisnummer cannot be placed in a buurt"}},
		{"a gemeente without addresses", "9901AA;1;99010101;990101;9901\n9901AA;3;99010102;990101;9901\n9901AB;1;99010103;990101;9901\n9901AB;2;99010104;990101;9901\n9901AB;3;99010105;990101;9901\n",
			[]string{"GM9902: the postcode table has no address in this gemeente"}},
		{"thin", "9901AA;1;99010101;990101;9901\n9902AA;1;99020101;990201;9902\n9902AA;2;99020102;990201;9902\n9902AA;3;99020103;990201;9902\n9902AA;4;99020104;990201;9902\n",
			[]string{"GM9901: the postcode table is thin here: only 1 of 5 buurten hold an address"}},
		{"complete enough", "9901AA;1;99010101;990101;9901\n9901AA;2;99010102;990101;9901\n9901AA;3;99010103;990101;9901\n9901AA;4;99010104;990101;9901\n" +
			"9902AA;1;99020101;990201;9902\n9902AA;2;99020102;990201;9902\n9902AA;3;99020103;990201;9902\n9902AA;4;99020104;990201;9902\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			var csv strings.Builder
			csv.WriteString("buurtcode,buurtnaam,wijkcode,wijknaam,gemeentecode,gemeentenaam\n")
			for _, b := range append(buurten("GM9901", 5), buurten("GM9902", 4)...) {
				fmt.Fprintf(&csv, "%s,%s,WK%s,,%s,Gemeente %s\n", b.Code, b.Code, b.Code[2:8], b.Gemeentecode, b.Gemeentecode)
			}
			writeFile(t, dir, "buurten.csv", csv.String())
			if tt.table != "" {
				writeFile(t, dir, "pc6hnr.csv", "PC6;Huisnummer;Buurt2024;Wijk2024;Gemeente2024\n"+tt.table)
			}
			ref, err := LoadReference(dir)
			if err != nil {
				t.Fatal(err)
			}
			rep := Check(ref)
			var got []string
			for _, p := range rep.Problems {
				got = append(got, p.Code+": "+p.Reason)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("Problems = %q; want %d starting with %q", got, len(tt.want), tt.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("problem %q; want it to start with %q", got[i], tt.want[i])
				}
			}
			var buf bytes.Buffer
			if err := rep.WriteText(&buf); err != nil {
				t.Fatal(err)
			}
			if ok := strings.Contains(buf.String(), "problems: none"); ok != (tt.want == nil) {
				t.Errorf("WriteText says problems none = %v; want %v:\n%s", ok, tt.want == nil, buf.String())
			}
		})
	}
}

// The real Twente extract has no postcode table (see its PROVENANCE.md), so
// reference check must say so.
func TestCheckTwenteWithoutPostcodeTable(t *testing.T) {
	rep := Check(twente(t))
	for _, p := range rep.Problems {
		if p.Code == ProblemPostcodetabel {
			return
		}
	}
	t.Errorf("Check(Twente) problems %v lack the missing postcode table", rep.Problems)
}
