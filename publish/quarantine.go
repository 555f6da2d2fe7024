package publish

import (
	"bufio"
	"encoding/csv"
	"path/filepath"
	"strconv"

	"github.com/ivz-twente/jeugd/internal/quarantine"
)

// QuarantineColumns are the columns of the row-level quarantine report:
// file, sheet, row, column and reason of every rejected row.
var QuarantineColumns = []string{"bestand", "blad", "rij", "kolom", "reden"}

// WriteQuarantine writes the row-level quarantine report to path, owner-only:
// one line per rejected row with where and why. It is the operator's (the
// pipeline keeps it in STATE): file names and row numbers point at single
// records of a supplier. A RowError holds no value, so none can leak; file
// names and headers come from suppliers and are neutralised.
func WriteQuarantine(path string, errs []quarantine.RowError) error {
	return writeFile(path, func(w *bufio.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.Write(QuarantineColumns); err != nil {
			return err
		}
		rec := make([]string, len(QuarantineColumns))
		for _, e := range errs {
			rec[0] = Neutralise(e.File)
			rec[1] = Neutralise(e.Sheet)
			rec[2] = strconv.Itoa(e.Row)
			rec[3] = Neutralise(e.Column)
			rec[4] = Neutralise(e.Kind.String())
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	})
}

// QuarantineCount is how many rows of one source were rejected for one
// reason in one column.
type QuarantineCount struct {
	Bron, Kolom, Reden string
	Rijen              int
}

// QuarantineSummaryColumns are the columns of kwaliteit/quarantaine.csv.
var QuarantineSummaryColumns = []string{"bron", "kolom", "reden", "rijen"}

// QuarantineSummaryPath is the published quality table inside a run directory.
var QuarantineSummaryPath = filepath.Join("kwaliteit", "quarantaine.csv")

// WriteQuarantineSummary writes dir/kwaliteit/quarantaine.csv: the rejected
// rows per source, column and reason, in the given order. It names no file
// and no row.
func WriteQuarantineSummary(dir string, counts []QuarantineCount) error {
	return writeFile(filepath.Join(dir, QuarantineSummaryPath), func(w *bufio.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.Write(QuarantineSummaryColumns); err != nil {
			return err
		}
		for _, c := range counts {
			if err := cw.Write([]string{Neutralise(c.Bron), Neutralise(c.Kolom), Neutralise(c.Reden), strconv.Itoa(c.Rijen)}); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	})
}
