package publish

import (
	"bufio"
	"path/filepath"
	"strconv"
	"strings"
)

// Definitie is one indicator's row of dashboard/definities.csv: what its
// figures mean, so that the definition travels with the data.
type Definitie struct {
	Indicator string   // as in indicatoren.csv
	Definitie string   // one Dutch sentence
	Telt      string   // personen, zaken, incidenten or registraties
	Locatie   string   // pleegbuurt or woonbuurt
	Bronnen   []string // the sources its figures come from
	Leeftijd  string   // the ages counted: "12-17", "0-17", ...
	K         int64    // threshold: counts 1..k-1 are withheld; 0: none
	// Buurtindeling is the year of the CBS buurt indeling of the reference
	// data, or what mix of years it holds.
	Buurtindeling string
	// Dekking says when a month has no figures: a month one of Bronnen
	// does not cover is geen gegevens.
	Dekking string
}

// DefinitiesColumns are the columns of dashboard/definities.csv.
var DefinitiesColumns = []string{"indicator", "definitie", "telt", "locatie", "bronnen", "leeftijd", "k", "buurtindeling", "geen_gegevens"}

// WriteDefinities writes dir/dashboard/definities.csv, one row per
// indicator in the given order. Same layout as indicatoren.csv.
func WriteDefinities(dir string, defs []Definitie) error {
	return writeFile(filepath.Join(dir, dashboardDir, definitiesName), func(w *bufio.Writer) error {
		return writeRows(w, DefinitiesColumns, len(defs), func(i int, rec []string) {
			d := &defs[i]
			rec[0], rec[1], rec[2], rec[3] = d.Indicator, d.Definitie, d.Telt, d.Locatie
			rec[4], rec[5], rec[6] = strings.Join(d.Bronnen, " "), d.Leeftijd, strconv.FormatInt(d.K, 10)
			rec[7], rec[8] = d.Buurtindeling, d.Dekking
		})
	})
}
