package aggregate

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ivz-twente/jeugd/internal/golden"
	"github.com/ivz-twente/jeugd/schemas"
)

// names is a Namer for the test areas.
type names map[string]string

func (n names) Naam(code string) string { return n[code] }

var testNames = names{
	"GM0147": "Borne", "WK014701": "Borne-Centrum", "BU01470101": "Centrum", "BU01470102": "Stroomdal",
	"WK014702": "Hertme", "BU01470201": "Hertme-Dorp",
	"GM1742": "Rijssen-Holten", "WK174201": "Rijssen", "BU17420101": "Rijssen-Oost",
}

// testGebieden are the buurten of the test region, one of them without
// any event.
var testGebieden = []Gebied{
	{"BU01470101", "WK014701", "GM0147"}, {"BU01470102", "WK014701", "GM0147"},
	{"BU01470201", "WK014702", "GM0147"}, {"BU17420101", "WK174201", "GM1742"},
	{"BU17420102", "WK174201", "GM1742"},
}

func testPlan(t testing.TB) *Plan {
	t.Helper()
	p, err := NewPlan(schemas.Builtin().Plan)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// line renders a cell as one CSV line, the published columns then Ouder.
func line(c Cell) string {
	w := fmt.Sprint(c.Waarde)
	if c.Onderdrukt {
		w = "*"
	}
	return strings.Join([]string{c.Indicator, c.Gebiedsniveau, c.Gebiedscode, c.Gebiedsnaam, c.Gemeentecode,
		c.Periodetype, c.Periode, c.Uitsplitsing, c.Klasse, w, c.Ouder}, ",")
}

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// daders is a small world of suspects: p1 is in police, OM and Halt; p2
// moved between two buurten of one wijk; p3 lives at an unknown buurt; the
// others test the age bounds and a missing woon location.
var daders = []ev{
	{bron: "politie", soort: "verdachten", rol: "verdachte", datum: "2025-03-03", pleeg: "BU01470101", woon: "BU01470101", persoon: "p1", zaak: "z1", leeftijd: 15, geslacht: "m", categorie: "geweld"},
	{bron: "om", soort: "zaken", rol: "verdachte", datum: "2025-03-20", woon: "BU01470101", persoon: "p1", zaak: "o1", leeftijd: 15, geslacht: "m", categorie: "geweld"},
	{bron: "halt", soort: "verwijzingen", rol: "verwijzing", datum: "2025-03-28", woon: "BU01470101", persoon: "p1", leeftijd: 15, geslacht: "m", categorie: "vuurwerk"},
	{bron: "politie", soort: "verdachten", rol: "verdachte", datum: "2025-03-10", pleeg: "BU01470101", woon: "BU01470101", persoon: "p2", zaak: "z2", leeftijd: 12, geslacht: "v", categorie: "overig"},
	{bron: "halt", soort: "verwijzingen", rol: "verwijzing", datum: "2025-03-25", woon: "BU01470102", persoon: "p2", leeftijd: 12, geslacht: "v", categorie: "vuurwerk"},
	{bron: "politie", soort: "verdachten", rol: "verdachte", datum: "2025-03-11", pleeg: "BU01470101", woon: "GM0147", persoon: "p3", zaak: "z3", leeftijd: 17, geslacht: "m", categorie: "overig"},
	{bron: "politie", soort: "verdachten", rol: "verdachte", datum: "2025-03-12", pleeg: "BU01470101", woon: "BU01470201", persoon: "p11", zaak: "z4", leeftijd: 11, geslacht: "m", categorie: "overig"},
	{bron: "politie", soort: "verdachten", rol: "verdachte", datum: "2025-03-12", pleeg: "BU01470101", woon: "BU01470201", persoon: "p18", zaak: "z4", leeftijd: 18, geslacht: "m", categorie: "overig"},
	{bron: "politie", soort: "verdachten", rol: "verdachte", datum: "2025-03-13", pleeg: "BU01470101", persoon: "pweg", zaak: "z5", leeftijd: 14, geslacht: "v", categorie: "overig"},
	{bron: "politie", soort: "verdachten", rol: "verdachte", datum: "2025-04-02", pleeg: "BU01470101", woon: "BU01470201", persoon: "p4", zaak: "z6", leeftijd: 13, geslacht: "v", categorie: "overig"},
}

func count(t testing.TB, s *Store, today string, gebieden []Gebied) *Counts {
	t.Helper()
	c, err := s.Count(context.Background(), testPlan(t), Query{Today: day(today), Namer: testNames, Gebieden: gebieden})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// find returns the cell with the given coordinates, failing when there is
// none or more than one.
func find(t *testing.T, cells []Cell, ind, niveau, code, periode, uits, klasse string) Cell {
	t.Helper()
	var out []Cell
	for _, c := range cells {
		if c.Indicator == ind && c.Gebiedsniveau == niveau && c.Gebiedscode == code && c.Periode == periode && c.Uitsplitsing == uits && c.Klasse == klasse {
			out = append(out, c)
		}
	}
	if len(out) != 1 {
		t.Fatalf("%d cells %s %s %s %s %s %s", len(out), ind, niveau, code, periode, uits, klasse)
	}
	return out[0]
}

func TestCount(t *testing.T) {
	s := loadStore(t, daders)
	cells := count(t, s, "2026-02-15", testGebieden).Cells
	tests := []struct {
		name                                   string
		ind, niveau, code, periode, uits, klas string
		want                                   int64
	}{
		// p1, p2, p3 and p4 are 12-17 suspects living in Borne; p11, p18
		// and pweg (no home) are not counted.
		{"gemeente jaar", "minderjarige_daders", "gemeente", "GM0147", "2025", "totaal", "totaal", 4},
		{"regio jaar", "minderjarige_daders", "regio", "regio", "2025", "totaal", "totaal", 4},
		// p2 lived in two buurten of one wijk: once in each, once in the wijk.
		{"buurt 0101", "minderjarige_daders", "buurt", "BU01470101", "2025", "totaal", "totaal", 2},
		{"buurt 0102", "minderjarige_daders", "buurt", "BU01470102", "2025", "totaal", "totaal", 1},
		{"wijk 01", "minderjarige_daders", "wijk", "WK014701", "2025", "totaal", "totaal", 2},
		{"onbekend buurt", "minderjarige_daders", "buurt", "BU0147XXXX", "2025", "totaal", "totaal", 1},
		{"onbekend wijk", "minderjarige_daders", "wijk", "WK0147XX", "2025", "totaal", "totaal", 1},
		{"quarter", "minderjarige_daders", "wijk", "WK014702", "2025-K2", "totaal", "totaal", 1},
		{"month", "minderjarige_daders", "gemeente", "GM0147", "2025-03", "totaal", "totaal", 3},
		{"class", "minderjarige_daders", "gemeente", "GM0147", "2025", "geslacht", "m", 2},
		// Zeros are published: a buurt without events, a month without.
		{"empty buurt", "minderjarige_daders", "buurt", "BU17420102", "2025", "totaal", "totaal", 0},
		{"empty month", "minderjarige_daders", "gemeente", "GM1742", "2025-07", "totaal", "totaal", 0},
		// Cases with a suspect of 12-17: z1, z2, z3, z5 and z6. z4's
		// suspects are 11 and 18; OM's o1 has no place.
		{"feiten", "feiten_minderjarigen", "buurt", "BU01470101", "2025", "totaal", "totaal", 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := find(t, cells, tt.ind, tt.niveau, tt.code, tt.periode, tt.uits, tt.klas)
			if c.Waarde != tt.want {
				t.Errorf("%s = %d, want %d", line(c), c.Waarde, tt.want)
			}
		})
	}
	// Only complete periods: 2026-01 is, 2026-K1 and 2026 are not.
	for _, c := range cells {
		if strings.HasPrefix(c.Periode, "2026") && c.Periode != "2026-01" {
			t.Errorf("incomplete period published: %s", line(c))
		}
	}
}

// Every cell of a table is there, zeros included, in publishing order.
func TestCountDense(t *testing.T) {
	s := loadStore(t, daders)
	c := count(t, s, "2026-01-01", testGebieden)
	per := map[string]int{}
	for _, cell := range c.Cells {
		if cell.Indicator == "minderjarige_daders" {
			per[cell.Gebiedsniveau+" "+cell.Periodetype+" "+cell.Uitsplitsing]++
		}
	}
	// 2025 only: 1 year, 4 quarters, 12 months; 5 buurten + 2 onbekend,
	// 3 wijken + 2 onbekend, 2 gemeenten.
	want := map[string]int{
		"buurt jaar totaal": 7, "wijk jaar totaal": 5, "wijk kwartaal totaal": 20,
		"gemeente jaar totaal": 2, "gemeente kwartaal totaal": 8, "gemeente maand totaal": 24,
		"regio jaar totaal": 1, "regio kwartaal totaal": 4, "regio maand totaal": 12,
	}
	for k, n := range want {
		if per[k] != n {
			t.Errorf("%s: %d cells, want %d", k, per[k], n)
		}
	}
	ranks := func(cells []Cell) []string {
		var out []string
		for _, c := range cells {
			out = append(out, fmt.Sprintf("%02d %d %s %d %s %02d", slices.Index(indicatorNames(), c.Indicator), slices.Index(Niveaus, c.Gebiedsniveau),
				c.Gebiedscode, slices.Index(Periodetypes, c.Periodetype), c.Periode, uitsplitsingRank[c.Uitsplitsing]))
		}
		return out
	}
	got := ranks(c.Cells)
	if !slices.IsSorted(got) {
		t.Error("cells are not in publishing order")
	}
}

func TestCountNoToday(t *testing.T) {
	s := loadStore(t, nil)
	if _, err := s.Count(context.Background(), testPlan(t), Query{}); err == nil {
		t.Fatal("Count without a run date succeeded")
	}
}

// world has every indicator at least once, in two gemeenten and with an
// unknown buurt, for the golden file.
var world = append(append([]ev(nil), daders...),
	ev{bron: "politie", soort: "incidenten", rol: "incident", datum: "2025-01-05", pleeg: "BU01470101", zaak: "i1", leeftijd: -1, categorie: "jeugdoverlast"},
	ev{bron: "politie", soort: "incidenten", rol: "incident", datum: "2025-01-05", pleeg: "BU01470101", zaak: "i1", leeftijd: -1, categorie: "jeugdoverlast"},
	ev{bron: "politie", soort: "incidenten", rol: "incident", datum: "2025-02-07", pleeg: "GM1742", zaak: "i2", leeftijd: -1, categorie: "jeugdoverlast"},
	ev{bron: "politie", soort: "incidenten", rol: "incident", datum: "2025-02-07", pleeg: "BU17420101", zaak: "i3", leeftijd: -1, categorie: "overig"},
	ev{bron: "politie", soort: "slachtoffers", rol: "slachtoffer", datum: "2025-03-03", woon: "BU17420101", persoon: "s1", zaak: "z1", leeftijd: 16, geslacht: "v"},
	ev{bron: "politie", soort: "slachtoffers", rol: "slachtoffer", datum: "2025-03-12", woon: "BU17420101", persoon: "s2", zaak: "z4", leeftijd: 40, geslacht: "m"},
	ev{bron: "politie", soort: "slachtoffers", rol: "slachtoffer", datum: "2025-05-12", woon: "BU01470102", persoon: "s3", zaak: "x9", leeftijd: 9, geslacht: "x"},
	ev{bron: "leerplicht", soort: "verzuim", rol: "verzuim", datum: "2025-09-01", woon: "BU01470201", persoon: "l1", leeftijd: 14, geslacht: "m", categorie: "relatief"},
	ev{bron: "leerplicht", soort: "verzuim", rol: "verzuim", datum: "2025-09-15", woon: "BU01470201", persoon: "l1", leeftijd: 14, geslacht: "m", categorie: "relatief"},
	ev{bron: "jgz", soort: "signalen", rol: "signaal", datum: "2025-12-31", woon: "BU17420101", persoon: "j1", leeftijd: 4, geslacht: "v", categorie: "opvoeding"},
	ev{bron: "jgz", soort: "signalen", rol: "signaal", datum: "2026-01-01", woon: "BU17420101", persoon: "j1", leeftijd: 4, geslacht: "v", categorie: "opvoeding"},
)

// The golden file holds the nonzero cells of the world, reviewed by hand
// when it changes (go test ./aggregate -run Golden -update).
func TestCountGolden(t *testing.T) {
	s := loadStore(t, world)
	var lines []string
	for _, c := range count(t, s, "2026-01-01", nil).Cells {
		if c.Waarde != 0 {
			lines = append(lines, line(c))
		}
	}
	golden.Check(t, filepath.Join("testdata", "cells.golden.csv"), []byte(strings.Join(lines, "\n")+"\n"))
}

func randomEvents(r *rand.Rand, n int) []ev {
	buurten := []string{"BU01470101", "BU01470102", "BU01470201", "GM0147", "BU17420101", "BU17420102", "GM1742", "BU01530101", ""}
	rollen := []string{"incident", "verdachte", "slachtoffer", "verwijzing", "verzuim", "signaal"}
	cats := []string{"geweld", "overig", "vuurwerk", "jeugdoverlast"}
	gs := []string{"m", "v", "x", "onbekend"}
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
	}
	return evs
}

// gap is a Dekking in which one source misses one month.
type gap struct {
	bron  string
	month string // 2025-06
}

func (g gap) Covers(bron string, m time.Time) bool {
	return bron != g.bron || m.Format("2006-01") != g.month
}

// A month without a delivery is "geen gegevens" for the indicators of that
// source, with its quarter and year; a quiet month of a covered source is 0.
func TestCountGeenGegevens(t *testing.T) {
	evs := randomEvents(rand.New(rand.NewPCG(2, 2)), 2000)
	s := loadStore(t, evs)
	c, err := s.Count(context.Background(), testPlan(t), Query{Today: day("2026-02-15"), Namer: testNames,
		Gebieden: testGebieden, Dekking: gap{"leerplicht-verzuim", "2025-06"}})
	if err != nil {
		t.Fatal(err)
	}
	missing := map[string]bool{"2025-06": true, "2025-K2": true, "2025": true}
	seen := 0
	for _, cell := range c.Cells {
		want := cell.Indicator == "verzuimmeldingen" && missing[cell.Periode]
		if cell.GeenGegevens != want {
			t.Fatalf("%s: geen gegevens %v, want %v", line(cell), cell.GeenGegevens, want)
		}
		if want {
			seen++
			if cell.Waarde != 0 {
				t.Fatalf("%s: geen gegevens with a value", line(cell))
			}
		}
	}
	if seen == 0 {
		t.Fatal("no cell without figures")
	}
	p := Policy{Plan: testPlan(t), Margin: DefaultMargin}
	if _, err := c.Protect(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if err := c.Verify(p); err != nil {
		t.Fatal(err)
	}
	for _, cell := range c.Cells {
		if cell.GeenGegevens && cell.Onderdrukt {
			t.Fatalf("%s: withheld and without figures", line(cell))
		}
	}
}
