package geocode

import (
	"slices"
	"strconv"
	"strings"
)

// Regio is a region of gemeenten as CBS codes it: a veiligheidsregio
// (VR05 Twente) or a COROP area (CR14 Twente).
type Regio struct {
	Code, Naam string
}

// regioPrefixes are the CBS region codes read as the regio, in order of
// preference: Platform IVZ works per veiligheidsregio.
var regioPrefixes = []string{"VR", "CR"}

// regio records a region record of the reference.
func (l *loader) regio(code, naam string) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if len(code) < 3 || naam == "" || !slices.Contains(regioPrefixes, code[:2]) {
		return
	}
	setIfEmptyMap(l.regios, code, fixEncoding(naam))
}

func setIfEmptyMap(m map[string]string, k, v string) {
	if m[k] == "" {
		m[k] = v
	}
}

// oneRegio is the reference's region when it names exactly one of a kind.
func (l *loader) oneRegio() Regio {
	for _, prefix := range regioPrefixes {
		var found []Regio
		for code, naam := range l.regios {
			if strings.HasPrefix(code, prefix) {
				found = append(found, Regio{code, naam})
			}
		}
		if len(found) == 1 {
			return found[0]
		}
	}
	return Regio{}
}

// OldIndeling is a gemeente whose buurt codes in the reference are of an
// older CBS indeling than the newest in the reference: its buurten may
// have been re-coded or re-drawn since, so its buurt figures are on old
// boundaries.
type OldIndeling struct {
	Code, Naam     string
	Jaar, Nieuwste int
}

// OldIndelingen lists the gemeenten whose buurt codes are of an older CBS
// year than the newest in the reference, by code. Gemeenten whose year the
// reference does not give are left out.
func (r *Reference) OldIndelingen() []OldIndeling {
	jaar := map[string]int{}
	newest := 0
	for _, b := range r.Buurten {
		if b.Jaar > 0 {
			jaar[b.Gemeentecode] = max(jaar[b.Gemeentecode], b.Jaar)
			newest = max(newest, b.Jaar)
		}
	}
	var out []OldIndeling
	for _, g := range r.Gemeenten {
		if y := jaar[g.Code]; y > 0 && y < newest {
			out = append(out, OldIndeling{Code: g.Code, Naam: g.Naam, Jaar: y, Nieuwste: newest})
		}
	}
	return out
}

// Warning says in Dutch what an old indeling means for the figures.
func (o OldIndeling) Warning() string {
	return "De buurtcodes van " + o.Naam + " (" + o.Code + ") in de referentiedata zijn van de CBS-indeling " + strconv.Itoa(o.Jaar) +
		", de nieuwste in de referentie is " + strconv.Itoa(o.Nieuwste) + ". Buurten kunnen sindsdien zijn hernoemd, " +
		"opgesplitst of anders begrensd: vergelijk buurtcijfers niet zonder meer met die van " + strconv.Itoa(o.Nieuwste) + "."
}
