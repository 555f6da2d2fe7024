package aggregate

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ivz-twente/jeugd/aggregate/sdc"
)

func TestPolicyValidate(t *testing.T) {
	tests := []struct {
		p    Policy
		want error
	}{
		{Policy{}, nil},
		{Policy{Name: "suppress", MinCount: 10}, nil},
		{Policy{Name: "round5"}, nil},
		{Policy{Name: "suppres"}, ErrPolicy},
		{Policy{Name: "suppress", MinCount: 1}, ErrPolicy},
		{Policy{MinCount: -5}, ErrPolicy},
	}
	for _, tt := range tests {
		if err := tt.p.Validate(); !errors.Is(err, tt.want) {
			t.Errorf("%+v.Validate() = %v, want %v", tt.p, err, tt.want)
		}
	}
}

// cell builds a test cell: niveau code ouder periodetype periode uitsplitsing klasse.
func cell(niveau, code, ouder, pt, per, u, k string, n int64) Cell {
	return Cell{Indicator: "halt_verwijzingen", Gebiedsniveau: niveau, Gebiedscode: code, Ouder: ouder,
		Periodetype: pt, Periode: per, Uitsplitsing: u, Klasse: k, Waarde: n}
}

func TestGroups(t *testing.T) {
	cells := []Cell{
		0:  cell("regio", "regio", "", "jaar", "2025", "totaal", "totaal", 9),
		1:  cell("gemeente", "GM0147", "regio", "jaar", "2025", "totaal", "totaal", 9),
		2:  cell("wijk", "WK014701", "GM0147", "jaar", "2025", "totaal", "totaal", 6),
		3:  cell("wijk", "WK0147XX", "GM0147", "jaar", "2025", "totaal", "totaal", 3),
		4:  cell("buurt", "BU01470101", "WK014701", "jaar", "2025", "totaal", "totaal", 6),
		5:  cell("buurt", "BU0147XXXX", "WK0147XX", "jaar", "2025", "totaal", "totaal", 3),
		6:  cell("gemeente", "GM0147", "regio", "jaar", "2025", "geslacht", "m", 5),
		7:  cell("gemeente", "GM0147", "regio", "jaar", "2025", "geslacht", "v", 4),
		8:  cell("gemeente", "GM0147", "regio", "jaar", "2025", "categorie", "vuurwerk", 9),
		9:  cell("gemeente", "GM0147", "regio", "kwartaal", "2025-K1", "totaal", "totaal", 9),
		10: cell("gemeente", "GM0147", "regio", "maand", "2025-02", "totaal", "totaal", 2),
		11: cell("gemeente", "GM0147", "regio", "maand", "2025-03", "totaal", "totaal", 7),
		// April's quarter is not complete: no total, no group.
		12: cell("gemeente", "GM0147", "regio", "maand", "2025-04", "totaal", "totaal", 1),
		// Its regio total is not in the selection: no group.
		13: cell("gemeente", "GM0147", "regio", "maand", "2025-04", "geslacht", "v", 1),
	}
	got := Groups(cells)
	want := []sdc.Group{
		{Total: 0, Parts: []int{1}},
		{Total: 1, Parts: []int{2, 3}},
		{Total: 2, Parts: []int{4}},
		{Total: 3, Parts: []int{5}},
		{Total: 1, Parts: []int{6, 7}},
		{Total: 1, Parts: []int{8}},
		{Total: 1, Parts: []int{9}},
		{Total: 9, Parts: []int{10, 11}},
		{Total: 12, Parts: []int{13}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Groups (-want +got):\n%s", diff)
	}
}

func TestProtectRound5(t *testing.T) {
	cells := []Cell{
		cell("regio", "regio", "", "jaar", "2025", "totaal", "totaal", 9),
		cell("gemeente", "GM0147", "regio", "jaar", "2025", "totaal", "totaal", 1),
		cell("gemeente", "GM0153", "regio", "jaar", "2025", "totaal", "totaal", 8),
	}
	sum, err := Protect(cells, Policy{Name: "round5"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := []int64{cells[0].Waarde, cells[1].Waarde, cells[2].Waarde}, []int64{10, 5, 10}; !slices.Equal(got, want) {
		t.Errorf("rounded %v, want %v", got, want)
	}
	for _, c := range cells {
		if c.Onderdrukt {
			t.Errorf("round5 suppressed %s", c.Gebiedscode)
		}
	}
	want := Summary{Policy: Policy{Name: "round5", MinCount: 5}, Indicators: map[string]Suppressed{"halt_verwijzingen": {}}}
	if diff := cmp.Diff(want, sum); diff != "" {
		t.Errorf("Summary (-want +got):\n%s", diff)
	}
}

func TestProtectSuppress(t *testing.T) {
	// Two gemeenten: one has 2 referrals, which is primary; the regio total
	// would give it away, so the other gemeente must go too.
	cells := []Cell{
		cell("regio", "regio", "", "jaar", "2025", "totaal", "totaal", 12),
		cell("gemeente", "GM0147", "regio", "jaar", "2025", "totaal", "totaal", 2),
		cell("gemeente", "GM0153", "regio", "jaar", "2025", "totaal", "totaal", 10),
	}
	sum, err := Protect(cells, Policy{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{
		"halt_verwijzingen,regio,regio,,,jaar,2025,totaal,totaal,12,",
		"halt_verwijzingen,gemeente,GM0147,,,jaar,2025,totaal,totaal,*,regio",
		"halt_verwijzingen,gemeente,GM0153,,,jaar,2025,totaal,totaal,*,regio",
	}, lines(cells)); diff != "" {
		t.Errorf("cells (-want +got):\n%s", diff)
	}
	for _, c := range cells {
		if c.Onderdrukt && c.Waarde != 0 {
			t.Errorf("%s suppressed but Waarde %d kept", c.Gebiedscode, c.Waarde)
		}
	}
	if got, want := sum.Indicators["halt_verwijzingen"], (Suppressed{Primary: 1, Secondary: 1}); got != want {
		t.Errorf("summary %+v, want %+v", got, want)
	}
}

// randomEvents draws n events of every kind over three gemeenten, some
// buurten unknown, ages 8-25, over 2024-2025.
func randomEvents(r *rand.Rand, n int) []ev {
	buurten := []string{"BU01470101", "BU01470102", "BU01470201", "GM0147", "BU17420101", "BU17420102", "GM1742", "BU01530101", ""}
	rollen := []string{"incident", "verdachte", "slachtoffer", "verwijzing", "verzuim", "signaal"}
	cats := []string{"geweld", "overig", "vuurwerk", "jeugdoverlast"}
	gs := []string{"m", "v", "x", "onbekend"}
	soorten := []string{"misdrijf", "overtreding", "onbekend"}
	evs := make([]ev, n)
	for i := range evs {
		evs[i] = ev{
			rol:       rollen[r.IntN(len(rollen))],
			datum:     fmt.Sprintf("%d-%02d-%02d", 2024+r.IntN(2), 1+r.IntN(12), 1+r.IntN(28)),
			pleeg:     buurten[r.IntN(len(buurten))],
			woon:      buurten[r.IntN(len(buurten))],
			persoon:   fmt.Sprintf("p%d", r.IntN(n/2+1)),
			zaak:      fmt.Sprintf("z%d", r.IntN(n/3+1)),
			leeftijd:  8 + r.IntN(18),
			geslacht:  gs[r.IntN(len(gs))],
			categorie: cats[r.IntN(len(cats))],
		}
		if evs[i].rol == "verdachte" || evs[i].rol == "verwijzing" {
			evs[i].delictsoort = soorten[r.IntN(len(soorten))]
		}
	}
	return evs
}

// TestProtectEndToEnd runs events through Cells and Protect and checks
// what a recipient could see: no published count 1..k-1, no group with
// exactly one withheld cell, no withheld value left, and a clean audit.
func TestProtectEndToEnd(t *testing.T) {
	for seed := range uint64(6) {
		// Few events make sparse tables full of single-part groups, the
		// hard case for complement search; many make dense ones.
		events := []int{100, 400, 3000}[seed%3]
		t.Run(fmt.Sprint("seed", seed, "_events", events), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 42))
			s := loadStore(t, randomEvents(r, events))
			cells, err := s.Cells(context.Background(), Query{Today: day("2026-02-15"), Namer: testNames})
			if err != nil {
				t.Fatal(err)
			}
			values := make([]int64, len(cells))
			for i, c := range cells {
				values[i] = c.Waarde
			}
			const k = 5
			sum, err := Protect(cells, Policy{Name: "suppress", MinCount: k})
			if err != nil {
				t.Fatal(err)
			}
			st := make([]sdc.Status, len(cells))
			var suppressed int
			for i, c := range cells {
				if !c.Onderdrukt {
					if c.Waarde != values[i] {
						t.Errorf("%s: published %d, counted %d", line(c), c.Waarde, values[i])
					}
					if c.Waarde > 0 && c.Waarde < k {
						t.Errorf("%s: published below k", line(c))
					}
					continue
				}
				suppressed++
				st[i] = sdc.Secondary
				if c.Waarde != 0 {
					t.Errorf("%s: withheld value kept", line(c))
				}
			}
			groups := Groups(cells)
			for _, g := range groups {
				n := 0
				for _, c := range append([]int{g.Total}, g.Parts...) {
					if cells[c].Onderdrukt {
						n++
					}
				}
				if n == 1 {
					t.Errorf("group of %s has exactly one withheld cell", line(cells[g.Total]))
				}
			}
			if got := sdc.Audit(&sdc.Table{Values: values, Groups: groups}, st); len(got) > 0 {
				t.Errorf("audit: %d withheld cells derivable, first %s", len(got), line(cells[got[0]]))
			}
			var counted int
			for _, n := range sum.Indicators {
				counted += n.Primary + n.Secondary
			}
			if counted != suppressed {
				t.Errorf("summary counts %d withheld cells, cells have %d", counted, suppressed)
			}
			t.Logf("%d cells, %d groups, %d withheld", len(cells), len(groups), suppressed)
		})
	}
}
