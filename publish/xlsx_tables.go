package publish

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/ivz-twente/jeugd/aggregate"
)

// table is one sheet of a municipality workbook: one indicator's cells of
// one period type, either the totals (rows: the gemeente, its wijken and
// buurten) or the breakdowns (rows: area, uitsplitsing and klasse), with the
// periods across. A table with more periods than fit in MaxSheetColumns is
// written in long form: one row per area and period.
type table struct {
	indicator   string
	periodetype string
	breakdown   bool
	rows        []row
	periods     []string // in time order
	grid        []value  // len(rows) x len(periods), row-major
}

// row is one line of a table.
type row struct {
	area
	uitsplitsing, klasse string
}

type area struct{ niveau, code, naam, ouder string }

type value struct {
	n     int64
	state uint8 // absent, shown, suppressed or geen
}

const (
	absent uint8 = iota
	shown
	suppressed
	geen // geen gegevens: a period a source does not cover, no figure at all
)

// geenMarker is what a cell without figures shows.
const geenMarker = "–"

// valueOf is what a cell shows; the Waarde of a withheld cell or one
// without figures is never read.
func valueOf(c *aggregate.Cell) value {
	switch {
	case c.GeenGegevens:
		return value{state: geen}
	case c.Onderdrukt:
		return value{state: suppressed}
	}
	return value{n: c.Waarde, state: shown}
}

// fixedColumns are the columns left of the periods.
func (t *table) fixedColumns() []string {
	if t.breakdown {
		return []string{"gebiedsniveau", "gebiedscode", "gebiedsnaam", "uitsplitsing", "klasse"}
	}
	return []string{"gebiedsniveau", "gebiedscode", "gebiedsnaam"}
}

// long says whether the periods do not fit across.
func (t *table) long() bool {
	return len(t.fixedColumns())+len(t.periods) > MaxSheetColumns
}

// baseName is the table's sheet name before Excel's limits are applied:
// "minderjarige_daders jaar", "minderjarige_daders klassen".
func (t *table) baseName() string {
	switch {
	case !t.breakdown:
		return t.indicator + " " + t.periodetype
	case t.periodetype == "jaar":
		return t.indicator + " klassen"
	}
	return t.indicator + " klassen " + t.periodetype
}

// tableKey groups the cells of one sheet.
type tableKey struct {
	indicator, periodetype string
	breakdown              bool
}

// buildTables builds gm's sheets: per indicator (in the order of docs, then
// any others by name) its totals per period type (jaar, kwartaal, maand),
// then its breakdowns.
func buildTables(cells []aggregate.Cell, gm string, docs []IndicatorDoc) []*table {
	groups := map[tableKey][]int{}
	for i := range cells {
		c := &cells[i]
		if c.Gemeentecode == gm {
			k := tableKey{c.Indicator, c.Periodetype, c.Uitsplitsing != "totaal"}
			groups[k] = append(groups[k], i)
		}
	}
	docRank := map[string]int{}
	for i, d := range docs {
		if _, ok := docRank[d.Name]; !ok {
			docRank[d.Name] = i
		}
	}
	indRank := func(name string) int {
		if r, ok := docRank[name]; ok {
			return r
		}
		return len(docs)
	}
	keys := slices.Collect(maps.Keys(groups))
	slices.SortFunc(keys, func(a, b tableKey) int {
		return cmp.Or(cmp.Compare(indRank(a.indicator), indRank(b.indicator)), cmp.Compare(a.indicator, b.indicator),
			cmp.Compare(b2i(a.breakdown), b2i(b.breakdown)),
			cmp.Compare(rank(aggregate.Periodetypes, a.periodetype), rank(aggregate.Periodetypes, b.periodetype)),
			cmp.Compare(a.periodetype, b.periodetype))
	})
	tables := make([]*table, len(keys))
	for i, k := range keys {
		tables[i] = buildTable(cells, groups[k], k)
	}
	return tables
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// buildTable pivots the cells idx of one sheet.
func buildTable(cells []aggregate.Cell, idx []int, k tableKey) *table {
	t := &table{indicator: k.indicator, periodetype: k.periodetype, breakdown: k.breakdown}
	areaOf := map[string]area{}
	rowSeen := map[row]bool{}
	periodSeen := map[string]bool{}
	for _, i := range idx {
		c := &cells[i]
		a := area{c.Gebiedsniveau, c.Gebiedscode, c.Gebiedsnaam, c.Ouder}
		areaOf[a.code] = a
		if r := (row{a, c.Uitsplitsing, c.Klasse}); !rowSeen[r] {
			rowSeen[r] = true
			t.rows = append(t.rows, r)
		}
		if !periodSeen[c.Periode] {
			periodSeen[c.Periode] = true
			t.periods = append(t.periods, c.Periode)
		}
	}
	slices.Sort(t.periods) // 2025, 2025-K1 and 2025-03 each sort in time order
	areaAt := map[string]int{}
	for i, a := range orderAreas(slices.Collect(maps.Values(areaOf))) {
		areaAt[a.code] = i
	}
	slices.SortFunc(t.rows, func(a, b row) int {
		return cmp.Or(cmp.Compare(areaAt[a.code], areaAt[b.code]),
			cmp.Compare(rank(aggregate.Uitsplitsingen, a.uitsplitsing), rank(aggregate.Uitsplitsingen, b.uitsplitsing)),
			cmp.Compare(a.uitsplitsing, b.uitsplitsing), CompareKlasse(a.klasse, b.klasse))
	})
	rowAt := make(map[row]int, len(t.rows))
	for i, r := range t.rows {
		rowAt[r] = i
	}
	periodAt := make(map[string]int, len(t.periods))
	for i, p := range t.periods {
		periodAt[p] = i
	}
	t.grid = make([]value, len(t.rows)*len(t.periods))
	for _, i := range idx {
		c := &cells[i]
		at := rowAt[row{area{c.Gebiedsniveau, c.Gebiedscode, c.Gebiedsnaam, c.Ouder}, c.Uitsplitsing, c.Klasse}]*len(t.periods) + periodAt[c.Periode]
		t.grid[at] = valueOf(c)
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
	bases := make([]string, len(tables))
	for i, t := range tables {
		bases[i] = t.baseName()
	}
	return excelNames(bases)
}

func excelNames(bases []string) []string {
	used := map[string]bool{strings.ToLower(sheetLegenda): true, strings.ToLower(sheetSamenvatting): true}
	names := make([]string, len(bases))
	for i, b := range bases {
		base := strings.Map(func(r rune) rune {
			if strings.ContainsRune(`:\/?*[]`, r) {
				return '_'
			}
			return r
		}, b)
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

// writeTable streams one table sheet: a title line, the column headers,
// then the rows; the headers and the fixed columns stay frozen.
func writeTable(f *excelize.File, st styles, sheet string, t *table) error {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	fixed := t.fixedColumns()
	header := slices.Clone(fixed)
	if t.long() {
		header = append(header, "periode", "waarde")
	} else {
		header = append(header, t.periods...)
	}
	if err := layoutTable(sw, st, t, len(fixed), len(header)); err != nil {
		return err
	}
	title := "indicator: " + t.indicator + ", per " + t.periodetype
	if t.breakdown {
		title += ", per klasse van elke uitsplitsing"
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: st.block, Value: Neutralise(title)}}); err != nil {
		return err
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{StyleID: st.header, Value: Neutralise(h)}
	}
	if err := sw.SetRow("A2", cells); err != nil {
		return err
	}
	var markCell any = excelize.Cell{StyleID: st.marker, Value: marker} // boxed once
	var geenCell any = excelize.Cell{StyleID: st.marker, Value: geenMarker}
	at := 3
	put := func(line []any) error {
		err := sw.SetRow(cellName(1, at), line)
		at++
		return err
	}
	for ri, r := range t.rows {
		line := make([]any, len(header))
		line[0], line[1], line[2] = Neutralise(r.niveau), Neutralise(r.code), Neutralise(r.naam)
		if t.breakdown {
			line[3], line[4] = Neutralise(r.uitsplitsing), Neutralise(r.klasse)
		}
		vals := t.grid[ri*len(t.periods) : (ri+1)*len(t.periods)]
		if t.long() {
			for pi, v := range vals {
				if v.state == absent {
					continue
				}
				line[len(fixed)] = Neutralise(t.periods[pi])
				line[len(fixed)+1] = cellValue(v, markCell, geenCell)
				if err := put(line); err != nil {
					return err
				}
			}
			continue
		}
		for pi, v := range vals {
			line[len(fixed)+pi] = cellValue(v, markCell, geenCell)
		}
		if err := put(line); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func cellValue(v value, markCell, geenCell any) any {
	switch v.state {
	case shown:
		return v.n
	case suppressed:
		return markCell
	case geen:
		return geenCell
	}
	return nil
}

// layoutTable sets the column widths, the number style and the frozen
// panes of a table sheet.
func layoutTable(sw *excelize.StreamWriter, st styles, t *table, fixed, ncols int) error {
	naamWidth := 12.0
	for _, r := range t.rows {
		naamWidth = max(naamWidth, float64(utf8.RuneCountInString(r.naam))+2)
	}
	widths := []float64{14, 13, min(naamWidth, 45), 16, 14}
	for i := range fixed {
		if err := sw.SetColWidth(i+1, i+1, widths[i]); err != nil {
			return err
		}
	}
	if ncols > fixed {
		if err := sw.SetColWidth(fixed+1, ncols, 10); err != nil {
			return err
		}
		// A column style instead of a styled Cell per value saves boxing
		// a Cell for every number.
		if err := sw.SetColStyle(fixed+1, ncols, st.number); err != nil {
			return err
		}
	}
	return sw.SetPanes(&excelize.Panes{
		Freeze: true, XSplit: fixed, YSplit: 2,
		TopLeftCell: cellName(fixed+1, 3), ActivePane: "bottomRight",
	})
}
