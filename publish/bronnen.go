package publish

import (
	"bufio"
	"encoding/csv"
	"io"
	"path/filepath"
	"strings"
)

// BronDekking is one source's row of dashboard/bronnen.csv: which months it
// covers. A month of an indicator's period that one of its sources does not
// cover is published as geen gegevens.
type BronDekking struct {
	Bron         string   // bron-soort: politie-incidenten
	EersteMaand  string   // YYYY-MM; empty when the source delivered nothing
	LaatsteMaand string   // YYYY-MM
	Ontbreekt    []string // months between the two without a delivery
	Bepaald      string   // how coverage was known: config, titel, werkblad, bestandsnaam, rijen, geen levering
	Indicatoren  []string // the indicators whose figures come from the source
}

// BronnenColumns are the columns of dashboard/bronnen.csv.
var BronnenColumns = []string{"bron", "eerste_maand", "laatste_maand", "maanden_zonder_levering", "bepaald_door", "indicatoren"}

const (
	bronnenName    = "bronnen.csv"
	definitiesName = "definities.csv"
)

// WriteBronnen writes dir/dashboard/bronnen.csv: per source its first and
// last covered month, the months without a delivery (space separated) and
// how coverage was known. Same layout as indicatoren.csv: UTF-8, comma, LF.
func WriteBronnen(dir string, bronnen []BronDekking) error {
	return writeFile(filepath.Join(dir, dashboardDir, bronnenName), func(w *bufio.Writer) error {
		return writeRows(w, BronnenColumns, len(bronnen), func(i int, rec []string) {
			b := &bronnen[i]
			rec[0], rec[1], rec[2] = b.Bron, b.EersteMaand, b.LaatsteMaand
			rec[3], rec[4], rec[5] = strings.Join(b.Ontbreekt, " "), b.Bepaald, strings.Join(b.Indicatoren, " ")
		})
	})
}

// writeRows writes a header and n rows that fill fills, every text cell
// neutralised.
func writeRows(w io.Writer, header []string, n int, fill func(i int, rec []string)) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, len(header))
	for i := range n {
		clear(rec)
		fill(i, rec)
		for j, v := range rec {
			rec[j] = Neutralise(v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
