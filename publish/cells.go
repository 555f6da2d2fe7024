package publish

import (
	"io"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/xuri/excelize/v2"

	"github.com/ivz-twente/jeugd/aggregate"
)

// WriteCellsCSV writes cells in the layout of indicatoren.csv to w. The
// analysts' commands use it for ad-hoc answers.
func WriteCellsCSV(w io.Writer, cells []aggregate.Cell) error { return writeCSV(w, cells, "", ',') }

// WriteCellsParquet writes cells in the layout of indicatoren.parquet to w.
func WriteCellsParquet(w io.Writer, cells []aggregate.Cell) error {
	return writeParquet(w, cells, memory.DefaultAllocator)
}

// WriteCellsXLSX writes cells as one flat sheet with the columns of
// indicatoren.csv and a legend line; suppressed cells show the marker.
func WriteCellsXLSX(w io.Writer, cells []aggregate.Cell) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "indicatoren"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	header := make([]any, len(Columns))
	for i, c := range Columns {
		header[i] = c
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	mark := marker
	for i := range cells {
		c := &cells[i]
		var v any = c.Waarde
		if c.Onderdrukt {
			v = mark
		}
		row := []any{Neutralise(c.Indicator), Neutralise(c.Gebiedsniveau), Neutralise(c.Gebiedscode), Neutralise(c.Gebiedsnaam),
			Neutralise(c.Gemeentecode), Neutralise(c.Periodetype), Neutralise(c.Periode), Neutralise(c.Uitsplitsing),
			Neutralise(c.Klasse), v, c.Onderdrukt}
		if err := sw.SetRow(cellName(1, i+2), row); err != nil {
			return err
		}
	}
	legend := mark + " = onderdrukt: een klein aantal, of weggelaten zodat een klein aantal niet af te leiden is; het kan elk aantal zijn, ook 0"

	if err := sw.SetRow(cellName(1, len(cells)+3), []any{legend}); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
