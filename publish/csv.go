package publish

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/ivz-twente/jeugd/aggregate"
)

// utf8BOM starts the gemeente CSV, so that Excel reads it as UTF-8.
const utf8BOM = "\ufeff"

// writeCSV writes the cells as indicatoren.csv: UTF-8, the given separator,
// LF, RFC 4180 quoting, with the column geen_gegevens, and a cell without
// figures an empty waarde. A non-empty gm keeps only that municipality's
// cells.
func writeCSV(w io.Writer, cells []aggregate.Cell, gm string, comma rune) error {
	cw := csv.NewWriter(w)
	cw.Comma = comma
	cols := DashboardColumns
	if err := cw.Write(cols); err != nil {
		return err
	}
	rec := make([]string, len(cols))
	for i := range cells {
		c := &cells[i]
		if gm != "" && c.Gemeentecode != gm {
			continue
		}
		rec[0] = Neutralise(c.Indicator)
		rec[1] = Neutralise(c.Gebiedsniveau)
		rec[2] = Neutralise(c.Gebiedscode)
		rec[3] = Neutralise(c.Gebiedsnaam)
		rec[4] = Neutralise(c.Gemeentecode)
		rec[5] = Neutralise(c.Periodetype)
		rec[6] = Neutralise(c.Periode)
		rec[7] = Neutralise(c.Uitsplitsing)
		rec[8] = Neutralise(c.Klasse)
		if c.Onderdrukt {
			rec[9], rec[10] = "", "true"
		} else {
			rec[9], rec[10] = strconv.FormatInt(c.Waarde, 10), "false"
		}
		rec[11] = strconv.FormatBool(c.GeenGegevens)
		if c.GeenGegevens {
			rec[9] = "" // its Waarde is meaningless
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
