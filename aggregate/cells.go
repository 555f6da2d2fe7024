package aggregate

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ivz-twente/jeugd/transform"
)

// Namer names areas by code; *geocode.Reference implements it.
type Namer interface {
	Naam(code string) string
}

// Query selects the cells to compute. Empty filters select everything.
type Query struct {
	Today time.Time // run date: only periods that ended before it are counted; required
	Namer Namer     // area names; nil leaves them empty except onbekend

	RegioCode, RegioNaam string // the regio total's code and name; default "regio", "Regio"

	Indicators     []string // names from Indicators
	Niveaus        []string // from Niveaus
	Periodetypes   []string // from Periodetypes
	Uitsplitsingen []string // from Uitsplitsingen
	Gemeenten      []string // GM codes; the regio total still counts every gemeente
	Van, Tot       string   // YYYY-MM, inclusive; a kwartaal or jaar must lie within them entirely
}

// ErrQuery reports an invalid Query.
var ErrQuery = errors.New("invalid query")

const onbekendNaam = transform.Onbekend

// Cells counts every selected indicator per area, period and breakdown.
// The result is sparse: a cell that is absent has the value 0. Each level
// is its own distinct count, so a person living in two buurten of one wijk
// counts in both buurten but once in the wijk. Events whose buurt is
// unknown appear under the buurt and wijk "onbekend" of their gemeente.
// Cells are sorted as they are published: by indicator (as in Indicators),
// gebiedsniveau (regio, gemeente, wijk, buurt), gebiedscode, periodetype
// (jaar, kwartaal, maand), periode, uitsplitsing (as in Uitsplitsingen)
// and klasse (known classes in transform's order, then categorieën by
// name, onbekend last).
func (s *Store) Cells(ctx context.Context, q Query) ([]Cell, error) {
	if err := q.normalise(); err != nil {
		return nil, err
	}
	gemeenten := make(map[string]bool, len(q.Gemeenten))
	for _, g := range q.Gemeenten {
		gemeenten[g] = true
	}
	var plans []cellPlan
	for _, ind := range Indicators {
		if !selected(q.Indicators, ind.Name) {
			continue
		}
		if p, ok := newCellPlan(ind, &q); ok {
			plans = append(plans, p)
		}
	}
	// Indicators are counted concurrently, each on its own connection:
	// while Go counts one, DuckDB can select the next.
	tables := make([]*cellTable, len(plans))
	errs := make([]error, len(plans))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg   sync.WaitGroup
		next atomic.Int32
	)
	for range min(len(plans), runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(plans); i = int(next.Add(1) - 1) {
				tables[i], errs[i] = s.countIndicator(ctx, plans[i], gemeenten)
				if errs[i] != nil {
					errs[i] = fmt.Errorf("count %s: %w", plans[i].ind.Name, errs[i])
					cancel()
					return
				}
			}
		}()
	}
	wg.Wait()
	total := 0
	for i, t := range tables {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if t != nil {
			total += len(t.found)
		}
	}
	// Each table is sorted and they come in the order of Indicators. Cells
	// are large: the slice is allocated once.
	cells := make([]Cell, 0, total)
	for _, t := range tables {
		if t != nil {
			cells = t.appendCells(cells)
		}
	}
	return cells, nil
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

func selected(filter []string, v string) bool {
	return len(filter) == 0 || slices.Contains(filter, v)
}

// normalise fills defaults and reports every problem at once.
func (q *Query) normalise() error {
	var errs []error
	if q.Today.IsZero() {
		errs = append(errs, errors.New("run date (today) missing"))
	}
	if q.RegioCode == "" {
		q.RegioCode = "regio"
	}
	if q.RegioNaam == "" {
		q.RegioNaam = "Regio"
	}
	var names []string
	for _, ind := range Indicators {
		names = append(names, ind.Name)
	}
	check := func(what string, got, known []string) {
		for _, v := range got {
			if !slices.Contains(known, v) {
				errs = append(errs, fmt.Errorf("unknown %s %q (known: %s)", what, v, strings.Join(known, ", ")))
			}
		}
	}
	check("indicator", q.Indicators, names)
	check("gebiedsniveau", q.Niveaus, Niveaus)
	check("periodetype", q.Periodetypes, Periodetypes)
	check("uitsplitsing", q.Uitsplitsingen, Uitsplitsingen)
	for _, g := range q.Gemeenten {
		if len(g) != 6 || !strings.HasPrefix(g, "GM") || strings.Trim(g[2:], "0123456789") != "" {
			errs = append(errs, fmt.Errorf("gemeentecode %q is not GMnnnn", g))
		}
	}
	for _, m := range []struct{ name, v string }{{"van", q.Van}, {"tot", q.Tot}} {
		if m.v == "" {
			continue
		}
		if _, err := time.Parse("2006-01", m.v); err != nil {
			errs = append(errs, fmt.Errorf("%s %q is not YYYY-MM", m.name, m.v))
		}
	}
	if q.Van != "" && q.Tot != "" && q.Van > q.Tot {
		errs = append(errs, errors.New("van is after tot"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%w: %w", ErrQuery, err)
	}
	return nil
}

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

// periodRange is the date range [from, to) whose periods of type pt are
// complete before Today and lie entirely within Van..Tot. from is zero
// without a lower bound.
func (q *Query) periodRange(pt string) (from, to time.Time) {
	to = periodStart(q.Today, pt)
	if q.Tot != "" {
		t, _ := time.Parse("2006-01", q.Tot)
		if end := periodStart(t.AddDate(0, 1, 0), pt); end.Before(to) {
			to = end
		}
	}
	if q.Van != "" {
		v, _ := time.Parse("2006-01", q.Van)
		from = periodStart(v, pt)
		if from.Before(v) { // v is inside a period: start at the next one
			switch pt {
			case "jaar":
				from = from.AddDate(1, 0, 0)
			case "kwartaal":
				from = from.AddDate(0, 3, 0)
			}
		}
	}
	return from, to
}

var (
	periodetypeRank  = rank(Periodetypes)
	uitsplitsingRank = rank(Uitsplitsingen) // used by Protect
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

// Counting happens in two steps. DuckDB filters an indicator's events once
// and reduces each to integers: a dimension id for its area and classes, a
// month number and, for distinct counts, a dense rank of the counted
// pseudonym. Go then adds every event to each cell it belongs to (every
// level, period type and breakdown at once), counting a person or case once
// per cell by remembering the last one that cell saw while the events come
// grouped by rank. DuckDB's count(DISTINCT) over grouping sets of a UNION
// ALL that repeated each event per period type and breakdown took ten times
// longer.

// cellPlan is what Cells computes for one indicator.
type cellPlan struct {
	ind      Indicator
	q        *Query
	periods  []periodSpec
	niveaus  []int // indexes into Niveaus
	uits     []int // indexes into Uitsplitsingen
	from, to time.Time
}

// periodSpec is a selected period type; its complete periods cover the
// month numbers (year*12 + month-1) from..to-1.
type periodSpec struct {
	name     string
	months   int32 // per period
	from, to int32
}

func monthNumber(t time.Time) int32 { return int32(t.Year()*12 + int(t.Month()) - 1) }

// newCellPlan is false when q selects nothing of ind.
func newCellPlan(ind Indicator, q *Query) (cellPlan, bool) {
	p := cellPlan{ind: ind, q: q}
	lowest := false // some period type has no lower bound
	for _, pt := range Periodetypes {
		if !selected(q.Periodetypes, pt) {
			continue
		}
		from, to := q.periodRange(pt)
		if !from.IsZero() && !from.Before(to) {
			continue
		}
		spec := periodSpec{name: pt, months: 1, from: math.MinInt32, to: monthNumber(to)}
		switch pt {
		case "jaar":
			spec.months = 12
		case "kwartaal":
			spec.months = 3
		}
		if from.IsZero() {
			lowest = true
		} else {
			spec.from = monthNumber(from)
		}
		if p.to.IsZero() || to.After(p.to) {
			p.to = to
		}
		if !lowest && (p.from.IsZero() || from.Before(p.from)) {
			p.from = from
		}
		p.periods = append(p.periods, spec)
	}
	if lowest {
		p.from = time.Time{}
	}
	for i, u := range Uitsplitsingen {
		if selected(q.Uitsplitsingen, u) && (u == "totaal" || slices.Contains(ind.Uitsplitsingen, u)) {
			p.uits = append(p.uits, i)
		}
	}
	for i, n := range Niveaus {
		if selected(q.Niveaus, n) {
			p.niveaus = append(p.niveaus, i)
		}
	}
	return p, len(p.periods) > 0 && len(p.uits) > 0 && len(p.niveaus) > 0
}

// dimColumns identify a dimension: the area at the indicator's Locatie
// and the classes of every breakdown.
const dimColumns = "gm, wk, bu, geslacht, leeftijdsklasse, categorie, delictsoort"

// sql returns the dimensions (x = d, m and n null, dim the list of
// dimColumns) and the events (x = d<<32 | k, m, n; dim null). k is the dense rank of the
// counted pseudonym, or 0 when records are counted; n is the number of
// events, always 1 for distinct counts. Every value in it comes from this
// package's tables or is a date formatted here, never from the caller.
func (p *cellPlan) sql() string {
	pre := p.ind.Locatie.prefix()
	key, cond, data := "0", "", "d, k, m, 1 AS n"
	switch p.ind.Count {
	case CountPersoon:
		key, cond = "dense_rank() OVER (ORDER BY persoon)", " AND persoon IS NOT NULL"
	case CountZaak:
		key, cond = "dense_rank() OVER (ORDER BY zaak)", " AND zaak IS NOT NULL"
	default:
		data = "d, k, m, count(*) AS n"
	}
	cond += " AND datum < DATE '" + p.to.Format(time.DateOnly) + "'"
	if !p.from.IsZero() {
		cond += " AND datum >= DATE '" + p.from.Format(time.DateOnly) + "'"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "WITH %s,\nev AS MATERIALIZED (\n", zakenMinderjarigCTE)
	fmt.Fprintf(&b, "  SELECT %s AS k, (year(datum) * 12 + month(datum) - 1) AS m, %sgemeentecode AS gm,\n", key, pre)
	fmt.Fprintf(&b, "    coalesce(nullif(%[1]swijkcode, ''), 'WK' || substr(%[1]sgemeentecode, 3) || 'XX') AS wk,\n", pre)
	fmt.Fprintf(&b, "    coalesce(nullif(%[1]sbuurtcode, ''), 'BU' || substr(%[1]sgemeentecode, 3) || 'XXXX') AS bu,\n", pre)
	fmt.Fprintf(&b, "    geslacht, leeftijdsklasse, coalesce(nullif(categorie, ''), '%[1]s') AS categorie, coalesce(nullif(delictsoort, ''), '%[1]s') AS delictsoort\n", transform.Onbekend)
	fmt.Fprintf(&b, "  FROM events WHERE nullif(%sgemeentecode, '') IS NOT NULL AND (%s)%s\n),\n", pre, p.ind.Where, cond)
	fmt.Fprintf(&b, "dim AS MATERIALIZED (\n  SELECT *, row_number() OVER () - 1 AS d FROM (SELECT DISTINCT %s FROM ev)\n)\n", dimColumns)
	// Few columns per event: each costs a call per row in the driver.
	fmt.Fprintf(&b, "SELECT d::BIGINT AS x, NULL::BIGINT AS m, NULL::BIGINT AS n, [%s] AS dim FROM dim\nUNION ALL\n", dimColumns)
	fmt.Fprintf(&b, "SELECT d::BIGINT * 4294967296 + k, m::BIGINT, n::BIGINT, NULL FROM (\n")
	fmt.Fprintf(&b, "  SELECT %s FROM ev JOIN dim USING (%s)", data, dimColumns)
	if p.ind.Count == CountRecords {
		b.WriteString(" GROUP BY d, k, m")
	}
	b.WriteString("\n)")
	return b.String()
}

// event is one row of cellPlan.sql's events: dimension, month, rank of the
// counted pseudonym and number of events.
type event struct {
	d, m, k int32
	n       int64
}

// denseCells is the most cells counted in slices rather than a map:
// 12 bytes each.
var denseCells = 1 << 22 // a variable for tests

// countIndicator counts the cells of p.
func (s *Store) countIndicator(ctx context.Context, p cellPlan, gemeenten map[string]bool) (*cellTable, error) {
	rows, err := s.db.QueryContext(ctx, p.sql())
	if err != nil {
		return nil, err
	}
	var (
		dims   [][7]string
		events []event
		vals   = make([]any, 4)
		ptrs   = make([]any, 4)
		maxK   int32
	)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			rows.Close()
			return nil, err
		}
		x := vals[0].(int64)
		if vals[1] == nil { // a dimension
			for int64(len(dims)) <= x {
				dims = append(dims, [7]string{})
			}
			for i, v := range vals[3].([]any) {
				dims[x][i] = v.(string)
			}
			continue
		}
		e := event{d: int32(x >> 32), k: int32(x), m: int32(vals[1].(int64)), n: vals[2].(int64)}
		maxK = max(maxK, e.k)
		events = append(events, e)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, err
	}
	if len(events) == 0 {
		return &cellTable{p: &p}, nil
	}
	t := newCellTable(&p, dims, gemeenten, events)
	if p.ind.Count == CountRecords {
		for _, e := range events {
			t.each(e, func(i int) { t.add(i, e.n) })
		}
	} else {
		for _, e := range byRank(events, maxK) {
			t.each(e, func(i int) { t.addOnce(i, e.k) })
		}
	}
	t.sort()
	return t, nil
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

// cellArea is one area at one level.
type cellArea struct {
	niveau     int
	gm, wk, bu string
}

// cellKlasse is one class of one breakdown.
type cellKlasse struct {
	uits   int
	klasse string
}

// cellPeriod is one period of one selected period type.
type cellPeriod struct {
	spec  int // index into cellPlan.periods
	label string
}

// cellTable counts the cells of one indicator. A cell is a combination
// (an area and a class) times a period.
type cellTable struct {
	p        *cellPlan
	areas    []cellArea
	klassen  []cellKlasse
	combos   [][2]int32 // area, klasse
	comboOf  []int32    // per dimension, len(niveaus)*len(uits) combinations; -1 is left out
	periodes []cellPeriod
	periodOf []int32 // per month from minM, len(periods) periods; -1 is outside
	minM     int32
	width    int // combinations per dimension

	n     []int64
	stamp []int32
	m     map[int]*[2]int64 // n and stamp beyond denseCells
	found []found
}

func newCellTable(p *cellPlan, dims [][7]string, gemeenten map[string]bool, events []event) *cellTable {
	t := &cellTable{p: p, width: len(p.niveaus) * len(p.uits)}
	areaIDs := map[cellArea]int32{}
	klasseIDs := map[cellKlasse]int32{}
	comboIDs := map[[2]int32]int32{}
	t.comboOf = make([]int32, 0, len(dims)*t.width)
	for _, dim := range dims {
		gm, wk, bu := dim[0], dim[1], dim[2]
		for _, niveau := range p.niveaus {
			a := cellArea{niveau: niveau}
			switch niveau {
			case 3:
				a.bu = bu
				fallthrough
			case 2:
				a.wk = wk
				fallthrough
			case 1:
				a.gm = gm
			}
			out := niveau > 0 && len(gemeenten) > 0 && !gemeenten[gm]
			aid, ok := areaIDs[a]
			if !ok && !out {
				aid = int32(len(t.areas))
				areaIDs[a] = aid
				t.areas = append(t.areas, a)
			}
			for _, u := range p.uits {
				if out {
					t.comboOf = append(t.comboOf, -1)
					continue
				}
				k := cellKlasse{uits: u, klasse: "totaal"}
				if u > 0 {
					k.klasse = dim[2+u] // geslacht, leeftijdsklasse, categorie, delictsoort
				}
				kid, ok := klasseIDs[k]
				if !ok {
					kid = int32(len(t.klassen))
					klasseIDs[k] = kid
					t.klassen = append(t.klassen, k)
				}
				c := [2]int32{aid, kid}
				cid, ok := comboIDs[c]
				if !ok {
					cid = int32(len(t.combos))
					comboIDs[c] = cid
					t.combos = append(t.combos, c)
				}
				t.comboOf = append(t.comboOf, cid)
			}
		}
	}
	minM, maxM := events[0].m, events[0].m
	for _, e := range events {
		minM, maxM = min(minM, e.m), max(maxM, e.m)
	}
	t.minM = minM
	periodIDs := map[[2]int32]int32{}
	for m := minM; m <= maxM; m++ {
		for i, spec := range p.periods {
			if m < spec.from || m >= spec.to {
				t.periodOf = append(t.periodOf, -1)
				continue
			}
			key := [2]int32{int32(i), m / spec.months}
			id, ok := periodIDs[key]
			if !ok {
				id = int32(len(t.periodes))
				periodIDs[key] = id
				t.periodes = append(t.periodes, cellPeriod{spec: i, label: periodLabel(spec.months, m)})
			}
			t.periodOf = append(t.periodOf, id)
		}
	}
	if size := len(t.combos) * len(t.periodes); size <= denseCells {
		t.n = make([]int64, size)
		if p.ind.Count != CountRecords {
			t.stamp = make([]int32, size)
		}
	} else {
		t.m = map[int]*[2]int64{}
	}
	return t
}

// periodLabel names the period of months length that holds month number m.
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

// each calls f with every cell e belongs to.
func (t *cellTable) each(e event, f func(int)) {
	np := len(t.p.periods)
	ps := t.periodOf[int(e.m-t.minM)*np:][:np]
	for _, c := range t.comboOf[int(e.d)*t.width:][:t.width] {
		if c < 0 {
			continue
		}
		base := int(c) * len(t.periodes)
		for _, pid := range ps {
			if pid >= 0 {
				f(base + int(pid))
			}
		}
	}
}

func (t *cellTable) add(i int, n int64) {
	if t.m == nil {
		t.n[i] += n
		return
	}
	c := t.m[i]
	if c == nil {
		c = new([2]int64)
		t.m[i] = c
	}
	c[0] += n
}

// addOnce counts k in cell i unless the last k it counted was this one.
func (t *cellTable) addOnce(i int, k int32) {
	if t.m == nil {
		if t.stamp[i] != k {
			t.stamp[i] = k
			t.n[i]++
		}
		return
	}
	c := t.m[i]
	if c == nil {
		c = new([2]int64)
		t.m[i] = c
	}
	if c[1] != int64(k) {
		c[1] = int64(k)
		c[0]++
	}
}

// sort lists the nonzero cells in t.found in publishing order and drops
// the counts.
func (t *cellTable) sort() {
	// Rank areas, periods and classes once; the cells of each come out in
	// that order, so nothing compares strings per cell.
	areaRank := ranks(len(t.areas), func(i, j int) int {
		a, b := t.areas[i], t.areas[j]
		return cmp.Or(cmp.Compare(a.niveau, b.niveau), cmp.Compare(t.code(a), t.code(b)))
	})
	periodRank := ranks(len(t.periodes), func(i, j int) int {
		a, b := t.periodes[i], t.periodes[j]
		return cmp.Or(cmp.Compare(periodetypeRank[t.p.periods[a.spec].name], periodetypeRank[t.p.periods[b.spec].name]),
			cmp.Compare(a.label, b.label))
	})
	classRank := ranks(len(t.klassen), func(i, j int) int {
		a, b := t.klassen[i], t.klassen[j]
		return cmp.Or(cmp.Compare(a.uits, b.uits), cmp.Compare(klasseRank[a.klasse], klasseRank[b.klasse]), cmp.Compare(a.klasse, b.klasse))
	})
	var all []found
	np := len(t.periodes)
	add := func(i int, n int64) {
		combo := t.combos[i/np]
		all = append(all, found{rank: [3]int32{areaRank[combo[0]], periodRank[i%np], classRank[combo[1]]}, i: i, n: n})
	}
	if t.m == nil {
		for i, n := range t.n {
			if n > 0 {
				add(i, n)
			}
		}
	} else {
		for i, c := range t.m {
			add(i, c[0])
		}
	}
	slices.SortFunc(all, func(a, b found) int {
		return cmp.Or(cmp.Compare(a.rank[0], b.rank[0]), cmp.Compare(a.rank[1], b.rank[1]), cmp.Compare(a.rank[2], b.rank[2]))
	})
	t.found = all
	t.n, t.stamp, t.m = nil, nil, nil
}

// found is a nonzero cell: its index in cellTable.n and its count.
type found struct {
	rank [3]int32 // area, period, class
	i    int
	n    int64
}

// appendCells appends the cells sort found.
func (t *cellTable) appendCells(cells []Cell) []Cell {
	if len(t.found) == 0 {
		return cells
	}
	q := t.p.q
	names := make([]string, len(t.areas))
	for i, a := range t.areas {
		switch a.niveau {
		case 0:
			names[i] = q.RegioNaam
		case 1:
			names[i] = q.naam(a.gm)
		case 2:
			names[i] = q.naam(a.wk)
		default:
			names[i] = q.naam(a.bu)
		}
	}
	np := len(t.periodes)
	for _, f := range t.found {
		combo, per := t.combos[f.i/np], t.periodes[f.i%np]
		a, k := t.areas[combo[0]], t.klassen[combo[1]]
		c := Cell{
			Indicator:     t.p.ind.Name,
			Gebiedsniveau: Niveaus[a.niveau],
			Gebiedscode:   t.code(a),
			Gebiedsnaam:   names[combo[0]],
			Gemeentecode:  a.gm,
			Periodetype:   t.p.periods[per.spec].name,
			Periode:       per.label,
			Uitsplitsing:  Uitsplitsingen[k.uits],
			Klasse:        k.klasse,
			Waarde:        f.n,
		}
		switch a.niveau {
		case 1:
			c.Ouder = q.RegioCode
		case 2:
			c.Ouder = a.gm
		case 3:
			c.Ouder = a.wk
		}
		cells = append(cells, c)
	}
	return cells
}

// code is the Gebiedscode of a.
func (t *cellTable) code(a cellArea) string {
	switch a.niveau {
	case 0:
		return t.p.q.RegioCode
	case 1:
		return a.gm
	case 2:
		return a.wk
	}
	return a.bu
}

// ranks numbers 0..n-1 in the order of compare; equal ones share a rank.
func ranks(n int, compare func(i, j int) int) []int32 {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, compare)
	r := make([]int32, n)
	for i, o := range order {
		if i > 0 && compare(order[i-1], o) != 0 {
			r[o] = int32(i)
		} else if i > 0 {
			r[o] = r[order[i-1]]
		}
	}
	return r
}
