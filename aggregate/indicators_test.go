package aggregate

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/google/go-cmp/cmp"

	"github.com/ivz-twente/jeugd/transform"
)

// minderjarige_daders follows CBS practice: suspects of a misdrijf (police,
// OM) and Halt referrals for a misdrijf, aged 12-17. A Halt referral for an
// overtreding (spijbelen, vuurwerk) counts in halt_verwijzingen only, with
// its delictsoort as a breakdown.
func TestMinderjarigeDadersMisdrijf(t *testing.T) {
	halt := func(persoon string, leeftijd int, categorie, soort string) ev {
		return ev{bron: "halt", soort: "verwijzingen", rol: "verwijzing", datum: "2025-03-10", woon: "BU01470101",
			persoon: persoon, leeftijd: leeftijd, geslacht: "m", categorie: categorie, delictsoort: soort}
	}
	politie := func(persoon string, leeftijd int, soort string) ev {
		return ev{bron: "politie", soort: "verdachten", rol: "verdachte", datum: "2025-03-11", pleeg: "BU01470101", woon: "BU01470101",
			persoon: persoon, zaak: "z" + persoon, leeftijd: leeftijd, geslacht: "v", categorie: "overig", delictsoort: soort}
	}
	s := loadStore(t, []ev{
		halt("spijbelaar", 14, "leerplicht", "overtreding"),
		halt("vuurwerk", 15, "vuurwerk", "overtreding"),
		halt("winkeldief", 13, "vermogen", "misdrijf"),
		halt("onbekend", 16, "overig", "onbekend"),     // Halt handles both: unknown is no dader
		halt("te_jong", 11, "vermogen", "misdrijf"),    // below the criminal age
		politie("verdachte", 16, "misdrijf"),           // counts
		politie("verdachte_onbekend", 15, "onbekend"),  // police register suspects of misdrijven
		politie("verboden_toegang", 17, "overtreding"), // 461 Sr: an overtreding
		politie("winkeldief", 13, "misdrijf"),          // the Halt winkeldief again: counted once
		politie("meerderjarig", 18, "misdrijf"),        // too old
		halt("vuurwerk_en_vernieling", 14, "vuurwerk", "overtreding"),
		halt("vuurwerk_en_vernieling", 14, "vernieling_openbare_orde", "misdrijf"),
	})
	var got []string
	for _, c := range count(t, s, "2026-01-01", testGebieden).Cells {
		if c.Gebiedsniveau == "regio" && c.Periodetype == "jaar" && (c.Indicator == "minderjarige_daders" || c.Indicator == "halt_verwijzingen") &&
			(c.Uitsplitsing == "totaal" || c.Uitsplitsing == "delictsoort") {
			got = append(got, line(c))
		}
	}
	want := []string{
		// winkeldief, vuurwerk_en_vernieling, verdachte, verdachte_onbekend
		"minderjarige_daders,regio,regio,Regio,,jaar,2025,totaal,totaal,4,",
		"halt_verwijzingen,regio,regio,Regio,,jaar,2025,totaal,totaal,7,",
		"halt_verwijzingen,regio,regio,Regio,,jaar,2025,delictsoort,misdrijf,3,",
		"halt_verwijzingen,regio,regio,Regio,,jaar,2025,delictsoort,overtreding,3,",
		"halt_verwijzingen,regio,regio,Regio,,jaar,2025,delictsoort,onbekend,1,",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cells (-want +got):\n%s", diff)
	}
}

func TestHaltVerwijzingenDelictsoortBreakdown(t *testing.T) {
	ind, ok := IndicatorByName("halt_verwijzingen")
	if !ok || !slices.Contains(ind.Uitsplitsingen, "delictsoort") {
		t.Errorf("halt_verwijzingen breakdowns %v lack delictsoort", ind.Uitsplitsingen)
	}
	if !slices.Contains(Uitsplitsingen, "delictsoort") {
		t.Errorf("Uitsplitsingen %v lack delictsoort", Uitsplitsingen)
	}
}

// transform.SchooljaarSQL, for counting leerplicht figures per schooljaar,
// gives the same labels in DuckDB as transform.Schooljaar in Go.
func TestSchooljaarSQL(t *testing.T) {
	var evs []ev
	days := []string{"2023-07-31", "2023-08-01", "2024-02-29", "2024-07-31", "2024-08-01", "2025-12-31", "1999-09-01"}
	for _, d := range days {
		evs = append(evs, ev{bron: "leerplicht", soort: "verzuim", rol: "verzuim", datum: d, woon: "BU01470101", leeftijd: 12})
	}
	s := loadStore(t, evs)
	rows, err := s.db.QueryContext(context.Background(), "SELECT datum, "+transform.SchooljaarSQL("datum")+" FROM events ORDER BY datum")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var d time.Time
		var got string
		if err := rows.Scan(&d, &got); err != nil {
			t.Fatal(err)
		}
		if want := transform.Schooljaar(arrow.Date32FromTime(d)); got != want {
			t.Errorf("SchooljaarSQL(%s) = %s; want %s", d.Format(time.DateOnly), got, want)
		}
		n++
	}
	if err := rows.Err(); err != nil || n != len(days) {
		t.Errorf("%d rows, %v", n, err)
	}
}
