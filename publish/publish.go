// Package publish writes the protected tables of a run: Parquet and CSV for
// the dashboard, CSV and XLSX per municipality, the quarantine report and
// JSON such as the manifest. Every file is written atomically and every text
// cell in CSV or XLSX goes through Neutralise.
//
// Cells arrive protected: a cell with Onderdrukt set has a meaningless Waarde
// that is never written.
package publish

import (
	"bufio"
	"fmt"
	"path/filepath"
	"regexp"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/ivz-twente/jeugd/aggregate"
)

// Columns of indicatoren.csv and indicatoren.parquet, in order: the exported
// fields of aggregate.Cell except Ouder and GeenGegevens. Every published
// CSV and Parquet table adds ColGeenGegevens at the end (DashboardColumns).
var Columns = []string{
	"indicator", "gebiedsniveau", "gebiedscode", "gebiedsnaam", "gemeentecode",
	"periodetype", "periode", "uitsplitsing", "klasse", "waarde", "onderdrukt",
}

// ColGeenGegevens is true for a cell of a period that a source of its
// indicator does not cover: no figure (waarde empty), distinct from 0 and
// from onderdrukt, and in no relation.
const ColGeenGegevens = "geen_gegevens"

// DashboardColumns are the columns of dashboard/indicatoren.csv and
// indicatoren.parquet, of each gemeente's indicatoren.csv and of analyst
// answers: Columns, then geen_gegevens.
var DashboardColumns = append(append([]string(nil), Columns...), ColGeenGegevens)

// Paths inside a run directory.
const (
	dashboardDir = "dashboard"
	gemeentenDir = "gemeenten"
	csvName      = "indicatoren.csv"
	parquetName  = "indicatoren.parquet"
	xlsxName     = "indicatoren.xlsx"
)

// WriteDashboard writes dir/dashboard/indicatoren.csv and
// indicatoren.parquet with all cells, regio included, in the given order.
// The same cells give byte-identical files.
func WriteDashboard(dir string, cells []aggregate.Cell) error {
	base := filepath.Join(dir, dashboardDir)
	if err := writeFile(filepath.Join(base, csvName), func(w *bufio.Writer) error {
		return writeCSV(w, cells, "", ',')
	}); err != nil {
		return err
	}
	return writeFile(filepath.Join(base, parquetName), func(w *bufio.Writer) error {
		return writeParquet(w, cells, memory.DefaultAllocator)
	})
}

// GemeenteOptions describe the run for the legend and summary sheets.
type GemeenteOptions struct {
	Indicators []IndicatorDoc // definitions for the legend; also the sheet order
	Summary    []KeyValue     // run summary lines: run id, period, k, version, sources
	Warnings   []string       // about this gemeente's figures, e.g. buurt codes of an old CBS year
}

// IndicatorDoc defines one indicator for the legend.
type IndicatorDoc struct {
	Name string // as in Cell.Indicator
	Doc  string // a full sentence
	K    int64  // threshold: counts 1..K-1 are withheld; below 2 nothing is
}

// KeyValue is one line of the Samenvatting sheet.
type KeyValue struct {
	Key, Value string
}

var gemeentecode = regexp.MustCompile(`^GM[0-9]{4}$`)

// GemeenteDir is the folder of one municipality's files in a run directory.
func GemeenteDir(dir, gm string) string { return filepath.Join(dir, gemeentenDir, gm) }

// WriteGemeente writes dir/gemeenten/<gm>/indicatoren.csv and
// indicatoren.xlsx with the cells whose Gemeentecode is gm; other
// municipalities' cells are left out, and the regio only appears in the
// XLSX summary, for comparison. naam is the municipality's name for the
// sheet titles. The CSV is for a Dutch spreadsheet: semicolons and a UTF-8
// byte order mark (the dashboard's CSV has neither).
func WriteGemeente(dir, gm, naam string, cells []aggregate.Cell, opts GemeenteOptions) error {
	if !gemeentecode.MatchString(gm) {
		return fmt.Errorf("gemeente %q: not a CBS gemeentecode (GMgggg)", gm)
	}
	base := GemeenteDir(dir, gm)
	if err := writeFile(filepath.Join(base, csvName), func(w *bufio.Writer) error {
		if _, err := w.WriteString(utf8BOM); err != nil {
			return err
		}
		return writeCSV(w, cells, gm, ';')
	}); err != nil {
		return err
	}
	return writeFile(filepath.Join(base, xlsxName), func(w *bufio.Writer) error {
		return writeXLSX(w, gm, naam, cells, opts)
	})
}
