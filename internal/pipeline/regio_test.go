package pipeline

import (
	"testing"

	"github.com/ivz-twente/jeugd/transform/geocode"
)

func TestRegio(t *testing.T) {
	twente := geocode.Regio{Code: "VR05", Naam: "Twente"}
	for _, tt := range []struct {
		code, naam string
		ref        geocode.Regio
		want       [2]string
	}{
		{"", "", geocode.Regio{}, [2]string{"regio", "Regio"}},
		{"", "", twente, [2]string{"VR05", "Twente"}},
		{"", "Twente", geocode.Regio{}, [2]string{"regio", "Twente"}}, // regio_naam alone no longer falls back to Regio
		{"", "Noordoost", twente, [2]string{"regio", "Noordoost"}},
		{"twente", "", twente, [2]string{"twente", "twente"}},
		{"RG14", "Twente", geocode.Regio{Code: "CR14", Naam: "x"}, [2]string{"RG14", "Twente"}},
	} {
		code, naam := regio(tt.code, tt.naam, tt.ref)
		if [2]string{code, naam} != tt.want {
			t.Errorf("regio(%q, %q, %+v) = %q, %q; want %q", tt.code, tt.naam, tt.ref, code, naam, tt.want)
		}
	}
}
