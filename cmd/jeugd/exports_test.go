package main

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/ivz-twente/jeugd/schemas"
)

// header is the supplier header used for f: its first alias, so tests also
// exercise alias matching.
func header(f *schemas.Field) string {
	if len(f.Aliases) > 0 {
		return f.Aliases[0]
	}
	return f.Name
}

// override returns a replacement value for data row i (0-based) and field f.
type override func(i int, f *schemas.Field) (string, bool)

// writeCSV writes n valid rows of src, with override applied.
func writeCSV(t *testing.T, path string, src *schemas.Source, st csvStyle, n int, ov override) {
	t.Helper()
	var fields []*schemas.Field
	for i := range src.Fields {
		if src.Fields[i].Name != st.drop {
			fields = append(fields, &src.Fields[i])
		}
	}
	if st.reverse {
		slices.Reverse(fields)
	}
	var b strings.Builder
	line := func(cells []string) {
		for i, c := range cells {
			if i > 0 {
				b.WriteRune(st.comma)
			}
			if strings.ContainsRune(c, st.comma) || strings.ContainsRune(c, '"') {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			b.WriteString(c)
		}
		b.WriteString("\r\n")
	}
	var cells []string
	for _, f := range fields {
		h := header(f)
		if st.upper {
			h = strings.ToUpper(h)
		}
		cells = append(cells, h)
	}
	line(cells)
	for i := range n {
		cells = cells[:0]
		for _, f := range fields {
			v := fmt.Sprint(validValue(t, src, f, i, false))
			if ov != nil {
				if o, ok := ov(i, f); ok {
					v = o
				}
			}
			cells = append(cells, v)
		}
		line(cells)
	}
	data := []byte(b.String())
	if !st.utf8 {
		enc, err := charmap.Windows1252.NewEncoder().Bytes(data)
		if err != nil {
			t.Fatal(err)
		}
		data = enc
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// writeXLSX writes n rows of src to sheet Export under two title rows, with
// dates as Excel serial numbers and numbers as numbers. Data row bad
// (1-based; 0 for none) gets a text date that does not parse.
func writeXLSX(t *testing.T, path string, src *schemas.Source, n, bad int) {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	const sheet = "Export"
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	set := func(col, row int, v any) {
		cell, err := excelize.CoordinatesToCellName(col, row)
		if err != nil {
			t.Fatal(err)
		}
		if err := x.SetCellValue(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set(1, 1, "Export "+src.Name()+" (fictief)")
	set(1, 2, "Aangemaakt door het bronsysteem")
	for c := range src.Fields {
		f := &src.Fields[c]
		h := header(f)
		set(c+1, 3, strings.ToUpper(h[:1])+h[1:]) // a supplier's capitalisation
		for i := range n {
			var v any = validValue(t, src, f, i, true)
			if i+1 == bad && f.Name == src.Datum {
				v = "32-13-2025"
			}
			set(c+1, 4+i, v)
		}
	}
	if err := x.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// excelSerial is the Excel date number of d.
func excelSerial(d time.Time) int {
	return int(d.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

var validBSNs = []string{"123456782", "111222333", "100000009", "987654321", "192837465", "222333444", "246813579", "135792468", "314159265"}

// validValue is a value of field f that every reader accepts, for row i.
// In XLSX dates are serial numbers and numeric fields numbers.
func validValue(t *testing.T, src *schemas.Source, f *schemas.Field, i int, xlsx bool) any {
	t.Helper()
	var date time.Time
	switch f.Type {
	case schemas.TypeText:
		if strings.Contains(f.Name, "gemeente") {
			return "Borne"
		}
		if strings.Contains(f.Name, "buurtcode") {
			return "BU01470001"
		}
		return fmt.Sprintf("Tekst %d ë", i) // ë is 0xEB in Windows-1252
	case schemas.TypeInt:
		if xlsx {
			return i + 1
		}
		return fmt.Sprint(i + 1)
	case schemas.TypeDecimal:
		if strings.HasSuffix(f.Name, "_y") {
			return "482000,5"
		}
		return "250100,25"
	case schemas.TypePostcode:
		return fmt.Sprintf("7621 A%c", 'A'+i%26)
	case schemas.TypeHuisnummer:
		if xlsx {
			return 10 + i
		}
		return fmt.Sprint(10+i, "a")
	case schemas.TypeBSN:
		return validBSNs[i%len(validBSNs)]
	case schemas.TypeCode:
		keys := make([]string, 0, len(f.Codes))
		for k := range f.Codes {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if len(keys) == 0 {
			t.Fatalf("%s: code field %s has no codes", src.Name(), f.Name)
		}
		k := keys[i%len(keys)]
		if _, ok := f.Code(k); ok {
			return k
		}
		return f.Codes[k][0]
	case schemas.TypeDate:
		if f.Name == src.Datum {
			date = time.Date(2025, 3, 1+i, 0, 0, 0, 0, time.UTC)
		} else if strings.Contains(f.Name, "geboorte") {
			date = time.Date(2010, 5, 1+i, 0, 0, 0, 0, time.UTC)
		} else {
			date = time.Date(2025, 4, 1+i, 0, 0, 0, 0, time.UTC)
		}
		if xlsx {
			return excelSerial(date)
		}
		return date.Format("02-01-2006")
	}
	t.Fatalf("%s: field %s has type %q the test does not know", src.Name(), f.Name, f.Type)
	return nil
}
