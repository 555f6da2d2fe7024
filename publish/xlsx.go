package publish

import (
	"archive/zip"
	"bytes"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/ivz-twente/jeugd/aggregate"
)

// Fixed sheets of a municipality workbook. Legenda comes first so that it is
// what opens; then Samenvatting, then one sheet per indicator.
const (
	sheetLegenda      = "Legenda"
	sheetSamenvatting = "Samenvatting"
	maxSheetName      = 31 // Excel's limit
)

// Columns left of the period columns of an indicator sheet.
var areaHeader = []string{"gebiedsniveau", "gebiedscode", "gebiedsnaam"}

// Layout of an indicator sheet: one sheet per indicator (an uitsplitsing per
// sheet would need names like "feiten_gepleegd_door_minderjarigen
// leeftijdsklasse", far over Excel's 31 characters). Row 1 labels the blocks,
// row 2 holds the column headers; both stay frozen with the area columns.
const (
	headerRows = 2
	areaCols   = 3
)

// writeXLSX writes the municipality workbook for gm's cells.
func writeXLSX(w io.Writer, gm, naam string, cells []aggregate.Cell, opts GemeenteOptions) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	tables := pivot(cells, gm, opts.Indicators)
	names := sheetNames(tables)

	if err := f.SetSheetName(f.GetSheetName(0), sheetLegenda); err != nil {
		return err
	}
	if err := writeLegenda(f, st, gm, naam, tables, names, opts); err != nil {
		return err
	}
	if _, err := f.NewSheet(sheetSamenvatting); err != nil {
		return err
	}
	if err := writeSamenvatting(f, st, gm, naam, opts.Summary); err != nil {
		return err
	}
	mark := marker
	for i, t := range tables {
		if _, err := f.NewSheet(names[i]); err != nil {
			return err
		}
		if err := writeTable(f, st, names[i], t, mark); err != nil {
			return fmt.Errorf("sheet %s: %w", names[i], err)
		}
	}
	// Legenda, the renamed first sheet, is already active. SetActiveSheet
	// would parse every streamed sheet back into memory.
	buf, err := f.WriteToBuffer()
	if err != nil {
		return err
	}
	return sortZip(w, buf.Bytes())
}

// sortZip copies the zip in b to w with its entries in a fixed order.
// excelize writes streamed sheets in map order, so without this the same
// cells give a different file each run. The entries are copied compressed.
func sortZip(w io.Writer, b []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return err
	}
	files := slices.Clone(zr.File)
	// Descending, the order excelize uses for the parts it does not stream.
	slices.SortFunc(files, func(a, b *zip.File) int { return strings.Compare(b.Name, a.Name) })
	zw := zip.NewWriter(w)
	for _, f := range files {
		if err := zw.Copy(f); err != nil {
			return err
		}
	}
	return zw.Close()
}

// marker is what a withheld cell shows. Small cells and their complements
// share it on purpose: telling them apart would say which cells are small.
// It is not "<5": a complement can be any count.
const marker = "x"

type styles struct {
	title, bold, header, block, number, marker, wrap int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	border := []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}
	defs := []struct {
		id    *int
		style excelize.Style
	}{
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.bold, excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&s.header, excelize.Style{Font: &excelize.Font{Bold: true}, Border: border}},
		{&s.block, excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&s.number, excelize.Style{NumFmt: 3}}, // #,##0
		{&s.marker, excelize.Style{Alignment: &excelize.Alignment{Horizontal: "right"}}},
		{&s.wrap, excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.style)
		if err != nil {
			return s, err
		}
		*d.id = id
	}
	return s, nil
}

// table is one indicator's cells of a municipality, pivoted: areas down,
// blocks of periods across.
type table struct {
	indicator string
	areas     []area
	periods   []period
	blocks    []block
	grid      []value // len(areas) x len(blocks)*len(periods), row-major
}

type area struct{ niveau, code, naam, ouder string }

type period struct{ typ, periode string }

type block struct{ uitsplitsing, klasse string }

type value struct {
	n     int64
	state uint8 // absent, shown or suppressed
}

const (
	absent uint8 = iota
	shown
	suppressed
)

// pivot builds one table per indicator from gm's cells, in the order of
// docs, then any undocumented indicators by name.
func pivot(cells []aggregate.Cell, gm string, docs []IndicatorDoc) []*table {
	byInd := map[string][]int{}
	for i := range cells {
		if cells[i].Gemeentecode == gm {
			byInd[cells[i].Indicator] = append(byInd[cells[i].Indicator], i)
		}
	}
	var order []string
	for _, d := range docs {
		if _, ok := byInd[d.Name]; ok && !slices.Contains(order, d.Name) {
			order = append(order, d.Name)
		}
	}
	var rest []string
	for name := range byInd {
		if !slices.Contains(order, name) {
			rest = append(rest, name)
		}
	}
	slices.Sort(rest)
	order = append(order, rest...)

	tables := make([]*table, len(order))
	for i, name := range order {
		tables[i] = pivotOne(cells, byInd[name], name)
	}
	return tables
}

func pivotOne(cells []aggregate.Cell, idx []int, indicator string) *table {
	t := &table{indicator: indicator}
	areaAt := map[string]int{}
	periodAt := map[period]int{}
	blockAt := map[block]int{}
	for _, i := range idx {
		c := &cells[i]
		if _, ok := areaAt[c.Gebiedscode]; !ok {
			areaAt[c.Gebiedscode] = len(t.areas)
			t.areas = append(t.areas, area{c.Gebiedsniveau, c.Gebiedscode, c.Gebiedsnaam, c.Ouder})
		}
		p := period{c.Periodetype, c.Periode}
		if _, ok := periodAt[p]; !ok {
			periodAt[p] = len(t.periods)
			t.periods = append(t.periods, p)
		}
		b := block{c.Uitsplitsing, c.Klasse}
		if _, ok := blockAt[b]; !ok {
			blockAt[b] = len(t.blocks)
			t.blocks = append(t.blocks, b)
		}
	}
	t.areas = orderAreas(t.areas)
	slices.SortFunc(t.periods, func(a, b period) int {
		return cmp.Or(cmp.Compare(rank(aggregate.Periodetypes, a.typ), rank(aggregate.Periodetypes, b.typ)),
			cmp.Compare(a.typ, b.typ), cmp.Compare(a.periode, b.periode))
	})
	// Klassen keep the order in which the sorted cells bring them.
	slices.SortStableFunc(t.blocks, func(a, b block) int {
		return cmp.Or(cmp.Compare(rank(aggregate.Uitsplitsingen, a.uitsplitsing), rank(aggregate.Uitsplitsingen, b.uitsplitsing)),
			cmp.Compare(a.uitsplitsing, b.uitsplitsing))
	})
	for i, a := range t.areas {
		areaAt[a.code] = i
	}
	for i, p := range t.periods {
		periodAt[p] = i
	}
	for i, b := range t.blocks {
		blockAt[b] = i
	}
	width := len(t.blocks) * len(t.periods)
	t.grid = make([]value, len(t.areas)*width)
	for _, i := range idx {
		c := &cells[i]
		at := areaAt[c.Gebiedscode]*width +
			blockAt[block{c.Uitsplitsing, c.Klasse}]*len(t.periods) +
			periodAt[period{c.Periodetype, c.Periode}]
		if c.Onderdrukt {
			t.grid[at] = value{state: suppressed}
		} else {
			t.grid[at] = value{n: c.Waarde, state: shown}
		}
	}
	return t
}

// rank is s's position in order, or len(order) for values it does not know.
func rank(order []string, s string) int {
	if i := slices.Index(order, s); i >= 0 {
		return i
	}
	return len(order)
}

// orderAreas puts the gemeente first, then each wijk followed by its buurten,
// by code. The unknown wijk WKggggXX sorts after the real ones; a buurt
// whose wijk is not published comes last.
func orderAreas(areas []area) []area {
	slices.SortFunc(areas, func(a, b area) int {
		return cmp.Or(cmp.Compare(rank(aggregate.Niveaus, a.niveau), rank(aggregate.Niveaus, b.niveau)),
			cmp.Compare(a.niveau, b.niveau), cmp.Compare(a.code, b.code))
	})
	children := map[string][]area{}
	isWijk := map[string]bool{}
	for _, a := range areas {
		if a.niveau == "wijk" {
			isWijk[a.code] = true
		}
	}
	var out, rest []area
	for _, a := range areas {
		switch {
		case a.niveau == "gemeente" || a.niveau == "wijk":
			out = append(out, a)
		case a.niveau == "buurt" && isWijk[a.ouder]:
			children[a.ouder] = append(children[a.ouder], a)
		default:
			rest = append(rest, a)
		}
	}
	ordered := make([]area, 0, len(areas))
	for _, a := range out {
		ordered = append(ordered, a)
		ordered = append(ordered, children[a.code]...)
	}
	return append(ordered, rest...)
}

// sheetNames gives each table a sheet name that Excel accepts: at most 31
// characters, none of :\/?*[], unique regardless of case.
func sheetNames(tables []*table) []string {
	used := map[string]bool{strings.ToLower(sheetLegenda): true, strings.ToLower(sheetSamenvatting): true}
	names := make([]string, len(tables))
	for i, t := range tables {
		base := strings.Map(func(r rune) rune {
			if strings.ContainsRune(`:\/?*[]`, r) {
				return '_'
			}
			return r
		}, t.indicator)
		base = strings.Trim(base, "'")
		if base == "" {
			base = "indicator"
		}
		name := truncate(base, maxSheetName)
		for n := 2; used[strings.ToLower(name)]; n++ {
			suffix := "~" + strconv.Itoa(n)
			name = truncate(base, maxSheetName-len(suffix)) + suffix
		}
		used[strings.ToLower(name)] = true
		names[i] = name
	}
	return names
}

// truncate cuts s to at most n runes.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// writeTable streams one indicator sheet.
func writeTable(f *excelize.File, st styles, sheet string, t *table, mark string) error {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	ncols := areaCols + len(t.blocks)*len(t.periods)
	if err := layoutTable(sw, st, t, ncols); err != nil {
		return err
	}
	row := make([]any, ncols)
	if err := writeTableHeader(sw, st, t, row); err != nil {
		return err
	}
	// Data rows.
	width := ncols - areaCols
	var markCell any = excelize.Cell{StyleID: st.marker, Value: mark} // boxed once
	for ai, a := range t.areas {
		row[0], row[1], row[2] = Neutralise(a.niveau), Neutralise(a.code), Neutralise(a.naam)
		for j, v := range t.grid[ai*width : (ai+1)*width] {
			switch v.state {
			case shown:
				row[areaCols+j] = v.n
			case suppressed:
				row[areaCols+j] = markCell
			default:
				row[areaCols+j] = nil
			}
		}
		if err := sw.SetRow(cellName(1, headerRows+1+ai), row); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// layoutTable sets the column widths, the number style and the frozen
// panes of a table sheet.
func layoutTable(sw *excelize.StreamWriter, st styles, t *table, ncols int) error {
	naamWidth := 12.0
	for _, a := range t.areas {
		naamWidth = max(naamWidth, float64(utf8.RuneCountInString(a.naam))+2)
	}
	if err := sw.SetColWidth(1, 1, 14); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, 2, 13); err != nil {
		return err
	}
	if err := sw.SetColWidth(3, 3, min(naamWidth, 45)); err != nil {
		return err
	}
	if ncols > areaCols {
		if err := sw.SetColWidth(areaCols+1, ncols, 10); err != nil {
			return err
		}
		// A column style instead of a styled Cell per value saves boxing
		// a Cell for every number.
		if err := sw.SetColStyle(areaCols+1, ncols, st.number); err != nil {
			return err
		}
	}
	return sw.SetPanes(&excelize.Panes{
		Freeze: true, XSplit: areaCols, YSplit: headerRows,
		TopLeftCell: cellName(areaCols+1, headerRows+1), ActivePane: "bottomRight",
	})
}

// writeTableHeader writes row 1, the block labels merged over their
// periods, and row 2, the column headers. row is scratch of the table's
// width and is left cleared.
func writeTableHeader(sw *excelize.StreamWriter, st styles, t *table, row []any) error {
	row[0] = excelize.Cell{StyleID: st.block, Value: "indicator: " + Neutralise(t.indicator)}
	for bi, b := range t.blocks {
		col := areaCols + bi*len(t.periods)
		label := b.uitsplitsing
		if b.uitsplitsing != "totaal" || b.klasse != "totaal" {
			label = b.uitsplitsing + ": " + b.klasse
		}
		row[col] = excelize.Cell{StyleID: st.block, Value: Neutralise(label)}
		if len(t.periods) > 1 {
			if err := sw.MergeCell(cellName(col+1, 1), cellName(col+len(t.periods), 1)); err != nil {
				return err
			}
		}
	}
	if err := sw.SetRow("A1", row); err != nil {
		return err
	}
	clear(row)
	for i, h := range areaHeader {
		row[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	for bi := range t.blocks {
		for pi, p := range t.periods {
			row[areaCols+bi*len(t.periods)+pi] = excelize.Cell{StyleID: st.header, Value: Neutralise(p.periode)}
		}
	}
	err := sw.SetRow("A2", row)
	clear(row)
	return err
}

func cellName(col, row int) string {
	name, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		panic(err) // col and row come from our own layout, within Excel's limits
	}
	return name
}

// sheetWriter fills a small sheet line by line with text cells only, so
// nothing can become a formula.
type sheetWriter struct {
	f     *excelize.File
	sheet string
	row   int
	err   error
}

func (s *sheetWriter) line(style int, cells ...string) {
	s.row++
	for i, v := range cells {
		if s.err != nil || v == "" {
			continue
		}
		at := cellName(i+1, s.row)
		s.err = s.f.SetCellStr(s.sheet, at, Neutralise(v))
		if s.err == nil && style != 0 && i == 0 {
			s.err = s.f.SetCellStyle(s.sheet, at, at, style)
		}
	}
}

// num writes a key and a whole number.
func (s *sheetWriter) num(style int, key string, n int64) {
	s.line(style, key)
	if s.err == nil {
		s.err = s.f.SetCellInt(s.sheet, cellName(2, s.row), n)
	}
}

func writeLegenda(f *excelize.File, st styles, gm, naam string, tables []*table, names []string, opts GemeenteOptions) error {
	s := &sheetWriter{f: f, sheet: sheetLegenda}
	s.line(st.title, "Jeugdcijfers "+naam+" ("+gm+")")
	s.line(0)
	s.line(st.bold, "Tekens")
	s.line(st.bold, marker, "Onderdrukt: niet gepubliceerd. Het aantal is klein (1 tot de drempel van de indicator), of het is "+
		"weggelaten zodat zo'n klein aantal niet uit de andere cijfers is af te leiden. Beide krijgen bewust hetzelfde teken, "+
		"en het kan elk aantal zijn, ook 0.")
	s.line(st.bold, "(leeg)", "0: geen registraties in dit gebied, deze periode en deze klasse.")
	s.line(st.bold, "'", "Tekst die begint met = + - of @ krijgt een ' ervoor, zodat Excel die niet als formule leest.")
	s.line(0)
	s.line(st.bold, "Werkbladen")
	s.line(st.bold, sheetSamenvatting, "Gegevens van deze publicatie: run, perioden, bronnen met aantallen rijen, beleid en softwareversie.")
	docs := map[string]string{}
	for _, d := range opts.Indicators {
		docs[d.Name] = d.Doc
	}
	for i, t := range tables {
		doc := docs[t.indicator]
		if names[i] != t.indicator {
			doc = "Indicator " + t.indicator + ". " + doc
		}
		s.line(st.bold, names[i], doc)
	}
	s.line(0)
	s.line(st.bold, "Indeling")
	s.line(st.bold, "rijen", "Eerst de gemeente, dan elke wijk gevolgd door haar buurten, op CBS-code. "+
		"Registraties waarvan alleen de gemeente bekend is, staan onder wijk en buurt 'onbekend' (code eindigt op XX), onderaan.")
	s.line(st.bold, "kolommen", "Per blok de perioden: jaren, dan kwartalen (2025-K1), dan maanden (2025-03), elk in tijdsvolgorde. "+
		"Het eerste blok is het totaal; daarna volgt een blok per klasse van elke uitsplitsing (geslacht, leeftijdsklasse, categorie).")
	s.line(st.bold, "perioden", "Alleen afgesloten perioden worden gepubliceerd.")
	s.line(0)
	s.line(st.bold, "Bronnen")
	s.line(st.bold, "gebieden", "CBS, Wijk- en buurtkaart: gebiedscodes (GMgggg, WKggggww, BUggggwwbb) en gebiedsnamen.")
	s.line(st.bold, "registraties", "De leveranciers en hun aantallen rijen staan op het werkblad "+sheetSamenvatting+".")
	s.line(0)
	s.line(st.bold, "Privacy")
	s.line(st.bold, "beleid", "Alleen aantallen, nooit personen. Per indicator geldt een drempel k (zie de werkbladen hieronder): "+
		"aantallen van 1 tot k worden weggelaten, en waar cellen optellen tot een gepubliceerd totaal (buurten tot wijk, wijken "+
		"tot gemeente, maanden tot kwartaal en jaar, klassen tot totaal) zo nodig ook andere cellen. Voor elk weggelaten klein "+
		"aantal is bewezen dat het met alle gepubliceerde cijfers samen minstens k waarden kan hebben, 0 inbegrepen.")
	for _, d := range opts.Indicators {
		if d.K < 2 {
			s.line(st.bold, d.Name, "Zonder drempel gepubliceerd: dit zijn geen personen (zie docs/disclosure-control.md).")
		} else {
			s.line(st.bold, d.Name, fmt.Sprintf("drempel k = %d", d.K))
		}
	}
	if s.err != nil {
		return fmt.Errorf("sheet %s: %w", sheetLegenda, s.err)
	}
	if err := f.SetColWidth(sheetLegenda, "A", "A", 34); err != nil {
		return err
	}
	if err := f.SetColWidth(sheetLegenda, "B", "B", 100); err != nil {
		return err
	}
	last := cellName(2, s.row)
	return f.SetCellStyle(sheetLegenda, "B1", last, st.wrap)
}

// writeSamenvatting writes the run summary as key/value lines. Values that
// are whole numbers (row counts) are written as numbers.
func writeSamenvatting(f *excelize.File, st styles, gm, naam string, summary []KeyValue) error {
	s := &sheetWriter{f: f, sheet: sheetSamenvatting}
	s.line(st.title, "Samenvatting "+naam+" ("+gm+")")
	s.line(0)
	for _, kv := range summary {
		if n, ok := wholeNumber(kv.Value); ok {
			s.num(st.bold, kv.Key, n)
		} else {
			s.line(st.bold, kv.Key, kv.Value)
		}
	}
	if s.err != nil {
		return fmt.Errorf("sheet %s: %w", sheetSamenvatting, s.err)
	}
	if err := f.SetColWidth(sheetSamenvatting, "A", "A", 34); err != nil {
		return err
	}
	return f.SetColWidth(sheetSamenvatting, "B", "B", 80)
}

// wholeNumber accepts plain digits without a leading zero, so that codes and
// ids like "0147" stay text.
func wholeNumber(s string) (int64, bool) {
	if s == "" || len(s) > 15 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}
