package aggregate

import (
	"errors"
	"testing"
)

func verifyCells(buurten [3]int64, suppressed [3]bool) []Cell {
	cell := func(niveau, code, ouder string, v int64) Cell {
		return Cell{Indicator: "halt_verwijzingen", Gebiedsniveau: niveau, Gebiedscode: code, Gemeentecode: "GM0001",
			Periodetype: "jaar", Periode: "2025", Uitsplitsing: "totaal", Klasse: "totaal", Waarde: v, Ouder: ouder}
	}
	total := buurten[0] + buurten[1] + buurten[2]
	cells := []Cell{cell("gemeente", "GM0001", "regio", total), cell("wijk", "WK000101", "GM0001", total)}
	for i, code := range []string{"BU00010101", "BU00010102", "BU00010103"} {
		c := cell("buurt", code, "WK000101", buurten[i])
		if suppressed[i] {
			c.Onderdrukt, c.Waarde = true, 0
		}
		cells = append(cells, c)
	}
	return cells
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name       string
		buurten    [3]int64
		suppressed [3]bool
		ok         bool
	}{
		{"protected pair", [3]int64{3, 7, 10}, [3]bool{true, true, false}, true},
		{"nothing small", [3]int64{5, 7, 10}, [3]bool{}, true},
		{"small value published", [3]int64{3, 7, 10}, [3]bool{}, false},
		{"single suppressed cell", [3]int64{3, 7, 10}, [3]bool{true, false, false}, false},
	}
	for _, tt := range tests {
		err := Verify(verifyCells(tt.buurten, tt.suppressed), Policy{MinCount: 5})
		if tt.ok && err != nil {
			t.Errorf("%s: Verify = %v; want nil", tt.name, err)
		}
		if !tt.ok && !errors.Is(err, ErrDisclosure) {
			t.Errorf("%s: Verify = %v; want ErrDisclosure", tt.name, err)
		}
	}
}

func TestVerifyRound5(t *testing.T) {
	cells := verifyCells([3]int64{5, 10, 15}, [3]bool{})
	if err := Verify(cells, Policy{Name: PolicyRound5}); err != nil {
		t.Errorf("Verify(rounded) = %v; want nil", err)
	}
	cells[2].Waarde = 3
	if err := Verify(cells, Policy{Name: PolicyRound5}); !errors.Is(err, ErrDisclosure) {
		t.Errorf("Verify(unrounded 3) = %v; want ErrDisclosure", err)
	}
}
