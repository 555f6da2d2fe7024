package publish

import (
	"fmt"
	"testing"

	"github.com/ivz-twente/jeugd/aggregate"
)

// benchCells is a dashboard-sized table: n cells over 8 indicators, 14
// gemeenten, their wijken and buurten, 51 periods and 15 classes.
func benchCells(n int) []aggregate.Cell {
	cells := make([]aggregate.Cell, 0, n)
	for i := 0; len(cells) < n; i++ {
		gm := fmt.Sprintf("GM%04d", 100+i%14)
		buurt := fmt.Sprintf("BU%s%02d%02d", gm[2:], i%7, i%11)
		cells = append(cells, aggregate.Cell{
			Indicator: aggregate.Uitsplitsingen[i%4] + "_indicator", Gebiedsniveau: "buurt",
			Gebiedscode: buurt, Gebiedsnaam: "Buurt " + buurt[6:], Gemeentecode: gm,
			Periodetype: "maand", Periode: fmt.Sprintf("2025-%02d", 1+i%12),
			Uitsplitsing: "leeftijdsklasse", Klasse: "12-14", Waarde: int64(i % 97), Onderdrukt: i%9 == 0,
		})
	}
	return cells
}

func BenchmarkWriteDashboard(b *testing.B) {
	cells := benchCells(200_000)
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteDashboard(dir, cells); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(cells)*b.N)/b.Elapsed().Seconds(), "cells/s")
}

// gemeenteCells is a large municipality: 1 gemeente, 10 wijken of 6 buurten,
// 2 years of periods (34), 8 indicators, 6 of them with 14 classes.
func gemeenteCells() []aggregate.Cell {
	type a struct{ niveau, code, ouder string }
	areas := []a{{"gemeente", "GM0153", "RG14"}}
	for w := range 10 {
		wk := fmt.Sprintf("WK0153%02d", w)
		areas = append(areas, a{"wijk", wk, "GM0153"})
		for bu := range 6 {
			areas = append(areas, a{"buurt", fmt.Sprintf("BU0153%02d%02d", w, bu), wk})
		}
	}
	var periods [][2]string
	for _, y := range []string{"2024", "2025"} {
		periods = append(periods, [2]string{"jaar", y})
		for q := 1; q <= 4; q++ {
			periods = append(periods, [2]string{"kwartaal", fmt.Sprintf("%s-K%d", y, q)})
		}
		for m := 1; m <= 12; m++ {
			periods = append(periods, [2]string{"maand", fmt.Sprintf("%s-%02d", y, m)})
		}
	}
	classes := [][2]string{{"totaal", "totaal"}, {"geslacht", "m"}, {"geslacht", "v"}, {"geslacht", "x"}, {"geslacht", "onbekend"},
		{"leeftijdsklasse", "0-11"}, {"leeftijdsklasse", "12-14"}, {"leeftijdsklasse", "15-17"}, {"leeftijdsklasse", "18-22"},
		{"leeftijdsklasse", "23+"}, {"categorie", "geweld"}, {"categorie", "vermogen"}, {"categorie", "vernieling"}, {"categorie", "overig"}}
	var cells []aggregate.Cell
	n := 0
	for ind := range 8 {
		cls := classes
		if ind < 2 {
			cls = classes[:1]
		}
		for _, ar := range areas {
			for _, k := range cls {
				for _, p := range periods {
					n++
					cells = append(cells, aggregate.Cell{
						Indicator: fmt.Sprintf("indicator_%d", ind), Gebiedsniveau: ar.niveau, Gebiedscode: ar.code,
						Gebiedsnaam: "Naam " + ar.code, Gemeentecode: "GM0153", Periodetype: p[0], Periode: p[1],
						Uitsplitsing: k[0], Klasse: k[1], Waarde: int64(n % 250), Onderdrukt: n%7 == 0, Ouder: ar.ouder,
					})
				}
			}
		}
	}
	return cells
}

func BenchmarkWriteGemeenteXLSX(b *testing.B) {
	cells := gemeenteCells()
	dir := b.TempDir()
	opts := fixtureOptions()
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteGemeente(dir, "GM0153", "Enschede", cells, opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(cells)*b.N)/b.Elapsed().Seconds(), "cells/s")
}
