package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/ivz-twente/jeugd/internal/quarantine"
	"github.com/ivz-twente/jeugd/schemas"
)

// scannedSheet is what a sheet scanner yields: row numbers and cells.
type scannedSheet struct {
	Rows  []int
	Cells [][]string
}

// scanSheet reads all rows of sheet XML, stopping at the first error.
func scanSheet(r io.Reader, sst []string) (scannedSheet, error) {
	var got scannedSheet
	sc := newSheetScanner(r, sst)
	for {
		cells, row, err := sc.Next()
		if errors.Is(err, io.EOF) {
			return got, nil
		}
		if err != nil {
			return got, err
		}
		got.Rows = append(got.Rows, row)
		got.Cells = append(got.Cells, append([]string{}, cells...))
	}
}

func sheetXML(rows string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:F9"/><sheetData>` +
		rows + `</sheetData><pageMargins left="0.7"/></worksheet>`
}

var testSST = []string{"Registratienummer", "Datum", "Dé Vries & Zn", ""}

func TestSheetScanner(t *testing.T) {
	tests := []struct {
		name string
		rows string
		want scannedSheet
	}{
		{"inline and shared strings",
			`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v> 1 </v></c><c r="C1" t="inlineStr"><is><t>PL &amp; &lt;x&gt; &#233;&#x20AC;</t></is></c></row>`,
			scannedSheet{[]int{1}, [][]string{{"Registratienummer", "Datum", "PL & <x> é€"}}}},
		{"sparse columns A, C, F",
			`<row r="2"><c r="A2"><v>1</v></c><c r="C2" t="s"><v>2</v></c><c r="F2" t="inlineStr"><is><t>z</t></is></c></row>`,
			scannedSheet{[]int{2}, [][]string{{"1", "", "Dé Vries & Zn", "", "", "z"}}}},
		{"types kept raw: date serial, boolean, error, formula string",
			`<row r="3"><c r="A3" s="1"><v>45122</v></c><c r="B3" t="b"><v>1</v></c><c r="C3" t="e"><v>#N/A</v></c><c r="D3" t="str"><f>A1&amp;"x"</f><v>PLx</v></c><c r="E3" t="n"><v>257000.5</v></c></row>`,
			scannedSheet{[]int{3}, [][]string{{"45122", "1", "#N/A", "PLx", "257000.5"}}}},
		{"rich text, xml:space and phonetic runs",
			`<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><b/></rPr><t>Jan</t></r><r><t xml:space="preserve"> de </t></r><r><t>Boer</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></is></c></row>`,
			scannedSheet{[]int{1}, [][]string{{"Jan de Boer"}}}},
		{"newlines, CDATA, comments and _xHHHH_ escapes",
			`<row r="1"><c r="A1" t="inlineStr"><is><t>a&#13;&#10;b` + "\r\nc\rd" + `</t></is></c><c r="B1"><v><![CDATA[<1>]]><!-- no --></v></c><c r="C1" t="inlineStr"><is><t>tab_x0009_ und_x005F_x0041_ gone_xD800_</t></is></c></row>`,
			scannedSheet{[]int{1}, [][]string{{"a\r\nb\nc\nd", "<1>", "tab\t und_x0041_ gone"}}}},
		{"rows without r follow on; gaps keep Excel numbers",
			`<row><c><v>a</v></c><c><v>b</v></c></row><row><c><v>c</v></c></row><row r="10"><c r="B10"><v>d</v></c></row><row><c><v>e</v></c></row>`,
			scannedSheet{[]int{1, 2, 10, 11}, [][]string{{"a", "b"}, {"c"}, {"", "d"}, {"e"}}}},
		{"a row number going back still increases",
			`<row r="5"><c r="A5"><v>a</v></c></row><row r="3"><c r="A3"><v>b</v></c></row>`,
			scannedSheet{[]int{5, 6}, [][]string{{"a"}, {"b"}}}},
		{"empty cells and rows; an empty formula result is kept",
			`<row r="1" spans="1:3"/><row r="2"><c r="A2"/><c r="B2" s="3"></c><c r="C2"><f>A1</f><v></v></c><c r="D2" t="s"/></row><row r="3"><c r="C3" t="s"><v>3</v></c></row>`,
			scannedSheet{[]int{1, 2, 3}, [][]string{{}, {"", "", ""}, {}}}},
		{"namespace prefixes and odd spacing",
			`<x:row r = '4' ><x:c r="B4" t = "inlineStr" ><x:is><x:t>y</x:t></x:is></x:c ><x:c r="C4"><x:v>2</x:v><x:extLst><x:ext><x:v>no</x:v></x:ext></x:extLst></x:c></x:row >`,
			scannedSheet{[]int{4}, [][]string{{"", "y", "2"}}}},
		{"cells out of order are appended",
			`<row r="1"><c r="C1"><v>c</v></c><c r="A1"><v>a</v></c></row>`,
			scannedSheet{[]int{1}, [][]string{{"", "", "c", "a"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, wrap := range []func(io.Reader) io.Reader{func(r io.Reader) io.Reader { return r }, iotest.OneByteReader, iotest.HalfReader} {
				got, err := scanSheet(wrap(strings.NewReader(sheetXML(tt.rows))), testSST)
				if err != nil {
					t.Fatalf("scan: %v", err)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestSheetScannerErrors(t *testing.T) {
	secret := "Zqwx99vaar"
	tests := []struct {
		name, xml string
		want      error
	}{
		{"shared index out of range", sheetXML(`<row r="1"><c t="s"><v>4</v></c></row>`), errSharedIndex},
		{"shared index not a number", sheetXML(`<row r="1"><c t="s"><v>` + secret + `</v></c></row>`), errSharedIndex},
		{"column past XFD", sheetXML(`<row r="1"><c r="XFE1"><v>1</v></c></row>`), errCellRef},
		{"too many columns", sheetXML(`<row r="1">` + strings.Repeat(`<c><v>1</v></c>`, xlsxMaxCols+1) + `</row>`), errTooManyCols},
		{"bad cell reference", sheetXML(`<row r="1"><c r="` + secret + `"><v>1</v></c></row>`), errCellRef},
		{"row past the last", sheetXML(`<row r="1048577"><c><v>1</v></c></row>`), errRowRef},
		{"bad row number", sheetXML(`<row r="x1"/>`), errRowRef},
		{"unknown entity", sheetXML(`<row r="1"><c t="inlineStr"><is><t>` + secret + `&nbsp;</t></is></c></row>`), errXMLEntity},
		{"invalid character reference", sheetXML(`<row r="1"><c><v>&#0;</v></c></row>`), errXMLEntity},
		{"document type", `<!DOCTYPE x [<!ENTITY a "b">]>` + sheetXML(""), errXMLDocType},
		{"cut off in a cell", sheetXML(`<row r="1"><c t="inlineStr"><is><t>` + secret)[:200], errXMLEOF},
		{"cut off in a tag", `<worksheet><sheetData><row r="1"><c r="A1`, errXMLEOF},
		{"not UTF-8", sheetXML("<row r=\"1\"><c t=\"inlineStr\"><is><t>caf\xe9</t></is></c></row>"), errBadUTF8},
		{"text too long", sheetXML(`<row r="1"><c><v>` + strings.Repeat("x", xlsxMaxRowBytes+1) + `</v></c></row>`), errTextTooLong},
		{"tag too long", sheetXML(`<row r="1"><c a="` + strings.Repeat("x", xlsxMaxTagBytes+1) + `"/></row>`), errTagTooLong},
		{"empty tag", sheetXML(`<row r="1"><></row>`), errXMLSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scanSheet(strings.NewReader(tt.xml), testSST)
			if !errors.Is(err, tt.want) {
				t.Errorf("scan = %v; want %v", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), secret) {
				t.Errorf("error %q quotes the sheet", err)
			}
		})
	}
}

func TestReadSharedStrings(t *testing.T) {
	in := `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="6" uniqueCount="6">` +
		`<si><t>plain</t></si>` +
		`<si><t xml:space="preserve">  spaced  </t></si>` +
		`<si><r><t>rich </t></r><r><rPr><i/><sz val="11"/></rPr><t>text</t></r><rPh><t>x</t></rPh><phoneticPr fontId="1"/></si>` +
		`<si/>` +
		`<si><t>&quot;a&apos; &amp;&#x1F600;_x000A_</t></si>` +
		`<si><t></t></si>` +
		`</sst>`
	got, err := readSharedStrings(iotest.OneByteReader(strings.NewReader(in)), 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"plain", "  spaced  ", "rich text", "", "\"a' &😀\n", ""}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := readSharedStrings(strings.NewReader(in), 5); err == nil {
		t.Error("readSharedStrings with 6 strings and a cap of 5 succeeded")
	}
}

// zipParts builds a zip from name, content pairs, in order.
func zipParts(t testing.TB, parts ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i := 0; i < len(parts); i += 2 {
		w, err := zw.Create(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, parts[i+1])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const (
	testRootRels = `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`
	testWorkbook = `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
		`<sheets><sheet name="Toelichting" sheetId="3" r:id="rId3"/><sheet name="Grafiek" sheetId="4" r:id="rId4"/><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`
	testWorkbookRels = `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
		`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet3.xml"/>` +
		`<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet" Target="chartsheets/sheet1.xml"/>` +
		`<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`
	testShared = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
		`<si><t>Registratienummer</t></si><si><r><t>Da</t></r><r><rPr><b/></rPr><t>tum</t></r></si><si><t xml:space="preserve">PL 2 </t></si><si><t>Omschrijving</t></si></sst>`
)

// TestXLSXWorkbook reads a hand-built workbook: sheets listed in workbook
// order (not part order) without the chart sheet, a sheet chosen by name,
// inline and rich shared strings, sparse columns, date serials and booleans.
func TestXLSXWorkbook(t *testing.T) {
	data := zipParts(t,
		"_rels/.rels", testRootRels,
		"xl/workbook.xml", testWorkbook,
		"xl/_rels/workbook.xml.rels", testWorkbookRels,
		"xl/sharedStrings.xml", testShared,
		"xl/worksheets/sheet1.xml", sheetXML(`<row r="2"><c r="A2" t="s"><v>0</v></c><c r="C2" t="s"><v>1</v></c><c r="F2" t="s"><v>3</v></c></row>`+
			`<row r="3"><c r="A3" t="inlineStr"><is><t>PL1</t></is></c><c r="C3" s="1"><v>45122</v></c><c r="F3" t="b"><v>1</v></c></row>`+
			`<row r="5"><c r="A5" t="s"><v>2</v></c><c r="C5"><v>45000.5</v></c><c r="F5" t="b"><v>0</v></c></row>`),
		"xl/worksheets/sheet3.xml", sheetXML(`<row r="1"><c r="A1" t="inlineStr"><is><t>Lees mij</t></is></c></row>`),
	)
	path := filepath.Join(t.TempDir(), "book.xlsx")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	book, err := openXLSX(nil, path)
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	if diff := cmp.Diff([]string{"Toelichting", "Data"}, book.Sheets()); diff != "" {
		t.Errorf("Sheets() (-want +got):\n%s", diff)
	}
	rs, err := book.Rows("data")
	if err != nil {
		t.Fatal(err)
	}
	var got scannedSheet
	for {
		cells, at, err := rs.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got.Rows = append(got.Rows, at.Row)
		got.Cells = append(got.Cells, append([]string{}, cells...))
	}
	rs.Close()
	want := scannedSheet{[]int{2, 3, 5}, [][]string{
		{"Registratienummer", "", "Datum", "", "", "Omschrijving"},
		{"PL1", "", "45122", "", "", "1"},
		{"PL 2 ", "", "45000.5", "", "", "0"},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Rows(data) (-want +got):\n%s", diff)
	}
	if _, err := book.Rows("Grafiek"); !errors.Is(err, ErrNoHeader) {
		t.Errorf("Rows(Grafiek) = %v; want ErrNoHeader for a chart sheet", err)
	}

	// Through the Reader: the header is found on the named sheet, the
	// serials become dates and the booleans stay 0 and 1.
	src := schemas.Builtin().Source("politie-incidenten")
	var q quarantine.Sink
	r, err := newReader(context.Background(), bytes.NewReader(data), "", src, Options{Sheet: "DATA", Quarantine: &q})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Release()
	out := readAll(t, r, &q)
	for _, s := range []string{`"_rij":3,`, `"pleegdatum":"2023-07-15"`, `"registratienummer":"PL1"`, `"_rij":5,`, `"pleegdatum":"2023-03-15"`, `"registratienummer":"PL 2"`, `"incidentomschrijving":"0"`} {
		if !strings.Contains(out, s) {
			t.Errorf("Reader output lacks %s:\n%s", s, out)
		}
	}
}

// TestXLSXLimits fails workbooks whose parts unpack past the caps, going
// by the sizes the zip declares and by what the parts really hold.
func TestXLSXLimits(t *testing.T) {
	raw := func(name string, declared uint64, content string) []byte {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		for _, p := range [][2]string{{"_rels/.rels", testRootRels}, {"xl/workbook.xml", testWorkbook}, {"xl/_rels/workbook.xml.rels", testWorkbookRels}} {
			w, _ := zw.Create(p[0])
			io.WriteString(w, p[1])
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Store, UncompressedSize64: declared, CompressedSize64: uint64(len(content))})
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, content)
		zw.Close()
		return b.Bytes()
	}
	sheet := sheetXML(`<row r="1"><c r="A1" t="inlineStr"><is><t>Registratienummer</t></is></c><c r="B1"><v>1</v></c></row>`)
	tests := []struct {
		name string
		data []byte
	}{
		{"sheet declared larger than the workbook cap", raw("xl/worksheets/sheet1.xml", xlsxUnzipLimit+1, sheet)},
		{"shared strings declared larger than their cap", raw("xl/sharedStrings.xml", xlsxSharedLimit+1, testShared)},
		{"sheet holding more than it declares", raw("xl/worksheets/sheet1.xml", 10, sheet)},
	}
	src := schemas.Builtin().Source("politie-incidenten")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := newReader(context.Background(), bytes.NewReader(tt.data), "", src, Options{Sheet: "Data"})
			if err == nil {
				r.Release()
			}
			if !errors.Is(err, ErrUnreadable) {
				t.Errorf("newReader = %v; want ErrUnreadable", err)
			}
		})
	}
}

// FuzzXLSXSheet feeds arbitrary XML to the sheet and shared string
// scanners. They must not panic, must keep their limits and, on a well-formed sheet it accepts, must
// give the rows excelize (which the reader used before) gives.
func FuzzXLSXSheet(f *testing.F) {
	f.Add(sheetXML(`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>a&amp;b</t></is></c></row>`))
	f.Add(sheetXML(`<row><c><v>1</v></c><c t="b"><v>0</v></c></row><row r="7"><c r="AA7" t="e"><v>#REF!</v></c></row>`))
	f.Add(sheetXML(`<row r="2"><c r="B2" t="inlineStr"><is><r><t>x</t></r><r><rPr/><t xml:space="preserve"> y </t></r><rPh><t>z</t></rPh></is></c></row>`))
	f.Add(sheetXML(`<row r="1"><c r="A1"><f>SUM(B1)</f><v></v></c><c r="B1" t="str"><v><![CDATA[<&>]]></v></c><!-- c --></row>`))
	f.Add(sheetXML(`<x:row r="3"><x:c r="D3" t="inlineStr"><x:is><x:t>_x000D_a&#13;` + "\r\n" + `b</x:t></x:is></x:c></x:row>`))
	f.Add(`<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row>`)
	f.Add(`<sst><si><r><t>a</t></r><r><t>b_x005F_</t></r></si><si/></sst>`)
	f.Fuzz(func(t *testing.T, sheet string) {
		// The shared strings go through the same tokenizer.
		if sst, err := readSharedStrings(strings.NewReader(sheet), 100); err == nil && len(sst) > 100 {
			t.Fatalf("%d shared strings past a cap of 100", len(sst))
		}
		got, err := scanSheet(strings.NewReader(sheet), testSST)
		last := 0
		for i, row := range got.Rows {
			if row <= last || row > xlsxMaxRows || len(got.Cells[i]) > xlsxMaxCols {
				t.Fatalf("row %d after %d with %d cells", row, last, len(got.Cells[i]))
			}
			last = row
		}
		if err != nil || !wellFormed(sheet) {
			return
		}
		want, ok := excelizeRows(t, sheet)
		if !ok {
			return
		}
		if diff := cmp.Diff(want, nonBlank(got)); diff != "" {
			t.Fatalf("differs from excelize (-excelize +scanner):\n%s", diff)
		}
	})
}

// wellFormed reports whether encoding/xml reads s to the end.
func wellFormed(s string) bool {
	d := xml.NewDecoder(strings.NewReader(s))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return true
		}
		if err != nil {
			return false
		}
	}
}

func nonBlank(s scannedSheet) scannedSheet {
	var out scannedSheet
	for i, cells := range s.Cells {
		if !blank(cells) {
			out.Rows = append(out.Rows, s.Rows[i])
			out.Cells = append(out.Cells, cells)
		}
	}
	return out
}

// excelizeRows reads sheet the way the reader did before it had its own
// scanner; ok is false when excelize fails.
func excelizeRows(t *testing.T, sheet string) (got scannedSheet, ok bool) {
	var sst strings.Builder
	sst.WriteString(`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	for _, s := range testSST {
		sst.WriteString("<si><t>")
		xml.EscapeText(&sst, []byte(s))
		sst.WriteString("</t></si>")
	}
	sst.WriteString("</sst>")
	data := zipParts(t,
		"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>`,
		"_rels/.rels", testRootRels,
		"xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels", testWorkbookRels,
		"xl/sharedStrings.xml", sst.String(),
		"xl/worksheets/sheet1.xml", sheet,
	)
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true})
	if err != nil {
		return got, false
	}
	defer f.Close()
	rows, err := f.Rows("Data")
	if err != nil {
		return got, false
	}
	defer rows.Close()
	for n := 1; rows.Next(); n++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return got, false
		}
		if !blank(cells) {
			got.Rows = append(got.Rows, n)
			got.Cells = append(got.Cells, cells)
		}
	}
	return got, rows.Error() == nil
}

// BenchmarkSheetScanner measures the scanner alone on the sheet XML of the
// BenchmarkReadXLSX workbook, already unzipped.
func BenchmarkSheetScanner(b *testing.B) {
	const n = 20000
	path := filepath.Join(b.TempDir(), "bench.xlsx")
	writeXLSX(b, path, []string{"Export"}, benchRows(n))
	zr, err := zip.OpenReader(path)
	if err != nil {
		b.Fatal(err)
	}
	defer zr.Close()
	rc, err := zr.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		b.Fatal(err)
	}
	sheet, err := io.ReadAll(rc)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(sheet)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		sc := newSheetScanner(bytes.NewReader(sheet), nil)
		rows := 0
		for {
			_, _, err := sc.Next()
			if err != nil {
				if !errors.Is(err, io.EOF) {
					b.Fatal(err)
				}
				break
			}
			rows++
		}
		if rows != n+2 {
			b.Fatalf("%d rows; want %d", rows, n+2)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}
