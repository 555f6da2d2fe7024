package publish

import (
	"path/filepath"
	"testing"

	"github.com/ivz-twente/jeugd/internal/golden"
)

func TestWriteBronnen(t *testing.T) {
	dir := t.TempDir()
	err := WriteBronnen(dir, []BronDekking{
		{Bron: "jgz-signalen", EersteMaand: "2024-01", LaatsteMaand: "2025-06", Ontbreekt: []string{"2024-07", "2024-08"},
			Bepaald: "bestandsnaam", Indicatoren: []string{"jgz_signalen"}},
		{Bron: "politie-verdachten", EersteMaand: "2022-01", LaatsteMaand: "2025-06", Ontbreekt: []string{}, Bepaald: "rijen",
			Indicatoren: []string{"minderjarige_daders", "feiten_minderjarigen", "slachtoffers"}},
		{Bron: "om-zaken", Bepaald: "geen levering", Indicatoren: []string{"minderjarige_daders"}},
		{Bron: "=HYPERLINK(\"x\")", Bepaald: "-1"}, // neutralised, like every text cell
	})
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/bronnen.csv", readFile(t, filepath.Join(dir, "dashboard", "bronnen.csv")))
}

func TestWriteDefinities(t *testing.T) {
	dir := t.TempDir()
	err := WriteDefinities(dir, []Definitie{
		{Indicator: "jeugdoverlast", Definitie: "Politie-incidenten gemeld als jeugdoverlast, naar pleegbuurt.", Telt: "incidenten",
			Locatie: "pleegbuurt", Bronnen: []string{"politie-incidenten"}, Leeftijd: "n.v.t.", K: 0, Buurtindeling: "2024",
			Dekking: "een maand die politie-incidenten niet dekt"},
		{Indicator: "minderjarige_daders", Definitie: "Unieke personen van 12-17 jaar, naar woonbuurt.", Telt: "personen",
			Locatie: "woonbuurt", Bronnen: []string{"politie-verdachten", "om-zaken"}, Leeftijd: "12-17", K: 5,
			Buurtindeling: "2024, 2019", Dekking: "een maand die niet alle bronnen dekken"},
	})
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/definities.csv", readFile(t, filepath.Join(dir, "dashboard", "definities.csv")))
}
