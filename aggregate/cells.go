package aggregate

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ivz-twente/jeugd/aggregate/sdc"
	"github.com/ivz-twente/jeugd/transform"
)

// Namer names areas by code; *geocode.Reference implements it.
type Namer interface {
	Naam(code string) string
}

// Gebied is one buurt of the region with its wijk and gemeente.
type Gebied struct {
	Buurt, Wijk, Gemeente string
}

// Query says what Count counts.
type Query struct {
	Today time.Time // run date: only periods that ended before it are counted; required
	Namer Namer     // area names; nil leaves them empty except onbekend

	RegioCode, RegioNaam string // the regio total's code and name; default "regio", "Regio"

	// Gebieden are the buurten of the region: every one gets its cells,
	// zeros included. Areas found in the events are added.
	Gebieden []Gebied

	// Dekking says which months each source covers; nil: every source
	// covers every month from its indicator's first event on.
	Dekking Dekking
}

// Dekking says which months a source covers. A month it does not cover has
// no figures ("geen gegevens"): a missing delivery is not a zero.
type Dekking interface {
	// Covers reports whether source bron (bron-soort) covers the month
	// that starts at month.
	Covers(bron string, month time.Time) bool
}

// ErrQuery reports an invalid Query.
var ErrQuery = errors.New("invalid query")

const onbekendNaam = transform.Onbekend

// Counts is every cell of the table plan with its true value, in
// publishing order: by indicator (as in Indicators), gebiedsniveau (regio,
// gemeente, wijk, buurt), gebiedscode, periodetype (jaar, kwartaal, maand),
// periode, uitsplitsing (as in Uitsplitsingen) and klasse. It is dense:
// every area of the region, every complete period from an indicator's first
// event on, every class seen, zeros included. Events whose buurt is unknown
// count under the buurt and wijk "onbekend" of their gemeente. Protect
// withholds what must not be published.
type Counts struct {
	Cells []Cell
	parts []countsPart
}

// countsPart is one indicator's share of Counts.
type countsPart struct {
	g      *grid
	start  int     // index of its first cell in Cells
	values []int64 // true counts, kept when Protect blanks withheld cells
	t      *sdc.Table
	res    *sdc.Result // the last protection
}

// Count counts every indicator of plan per the cells of its tables.
func (s *Store) Count(ctx context.Context, plan *Plan, q Query) (*Counts, error) {
	if err := q.normalise(); err != nil {
		return nil, err
	}
	seen, err := s.areasSeen(ctx)
	if err != nil {
		return nil, err
	}
	areas, kids := regionAreas(q, seen)
	parts := make([]countsPart, len(plan.Indicatoren))
	errs := make([]error, len(plan.Indicatoren))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg   sync.WaitGroup
		next atomic.Int32
	)
	// Indicators are counted concurrently, each on its own connection:
	// while Go counts one, DuckDB can select the next.
	for range min(len(parts), runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(parts); i = int(next.Add(1) - 1) {
				ip := plan.Indicatoren[i]
				parts[i], errs[i] = s.countIndicator(ctx, ip, &q, areas, kids)
				if errs[i] != nil {
					errs[i] = fmt.Errorf("count %s: %w", ip.Name, errs[i])
					cancel()
					return
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	c := &Counts{parts: parts}
	total := 0
	for _, p := range parts {
		total += p.g.n
	}
	c.Cells = make([]Cell, 0, total)
	for i := range c.parts {
		c.parts[i].start = len(c.Cells)
		c.Cells = c.parts[i].appendCells(c.Cells, &q)
	}
	return c, nil
}

func (q *Query) normalise() error {
	if q.Today.IsZero() {
		return fmt.Errorf("%w: run date (today) missing", ErrQuery)
	}
	if q.RegioCode == "" {
		q.RegioCode = "regio"
	}
	if q.RegioNaam == "" {
		q.RegioNaam = "Regio"
	}
	return nil
}

func (q *Query) naam(code string) string {
	if isOnbekend(code) {
		return onbekendNaam
	}
	if q.Namer == nil {
		return ""
	}
	return q.Namer.Naam(code)
}

// isOnbekend reports a geocode.UnknownBuurtcode or UnknownWijkcode; CBS
// codes are digits only.
func isOnbekend(code string) bool {
	return strings.HasSuffix(code, "XX")
}

func onbekendWijk(gm string) string  { return "WK" + gm[2:] + "XX" }
func onbekendBuurt(gm string) string { return "BU" + gm[2:] + "XXXX" }

// areasSeen lists the buurten the events place anything in, at either
// location.
func (s *Store) areasSeen(ctx context.Context) ([]Gebied, error) {
	const q = `SELECT DISTINCT gm, coalesce(nullif(wk, ''), 'WK' || substr(gm, 3) || 'XX'), coalesce(nullif(bu, ''), 'BU' || substr(gm, 3) || 'XXXX')
FROM (SELECT pleeg_gemeentecode AS gm, pleeg_wijkcode AS wk, pleeg_buurtcode AS bu FROM events
      UNION ALL SELECT woon_gemeentecode, woon_wijkcode, woon_buurtcode FROM events)
WHERE nullif(gm, '') IS NOT NULL`
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Gebied
	for rows.Next() {
		var g Gebied
		if err := rows.Scan(&g.Gemeente, &g.Wijk, &g.Buurt); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// regionAreas builds the area levels of the region (regio, gemeenten,
// wijken, buurten, each sorted by code) from the reference's buurten and
// those the events name, with an onbekend wijk and buurt per gemeente.
func regionAreas(q Query, seen []Gebied) (*[4][]gridArea, *[4][][]int32) {
	buurten := map[string]Gebied{}
	for _, g := range slices.Concat(q.Gebieden, seen) {
		if g.Gemeente == "" || g.Buurt == "" {
			continue
		}
		buurten[g.Buurt] = g
		buurten[onbekendBuurt(g.Gemeente)] = Gebied{onbekendBuurt(g.Gemeente), onbekendWijk(g.Gemeente), g.Gemeente}
	}
	var areas [4][]gridArea
	index := [4]map[string]int32{{q.RegioCode: 0}, {}, {}, {}}
	areas[0] = []gridArea{{code: q.RegioCode, parent: -1}}
	level := func(n int, code, gm string) {
		if _, ok := index[n][code]; !ok {
			index[n][code] = 0
			areas[n] = append(areas[n], gridArea{code: code, gm: gm})
		}
	}
	for _, g := range buurten {
		level(1, g.Gemeente, g.Gemeente)
		level(2, g.Wijk, g.Gemeente)
		level(3, g.Buurt, g.Gemeente)
	}
	for n := 1; n < 4; n++ {
		slices.SortFunc(areas[n], func(a, b gridArea) int { return strings.Compare(a.code, b.code) })
		for i, a := range areas[n] {
			index[n][a.code] = int32(i)
		}
	}
	var kids [4][][]int32
	for n := range 4 {
		kids[n] = make([][]int32, len(areas[n]))
	}
	for i := range areas[1] {
		areas[1][i].parent = 0
	}
	for i, a := range areas[2] {
		areas[2][i].parent = index[1][a.gm]
	}
	for i, a := range areas[3] {
		areas[3][i].parent = index[2][buurten[a.code].Wijk]
	}
	for n := 1; n < 4; n++ {
		for i, a := range areas[n] {
			kids[n-1][a.parent] = append(kids[n-1][a.parent], int32(i))
		}
	}
	return &areas, &kids
}

// breakdowns are the expressions of the event columns of
// Uitsplitsingen[1:], unknown values as onbekend.
func breakdowns() []string {
	var cols []string
	for _, u := range Uitsplitsingen[1:] {
		cols = append(cols, fmt.Sprintf("coalesce(nullif(%s, ''), '%s')", u, transform.Onbekend))
	}
	return cols
}

// indicatorSQL returns the dimensions (x = d, m and n null, dim the gm,
// wk, bu and breakdown columns joined by \x1f) and the events (x = d<<32 |
// k, m, n; dim null). d numbers the distinct dimensions, k numbers the
// counted persons from 1 (0 otherwise), m is the month number and n the
// number of events, always 1 for persons. A case (zaak) counts once, at its
// first event by date, place and class, so that every case has one place,
// one date and one class and the relations between its cells are exact
// sums. Persons are numbered and cases reduced by hashing, not by a window
// sort over all events, which took most of the counting on large inboxes.
// Every value in the statement comes from this package or is a date
// formatted here, never from the caller.
func indicatorSQL(ind Indicator, to time.Time) string {
	pre := ind.Locatie.prefix()
	cols := append([]string{"gm", "wk", "bu"}, Uitsplitsingen[1:]...)
	exprs := append([]string{
		pre + "gemeentecode",
		fmt.Sprintf("coalesce(nullif(%[1]swijkcode, ''), 'WK' || substr(%[1]sgemeentecode, 3) || 'XX')", pre),
		fmt.Sprintf("coalesce(nullif(%[1]sbuurtcode, ''), 'BU' || substr(%[1]sgemeentecode, 3) || 'XXXX')", pre),
	}, breakdowns()...)
	where := fmt.Sprintf("nullif(%sgemeentecode, '') IS NOT NULL AND (%s) AND datum < DATE '%s'", pre, ind.Where, to.Format(time.DateOnly))
	var b strings.Builder
	fmt.Fprintf(&b, "WITH %s,\n", zakenMinderjarigCTE)
	var src string
	switch ind.Count {
	case CountPersoon:
		fmt.Fprintf(&b, "sel AS MATERIALIZED (\n  SELECT persoon, datum, %s\n  FROM events WHERE %s AND persoon IS NOT NULL\n),\n", aliased(exprs, cols), where)
		b.WriteString("pers AS (SELECT persoon, row_number() OVER () AS k FROM (SELECT DISTINCT persoon FROM sel)),\n")
		src = "sel JOIN pers USING (persoon)"
	case CountZaak:
		// The first event of a case is the least (datum, place, classes):
		// a struct compares field by field, so min picks it.
		fields := []string{"'datum': datum"}
		for i, c := range cols {
			fields = append(fields, fmt.Sprintf("'%s': %s", c, exprs[i]))
		}
		src = fmt.Sprintf("(SELECT 0 AS k, unnest(f) FROM (\n    SELECT min({%s}) AS f\n    FROM events WHERE %s AND zaak IS NOT NULL GROUP BY zaak))",
			strings.Join(fields, ", "), where)
	default:
		src = fmt.Sprintf("(SELECT 0 AS k, datum, %s FROM events WHERE %s)", aliased(exprs, cols), where)
	}
	fmt.Fprintf(&b, "ev AS MATERIALIZED (\n  SELECT k, (year(datum) * 12 + month(datum) - 1) AS m, %s\n  FROM %s\n),\n", strings.Join(cols, ", "), src)
	fmt.Fprintf(&b, "dim AS MATERIALIZED (\n  SELECT *, row_number() OVER () - 1 AS d FROM (SELECT DISTINCT %s FROM ev)\n)\n", strings.Join(cols, ", "))
	fmt.Fprintf(&b, "SELECT d::BIGINT AS x, NULL::BIGINT AS m, NULL::BIGINT AS n, concat_ws(chr(31), %s) AS dim FROM dim\nUNION ALL\n", strings.Join(cols, ", "))
	data := "d, k, m, count(*) AS n"
	if ind.Count == CountPersoon {
		data = "d, k, m, 1 AS n"
	}
	b.WriteString("SELECT d::BIGINT * 4294967296 + k, m::BIGINT, n::BIGINT, NULL::VARCHAR FROM (\n")
	fmt.Fprintf(&b, "  SELECT %s FROM ev JOIN dim USING (%s)", data, strings.Join(cols, ", "))
	if ind.Count != CountPersoon {
		b.WriteString(" GROUP BY d, k, m")
	}
	b.WriteString("\n)")
	return b.String()
}

// aliased joins the expressions as the named columns.
func aliased(exprs, names []string) string {
	out := make([]string, len(exprs))
	for i := range exprs {
		out[i] = exprs[i] + " AS " + names[i]
	}
	return strings.Join(out, ", ")
}

// event is one row of indicatorSQL's events.
type event struct {
	d, m, k int32
	n       int64
}

// dimension is one distinct place and class combination of an indicator's
// events: its area at each level and its class in each breakdown.
type dimension struct {
	area  [4]int32
	class []int32 // per Uitsplitsingen index; [0] is 0 (totaal)
}

// countIndicator selects the events of ip and counts them into its grid.
func (s *Store) countIndicator(ctx context.Context, ip *IndicatorPlan, q *Query, areas *[4][]gridArea, kids *[4][][]int32) (countsPart, error) {
	to := periodStart(q.Today, "maand")
	dims, events, maxK, err := s.selectEvents(ctx, ip.Indicator, to)
	if err != nil {
		return countsPart{}, err
	}
	// Periods run in whole years from the first event or the first month
	// the sources cover: without Dekking a quiet first month is a zero;
	// with it, a month they do not cover has no figures.
	from := monthNumber(to)
	for _, e := range events {
		from = min(from, e.m)
	}
	if q.Dekking != nil {
		from = min(from, firstCovered(ip.Indicator, q.Dekking, monthNumber(to)))
	}
	from -= from % 12
	classes := classesOf(dims)
	g := newGrid(ip, areas, kids, from, monthNumber(to), classes)
	g.cover(ip.Indicator, q.Dekking)
	dimOf := resolve(dims, classes, areas)
	part := countsPart{g: g, values: make([]int64, g.n)}
	if ip.Count == CountPersoon {
		stamp := make([]int32, g.n)
		for _, e := range byRank(events, maxK) {
			g.cellsOf(&dimOf[e.d], e.m, func(id int) {
				if stamp[id] != e.k {
					stamp[id] = e.k
					part.values[id]++
				}
			})
		}
	} else {
		for _, e := range events {
			g.cellsOf(&dimOf[e.d], e.m, func(id int) { part.values[id] += e.n })
		}
	}
	return part, nil
}

// selectEvents runs indicatorSQL and returns the dimensions as their column
// values and the events.
func (s *Store) selectEvents(ctx context.Context, ind Indicator, to time.Time) ([][]string, []event, int32, error) {
	rows, err := s.db.QueryContext(ctx, indicatorSQL(ind, to))
	if err != nil {
		return nil, nil, 0, err
	}
	defer rows.Close()
	var (
		dims   [][]string
		events []event
		maxK   int32
		x      int64
		m, n   sql.NullInt64
		dim    sql.NullString
	)
	for rows.Next() {
		if err := rows.Scan(&x, &m, &n, &dim); err != nil {
			return nil, nil, 0, err
		}
		if !m.Valid {
			for int64(len(dims)) <= x {
				dims = append(dims, nil)
			}
			dims[x] = strings.Split(dim.String, "\x1f")
			continue
		}
		e := event{d: int32(x >> 32), k: int32(x), m: int32(m.Int64), n: n.Int64}
		maxK = max(maxK, e.k)
		events = append(events, e)
	}
	return dims, events, maxK, rows.Err()
}

// classesOf lists the classes seen in each breakdown, in publishing order:
// known classes as transform lists them, categorieën by name, onbekend last.
func classesOf(dims [][]string) [][]string {
	classes := make([][]string, len(Uitsplitsingen))
	classes[0] = []string{"totaal"}
	for u := 1; u < len(Uitsplitsingen); u++ {
		seen := map[string]bool{}
		for _, d := range dims {
			if v := d[2+u]; !seen[v] {
				seen[v] = true
				classes[u] = append(classes[u], v)
			}
		}
		slices.SortFunc(classes[u], func(a, b string) int {
			return cmp.Or(cmp.Compare(klasseRank[a], klasseRank[b]), strings.Compare(a, b))
		})
	}
	return classes
}

// resolve maps each dimension to its area at every level and its classes.
func resolve(dims [][]string, classes [][]string, areas *[4][]gridArea) []dimension {
	var index [4]map[string]int32
	for n := 1; n < 4; n++ {
		index[n] = make(map[string]int32, len(areas[n]))
		for i, a := range areas[n] {
			index[n][a.code] = int32(i)
		}
	}
	cls := make([]map[string]int32, len(classes))
	for u, cs := range classes {
		cls[u] = map[string]int32{}
		for i, c := range cs {
			cls[u][c] = int32(i)
		}
	}
	out := make([]dimension, len(dims))
	for i, d := range dims {
		b := index[3][d[2]]
		w := areas[3][b].parent
		out[i].area = [4]int32{0, areas[2][w].parent, w, b}
		out[i].class = make([]int32, len(classes))
		for u := 1; u < len(classes); u++ {
			out[i].class[u] = cls[u][d[2+u]]
		}
	}
	return out
}

// cellsOf calls f with every cell an event of dimension d in month m counts
// in: one per table of the plan whose period holds m.
func (g *grid) cellsOf(d *dimension, m int32, f func(int)) {
	for _, t := range g.ip.Tables {
		p := g.period(t.Periodetype, m)
		if p < 0 || !g.covered[t.Periodetype][p] {
			continue // an incomplete period, or geen gegevens
		}
		f(g.id(t.Niveau, d.area[t.Niveau], t.Periodetype, p, t.Uitsplitsing, int(d.class[t.Uitsplitsing])))
	}
}

// byRank orders events by k (1..maxK) with a counting sort.
func byRank(events []event, maxK int32) []event {
	start := make([]int32, maxK+2)
	for _, e := range events {
		start[e.k+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	out := make([]event, len(events))
	for _, e := range events {
		out[start[e.k]] = e
		start[e.k]++
	}
	return out
}

// appendCells appends the part's cells in publishing order with their true
// values.
func (p *countsPart) appendCells(cells []Cell, q *Query) []Cell {
	g := p.g
	var names [4][]string
	for n := range 4 {
		names[n] = make([]string, len(g.areas[n]))
		for i, a := range g.areas[n] {
			if n == 0 {
				names[n][i] = q.RegioNaam
			} else {
				names[n][i] = q.naam(a.code)
			}
		}
	}
	g.each(func(id, n int, a int32, pt int, per int32, u, k int) {
		area := &g.areas[n][a]
		c := Cell{
			GeenGegevens:  !g.covered[pt][per],
			Indicator:     g.ip.Name,
			Gebiedsniveau: Niveaus[n],
			Gebiedscode:   area.code,
			Gebiedsnaam:   names[n][a],
			Gemeentecode:  area.gm,
			Periodetype:   Periodetypes[pt],
			Periode:       g.periods[pt][per].label,
			Uitsplitsing:  Uitsplitsingen[u],
			Klasse:        g.classes[u][k],
			Waarde:        p.values[id],
		}
		if n > 0 {
			c.Ouder = g.areas[n-1][area.parent].code
		}
		cells = append(cells, c)
	})
	return cells
}

func monthNumber(t time.Time) int32 { return int32(t.Year()*12 + int(t.Month()) - 1) }

// periodStart truncates d to the start of its period of type pt.
func periodStart(d time.Time, pt string) time.Time {
	y, m, _ := d.Date()
	switch pt {
	case "jaar":
		m = time.January
	case "kwartaal":
		m = (m-1)/3*3 + 1
	}
	return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
}

// periodLabel names the period of months length that starts at month
// number m.
func periodLabel(months, m int32) string {
	y := m / 12
	switch months {
	case 12:
		return strconv.Itoa(int(y))
	case 3:
		return fmt.Sprintf("%d-K%d", y, m%12/3+1)
	}
	return fmt.Sprintf("%d-%02d", y, m%12+1)
}

var (
	uitsplitsingRank = rank(Uitsplitsingen)
	// klasseRank orders geslacht and leeftijdsklasse as transform lists
	// them; categorieën all rank 0 and so sort by name; onbekend is last.
	klasseRank = func() map[string]int {
		m := map[string]int{"totaal": -1}
		for i, k := range transform.Geslachten {
			m[k] = i
		}
		for i, k := range transform.Leeftijdsklassen {
			m[k] = i
		}
		m[transform.Onbekend] = 1 << 20
		return m
	}()
)

func rank(s []string) map[string]int {
	m := make(map[string]int, len(s))
	for i, v := range s {
		m[v] = i
	}
	return m
}
