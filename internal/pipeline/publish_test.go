package pipeline

import (
	"testing"

	"github.com/ivz-twente/jeugd/aggregate"
)

func TestCellsPerGemeente(t *testing.T) {
	cell := func(niveau, code, gm string) aggregate.Cell {
		return aggregate.Cell{Gebiedsniveau: niveau, Gebiedscode: code, Gemeentecode: gm}
	}
	cells := []aggregate.Cell{
		cell("buurt", "BU01470001", "GM0147"),
		cell("regio", "RG", ""),
		cell("gemeente", "GM1742", "GM1742"),
		cell("gemeente", "GM0147", "GM0147"),
		cell("buurt", "BU01530001", "GM0153"), // not a recipient
	}
	own := cellsPerGemeente(cells, []string{"GM0147", "GM1742", "GM0000"})
	want := map[string][]string{
		"GM0147": {"BU01470001", "GM0147", "RG"},
		"GM1742": {"GM1742", "RG"},
		"GM0000": {"RG"},
	}
	if len(own) != len(want) {
		t.Fatalf("got %d gemeenten, want %d", len(own), len(want))
	}
	for gm, codes := range want {
		var got []string
		for _, c := range own[gm] {
			got = append(got, c.Gebiedscode)
		}
		if len(got) != len(codes) {
			t.Errorf("%s: got %v, want %v", gm, got, codes)
			continue
		}
		for i := range codes {
			if got[i] != codes[i] {
				t.Errorf("%s: got %v, want %v (own cells in order, then the regio)", gm, got, codes)
				break
			}
		}
	}
}
