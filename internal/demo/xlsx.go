package demo

import (
	"fmt"
	"math"
	"os"

	"github.com/xuri/excelize/v2"
)

type xlsxWriter struct {
	g         *gen
	o         *output
	path      string
	f         *excelize.File
	sw        *excelize.StreamWriter
	next      int // next sheet row
	dateStyle int
	vals      []any
	scr       []byte
	rng       stream
}

func newXLSXWriter(path string, g *gen, o *output, headers []string, titles int) (*xlsxWriter, error) {
	f := excelize.NewFile()
	sheet := "Export"
	if o.sp.kind == kHalt {
		sheet = "Verwijzingen"
	}
	x := &xlsxWriter{g: g, o: o, path: path, f: f, next: 1, rng: newStream(g.seed, saltFile, uint64(o.sp.kind)<<8|uint64(o.cur)+200)}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		f.Close()
		return nil, err
	}
	numFmt := "dd-mm-yyyy"
	var err error
	if x.dateStyle, err = f.NewStyle(&excelize.Style{CustomNumFmt: &numFmt}); err != nil {
		f.Close()
		return nil, err
	}
	if x.sw, err = f.NewStreamWriter(sheet); err != nil {
		f.Close()
		return nil, err
	}
	if titles > 0 {
		// The second title declares the months the export covers.
		from, to := dayTime(g.start), dayTime(g.today-1)
		period := fmt.Sprintf("Periode: %s %d t/m %s %d (peildatum %s)", maandNamen[from.Month()-1], from.Year(),
			maandNamen[to.Month()-1], to.Year(), g.todayText)
		rows := [][]any{{"Halt Nederland - verwijzingen regio Twente"}, {period}}
		for _, t := range rows[:titles] {
			if err := x.setRow(t); err != nil {
				f.Close()
				return nil, err
			}
		}
	}
	hv := make([]any, len(headers))
	for i, h := range headers {
		hv[i] = h
	}
	if err := x.setRow(hv); err != nil {
		f.Close()
		return nil, err
	}
	return x, nil
}

func (x *xlsxWriter) setRow(v []any) error {
	name, err := excelize.CoordinatesToCellName(1, x.next)
	if err != nil {
		return err
	}
	x.next++
	return x.sw.SetRow(name, v)
}

func (x *xlsxWriter) writeRow(r *row) error {
	x.vals = x.vals[:0]
	for _, s := range x.o.cols {
		cl := &r.c[s]
		var v any
		switch cl.kind {
		case cEmpty:
		case cDate:
			df := cl.df
			if df == dfFile && x.g.messy && x.rng.intn(25) == 0 {
				df = dfShort // typed in as text
			}
			if df == dfFile || df == dfSerial {
				v = excelize.Cell{StyleID: x.dateStyle, Value: float64(cl.d) + excelEpochOffset}
			} else {
				v = string(appendDate(nil, cl.d, df))
			}
		case cInt:
			v = cl.n
		case cDec:
			v = float64(cl.n) / math.Pow10(int(cl.prec))
		default:
			x.scr = r.text(x.scr[:0], cl, false)
			if x.g.canary && canarySlots[s] {
				x.g.record(x.scr)
			}
			v = string(x.scr)
		}
		x.vals = append(x.vals, v)
	}
	return x.setRow(x.vals)
}

// excelEpochOffset is the Excel serial of 1970-01-01.
const excelEpochOffset = 25569

func (x *xlsxWriter) close() error {
	err := x.sw.Flush()
	if err == nil {
		err = x.save()
	}
	if cerr := x.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// save writes the workbook owner-only; excelize's SaveAs would create it
// world-readable.
func (x *xlsxWriter) save() error {
	f, err := createExport(x.path)
	if err != nil {
		return err
	}
	if _, err := x.f.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// createExport creates an inbox file owner-only: exports hold personal
// data (fictional here, but handled like the real thing).
func createExport(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
}
