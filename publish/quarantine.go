package publish

import (
	"bufio"
	"encoding/csv"
	"path/filepath"
	"strconv"

	"github.com/ivz-twente/jeugd/internal/quarantine"
)

// QuarantineColumns are the columns of kwaliteit/quarantaine.csv.
var QuarantineColumns = []string{"bestand", "blad", "rij", "kolom", "reden"}

// WriteQuarantine writes dir/kwaliteit/quarantaine.csv: one line per
// rejected row with where and why. A RowError holds no value, so none can
// leak; file names and headers come from suppliers and are neutralised.
func WriteQuarantine(dir string, errs []quarantine.RowError) error {
	path := filepath.Join(dir, "kwaliteit", "quarantaine.csv")
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
