package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/ivz-twente/jeugd/aggregate"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

// figure is one published number. The value of a suppressed cell is never
// copied into it, so nothing downstream can show it by mistake.
type figure struct {
	Waarde     int64
	Onderdrukt bool
	Geen       bool // geen gegevens: the period is not covered by a source, there is no figure
	Present    bool // false: no cell, which means 0 within a period that has data
}

// figureOf is a cell's figure; the Waarde of a withheld cell or one
// without figures is never copied.
func figureOf(c *aggregate.Cell) figure {
	f := figure{Onderdrukt: c.Onderdrukt, Geen: c.GeenGegevens, Present: true}
	if !c.Onderdrukt && !c.GeenGegevens {
		f.Waarde = c.Waarde
	}
	return f
}

// hidden says that a figure shows no number.
func (f figure) hidden() bool { return f.Onderdrukt || f.Geen }

type cellKey struct {
	indicator, niveau, code, periodetype, periode string
}

// index holds the totaal cells of one gemeente.
type index struct {
	cells map[cellKey]figure
	// jaren lists, per indicator, the years with at least one jaar cell:
	// only there does a missing cell mean 0.
	jaren      map[string]map[string]bool
	hasData    map[string]bool
	maanden    []string // every maand periode with a cell, sorted
	kwartalen  []string // every kwartaal periode with a cell, sorted
	allJaren   []string // every jaar periode with a cell, sorted
	extra      []string // indicators in the cells that aggregate.Indicators lacks
	buurtNamen map[string]string
	regio      map[cellKey]figure // the regio's yearly totals, keyed with an empty code
	regioNaam  string
}

func newIndex(gm string, cells []aggregate.Cell) *index {
	ix := &index{
		cells:      make(map[cellKey]figure),
		jaren:      make(map[string]map[string]bool),
		hasData:    make(map[string]bool),
		buurtNamen: make(map[string]string),
		regio:      make(map[cellKey]figure),
	}
	seen := map[string]map[string]bool{"maand": {}, "kwartaal": {}, "jaar": {}}
	for i := range cells {
		c := &cells[i]
		if c.Gebiedsniveau == "regio" && c.Uitsplitsing == "totaal" && c.Periodetype == "jaar" {
			ix.regio[cellKey{c.Indicator, "regio", "", "jaar", c.Periode}] = figureOf(c)
			ix.regioNaam = c.Gebiedsnaam
			continue
		}
		if c.Gemeentecode != gm || c.Uitsplitsing != "totaal" {
			continue
		}
		f := figureOf(c)
		ix.cells[cellKey{c.Indicator, c.Gebiedsniveau, c.Gebiedscode, c.Periodetype, c.Periode}] = f
		if !ix.hasData[c.Indicator] {
			ix.hasData[c.Indicator] = true
			if _, ok := aggregate.IndicatorByName(c.Indicator); !ok {
				ix.extra = append(ix.extra, c.Indicator)
			}
		}
		if s, ok := seen[c.Periodetype]; ok {
			s[c.Periode] = true
		}
		if c.Periodetype == "jaar" {
			if ix.jaren[c.Indicator] == nil {
				ix.jaren[c.Indicator] = make(map[string]bool)
			}
			ix.jaren[c.Indicator][c.Periode] = true
		}
		if c.Gebiedsniveau == "buurt" && c.Gebiedsnaam != "" {
			ix.buurtNamen[c.Gebiedscode] = c.Gebiedsnaam
		}
	}
	ix.maanden = sortedKeys(seen["maand"])
	ix.kwartalen = sortedKeys(seen["kwartaal"])
	ix.allJaren = sortedKeys(seen["jaar"])
	slices.Sort(ix.extra)
	return ix
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (ix *index) get(ind, niveau, code, pt, per string) figure {
	return ix.cells[cellKey{ind, niveau, code, pt, per}]
}

// headline is an indicator's figure for the last full year against the
// year before.
type headline struct {
	Waarde     string // formatted, "onderdrukt" or "geen gegevens"
	Onderdrukt bool
	Regio      string // the regio's figure of the same year, same forms; "" without one
	Vorig      string // the previous year's figure, same forms; "" without a previous year
	Verschil   string // "+3 (+12,5%)", "onderdrukt" or ""
}

func (ix *index) headline(ind, gm, jaar, vorig string) headline {
	var h headline
	if jaar == "" {
		return h
	}
	cur, curOK := ix.yearFigure(ind, gm, jaar)
	h.Waarde, h.Onderdrukt = figureText(cur, curOK)
	if f, ok := ix.regio[cellKey{ind, "regio", "", "jaar", jaar}]; ok {
		h.Regio, _ = figureText(f, true)
	}
	if vorig == "" {
		return h
	}
	prev, prevOK := ix.yearFigure(ind, gm, vorig)
	h.Vorig, _ = figureText(prev, prevOK)
	switch {
	case !curOK || !prevOK || cur.Geen || prev.Geen:
	case cur.Onderdrukt || prev.Onderdrukt:
		h.Verschil = "onderdrukt"
	default:
		h.Verschil = formatChange(cur.Waarde, prev.Waarde)
	}
	return h
}

// yearFigure returns the gemeente's figure for a year; ok is false when
// the indicator has no cell at all in that year (the source delivered
// nothing), so that a missing cell cannot be read as 0.
func (ix *index) yearFigure(ind, gm, jaar string) (figure, bool) {
	if !ix.jaren[ind][jaar] {
		return figure{}, false
	}
	return ix.get(ind, "gemeente", gm, "jaar", jaar), true
}

func figureText(f figure, ok bool) (string, bool) {
	switch {
	case !ok || f.Geen:
		return "geen gegevens", false
	case f.Onderdrukt:
		return "onderdrukt", true
	default:
		return formatInt(f.Waarde), false
	}
}

// point is one period of a trend.
type point struct {
	Periode string
	figure
}

// trend returns the gemeente's series by maand, or by kwartaal when the
// months would crowd the chart. Periods between the first and last
// published one without a cell are 0.
func (ix *index) trend(ind, gm string) (string, []point) {
	pt, periods := "maand", monthsBetween(ix.maanden)
	if len(periods) > maxMonths || len(periods) == 0 {
		pt, periods = "kwartaal", quartersBetween(ix.kwartalen)
	}
	pts := make([]point, len(periods))
	for i, p := range periods {
		pts[i] = point{Periode: p, figure: ix.get(ind, "gemeente", gm, pt, p)}
	}
	return pt, pts
}

// maxMonths is the longest series drawn by month; longer ones go by kwartaal.
const maxMonths = 36

// monthsBetween lists every month from the first to the last of sorted.
func monthsBetween(sorted []string) []string {
	return between(sorted, 12, func(y, n int) string { return fmt.Sprintf("%04d-%02d", y, n) }, func(p string) (int, int, bool) {
		if len(p) != 7 || p[4] != '-' {
			return 0, 0, false
		}
		y, err1 := strconv.Atoi(p[:4])
		m, err2 := strconv.Atoi(p[5:])
		return y, m, err1 == nil && err2 == nil && m >= 1 && m <= 12
	})
}

// quartersBetween lists every kwartaal from the first to the last of sorted.
func quartersBetween(sorted []string) []string {
	return between(sorted, 4, func(y, n int) string { return fmt.Sprintf("%04d-K%d", y, n) }, func(p string) (int, int, bool) {
		if len(p) != 7 || p[4:6] != "-K" {
			return 0, 0, false
		}
		y, err := strconv.Atoi(p[:4])
		q := int(p[6] - '0')
		return y, q, err == nil && q >= 1 && q <= 4
	})
}

func between(sorted []string, perYear int, format func(y, n int) string, parse func(string) (int, int, bool)) []string {
	var first, last [2]int
	found := false
	for _, p := range sorted {
		y, n, ok := parse(p)
		if !ok {
			continue
		}
		if !found {
			first, found = [2]int{y, n}, true
		}
		last = [2]int{y, n}
	}
	if !found {
		return nil
	}
	var out []string
	for y, n := first[0], first[1]; y < last[0] || (y == last[0] && n <= last[1]); {
		out = append(out, format(y, n))
		if n++; n > perYear {
			y, n = y+1, 1
		}
	}
	return out
}

// buurtFigure is one buurt's figure for the year.
type buurtFigure struct {
	Code, Naam string
	figure
}

// buurten returns the year's figure for every buurt of the gemeente that
// the reference or the cells know, the unknown buurt included: published
// figures from high to low, then the suppressed ones by name, so that a
// suppressed buurt's place in the order says nothing about its value.
func (ix *index) buurten(ind, jaar string, ref []geocode.Buurt) []buurtFigure {
	var out []buurtFigure
	seen := make(map[string]bool)
	for _, b := range ref {
		seen[b.Code] = true
		naam := b.Naam
		if naam == "" {
			naam = b.Code
		}
		out = append(out, buurtFigure{Code: b.Code, Naam: naam, figure: ix.get(ind, "buurt", b.Code, "jaar", jaar)})
	}
	for k, f := range ix.cells {
		if k.indicator != ind || k.niveau != "buurt" || k.periodetype != "jaar" || k.periode != jaar || seen[k.code] {
			continue
		}
		naam := ix.buurtNamen[k.code]
		if naam == "" {
			naam = k.code
		}
		out = append(out, buurtFigure{Code: k.code, Naam: naam, figure: f})
	}
	slices.SortFunc(out, func(a, b buurtFigure) int {
		if a.hidden() != b.hidden() {
			if a.hidden() {
				return 1
			}
			return -1
		}
		if c := cmp.Compare(b.Waarde, a.Waarde); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Naam, b.Naam); c != 0 {
			return c
		}
		return cmp.Compare(a.Code, b.Code)
	})
	return out
}
