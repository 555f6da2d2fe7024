package transform

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEventSchemaHasNoIdentifierField(t *testing.T) {
	want := []string{
		"bron", "soort", "datum",
		"pleeg_gemeentecode", "pleeg_wijkcode", "pleeg_buurtcode", "pleeg_geocode",
		"woon_gemeentecode", "woon_wijkcode", "woon_buurtcode", "woon_geocode",
		"persoon", "zaak", "leeftijd", "leeftijdsklasse", "geslacht", "categorie", "rol", "delictsoort",
	}
	var got []string
	for _, f := range EventSchema.Fields() {
		got = append(got, f.Name)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("EventSchema fields (-want +got):\n%s", diff)
	}
	forbidden := []string{"bsn", "naam", "adres", "straat", "postcode", "huisnummer", "geboorte",
		"registratie", "parket", "school", "omschrijving", "x", "y"}
	for _, name := range got {
		// pleeg_/woon_ codes name CBS areas; "x" and "y" would be coordinates.
		for _, part := range strings.Split(name, "_") {
			for _, bad := range forbidden {
				if (len(bad) > 1 && strings.Contains(part, bad)) || part == bad {
					t.Errorf("EventSchema field %q contains %q", name, bad)
				}
			}
		}
	}
}
