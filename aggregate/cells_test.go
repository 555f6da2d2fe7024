package aggregate

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ivz-twente/jeugd/internal/golden"
)

// names is a Namer for the test areas.
type names map[string]string

func (n names) Naam(code string) string { return n[code] }

var testNames = names{
	"GM0147": "Borne", "WK014701": "Borne-Centrum", "BU01470101": "Centrum", "BU01470102": "Stroomdal",
	"WK014702": "Hertme", "BU01470201": "Hertme-Dorp",
	"GM1742": "Rijssen-Holten", "WK174201": "Rijssen", "BU17420101": "Rijssen-Oost",
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

func lines(cells []Cell) []string {
	if len(cells) == 0 {
		return nil
	}
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = line(c)
	}
	return out
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

func TestCells(t *testing.T) {
	s := loadStore(t, daders)
	tests := []struct {
		name string
		q    Query
		want []string
	}{{
		name: "one person in police, OM and Halt counts once; wijk is not a sum of buurten",
		q:    Query{Today: day("2025-04-30"), Indicators: []string{"minderjarige_daders"}, Periodetypes: []string{"maand"}, Uitsplitsingen: []string{"totaal"}},
		want: []string{
			"minderjarige_daders,regio,regio,Regio,,maand,2025-03,totaal,totaal,3,",
			"minderjarige_daders,gemeente,GM0147,Borne,GM0147,maand,2025-03,totaal,totaal,3,regio",
			"minderjarige_daders,wijk,WK014701,Borne-Centrum,GM0147,maand,2025-03,totaal,totaal,2,GM0147",
			"minderjarige_daders,wijk,WK0147XX,onbekend,GM0147,maand,2025-03,totaal,totaal,1,GM0147",
			"minderjarige_daders,buurt,BU01470101,Centrum,GM0147,maand,2025-03,totaal,totaal,2,WK014701",
			"minderjarige_daders,buurt,BU01470102,Stroomdal,GM0147,maand,2025-03,totaal,totaal,1,WK014701",
			"minderjarige_daders,buurt,BU0147XXXX,onbekend,GM0147,maand,2025-03,totaal,totaal,1,WK0147XX",
		},
	}, {
		name: "a month whose last day is today is left out",
		q:    Query{Today: day("2025-03-31"), Indicators: []string{"minderjarige_daders"}},
		want: nil,
	}, {
		name: "breakdowns each on their own, quarter and year only when complete",
		q: Query{Today: day("2025-07-01"), Indicators: []string{"minderjarige_daders"}, Niveaus: []string{"gemeente"},
			RegioCode: "twente", RegioNaam: "Twente", Gemeenten: []string{"GM0147"}},
		want: []string{
			"minderjarige_daders,gemeente,GM0147,Borne,GM0147,kwartaal,2025-K1,totaal,totaal,3,twente",
			"minderjarige_daders,gemeente,GM0147,Borne,GM0147,kwartaal,2025-K1,geslacht,m,2,twente",
			"minderjarige_daders,gemeente,GM0147,Borne,GM0147,kwartaal,2025-K1,geslacht,v,1,twente",
			"minderjarige_daders,gemeente,GM0147,Borne,GM0147,kwartaal,2025-K1,leeftijdsklasse,12-14,1,twente",
			"minderjarige_daders,gemeente,GM0147,Borne,GM0147,kwartaal,2025-K1,leeftijdsklasse,15-17,2,twente",
			"minderjarige_daders,gemeente,GM0147,Borne,GM0147,kwartaal,2025-K1,categorie,geweld,1,twente",
			"minderjarige_daders,gemeente,GM0147,Borne,GM0147,kwartaal,2025-K1,categorie,overig,2,twente",
			"minderjarige_daders,gemeente,GM0147,Borne,GM0147,kwartaal,2025-K1,categorie,vuurwerk,2,twente",
			"minderjarige_daders,gemeente,GM0147,Borne,GM0147,kwartaal,2025-K2,totaal,totaal,1,twente",
			"minderjarige_daders,gemeente,GM0147,Borne,GM0147,kwartaal,2025-K2,geslacht,v,1,twente",
			"minderjarige_daders,gemeente,GM0147,Borne,GM0147,kwartaal,2025-K2,leeftijdsklasse,12-14,1,twente",
			"minderjarige_daders,gemeente,GM0147,Borne,GM0147,kwartaal,2025-K2,categorie,overig,1,twente",
			"minderjarige_daders,gemeente,GM0147,Borne,GM0147,maand,2025-03,totaal,totaal,3,twente",
			"minderjarige_daders,gemeente,GM0147,Borne,GM0147,maand,2025-03,geslacht,m,2,twente",
			"minderjarige_daders,gemeente,GM0147,Borne,GM0147,maand,2025-03,geslacht,v,1,twente",
			"minderjarige_daders,gemeente,GM0147,Borne,GM0147,maand,2025-03,leeftijdsklasse,12-14,1,twente",
			"minderjarige_daders,gemeente,GM0147,Borne,GM0147,maand,2025-03,leeftijdsklasse,15-17,2,twente",
			"minderjarige_daders,gemeente,GM0147,Borne,GM0147,maand,2025-03,categorie,geweld,1,twente",
			"minderjarige_daders,gemeente,GM0147,Borne,GM0147,maand,2025-03,categorie,overig,2,twente",
			"minderjarige_daders,gemeente,GM0147,Borne,GM0147,maand,2025-03,categorie,vuurwerk,2,twente",
			"minderjarige_daders,gemeente,GM0147,Borne,GM0147,maand,2025-04,totaal,totaal,1,twente",
			"minderjarige_daders,gemeente,GM0147,Borne,GM0147,maand,2025-04,geslacht,v,1,twente",
			"minderjarige_daders,gemeente,GM0147,Borne,GM0147,maand,2025-04,leeftijdsklasse,12-14,1,twente",
			"minderjarige_daders,gemeente,GM0147,Borne,GM0147,maand,2025-04,categorie,overig,1,twente",
		},
	}, {
		name: "offences with a minor suspect by pleegbuurt: the 11- and 18-year-old's case does not count",
		q:    Query{Today: day("2026-01-01"), Indicators: []string{"feiten_minderjarigen"}, Niveaus: []string{"buurt"}, Periodetypes: []string{"jaar"}},
		want: []string{
			"feiten_minderjarigen,buurt,BU01470101,Centrum,GM0147,jaar,2025,totaal,totaal,5,WK014701",
			"feiten_minderjarigen,buurt,BU01470101,Centrum,GM0147,jaar,2025,categorie,geweld,1,WK014701",
			"feiten_minderjarigen,buurt,BU01470101,Centrum,GM0147,jaar,2025,categorie,overig,4,WK014701",
		},
	}, {
		name: "van and tot keep only periods entirely inside",
		q: Query{Today: day("2026-01-01"), Indicators: []string{"minderjarige_daders"}, Niveaus: []string{"regio"}, Uitsplitsingen: []string{"totaal"},
			Van: "2025-02", Tot: "2025-06"},
		want: []string{
			"minderjarige_daders,regio,regio,Regio,,kwartaal,2025-K2,totaal,totaal,1,",
			"minderjarige_daders,regio,regio,Regio,,maand,2025-03,totaal,totaal,3,",
			"minderjarige_daders,regio,regio,Regio,,maand,2025-04,totaal,totaal,1,",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.Namer = testNames
			cells, err := s.Cells(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, lines(cells)); diff != "" {
				t.Errorf("Cells (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCellsBadQuery(t *testing.T) {
	s := loadStore(t, nil)
	_, err := s.Cells(context.Background(), Query{Indicators: []string{"x"}, Niveaus: []string{"provincie"}, Van: "2025-13", Gemeenten: []string{"0147"}})
	if !errors.Is(err, ErrQuery) {
		t.Fatalf("Cells(bad query) = %v, want ErrQuery", err)
	}
	for _, want := range []string{"today", `indicator "x"`, `gebiedsniveau "provincie"`, "van", "gemeentecode"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not report %s", err, want)
		}
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

func TestCellsGolden(t *testing.T) {
	s := loadStore(t, world)
	cells, err := s.Cells(context.Background(), Query{Today: day("2026-01-01"), Namer: testNames})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(lines(cells), "\n") + "\n"
	golden.Check(t, filepath.Join("testdata", "cells.golden.csv"), []byte(got))
}
