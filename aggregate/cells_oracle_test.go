package aggregate

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/ivz-twente/jeugd/internal/testenv"
	"github.com/ivz-twente/jeugd/transform"
)

// The oracle is Cells as it was before it counted in Go (85ee8bb): one SQL
// statement per indicator with count(DISTINCT ...) over GROUPING SETS.
// TestCellsMatchOracle compares the two on random events.

func oracleCells(ctx context.Context, s *Store, q Query) ([]Cell, error) {
	if err := q.normalise(); err != nil {
		return nil, err
	}
	gemeenten := make(map[string]bool, len(q.Gemeenten))
	for _, g := range q.Gemeenten {
		gemeenten[g] = true
	}
	var cells []Cell
	for _, ind := range Indicators {
		if !selected(q.Indicators, ind.Name) {
			continue
		}
		query, ok := oracleCellsSQL(ind, &q)
		if !ok {
			continue
		}
		rows, err := s.db.QueryContext(ctx, query)
		if err != nil {
			return nil, fmt.Errorf("count %s: %w", ind.Name, err)
		}
		for rows.Next() {
			var (
				gm, wk, bu        *string
				pt, per, uits, kl string
				n                 int64
			)
			if err := rows.Scan(&gm, &wk, &bu, &pt, &per, &uits, &kl, &n); err != nil {
				rows.Close()
				return nil, fmt.Errorf("count %s: %w", ind.Name, err)
			}
			c := Cell{
				Indicator:   ind.Name,
				Periodetype: pt, Periode: per,
				Uitsplitsing: uits, Klasse: kl,
				Waarde: n,
			}
			// ev has no null gm, wk or bu, so a null is a rolled-up level.
			switch {
			case gm == nil:
				c.Gebiedsniveau, c.Gebiedscode, c.Gebiedsnaam = "regio", q.RegioCode, q.RegioNaam
			case wk == nil:
				c.Gebiedsniveau, c.Gebiedscode, c.Ouder = "gemeente", *gm, q.RegioCode
			case bu == nil:
				c.Gebiedsniveau, c.Gebiedscode, c.Ouder = "wijk", *wk, *gm
			default:
				c.Gebiedsniveau, c.Gebiedscode, c.Ouder = "buurt", *bu, *wk
			}
			if gm != nil {
				if len(gemeenten) > 0 && !gemeenten[*gm] {
					continue
				}
				c.Gemeentecode = *gm
				c.Gebiedsnaam = q.naam(c.Gebiedscode)
			}
			cells = append(cells, c)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("count %s: %w", ind.Name, err)
		}
	}
	sortCells(cells)
	return cells, nil
}

// oraclePeriodExpr renders a period label in SQL.
var oraclePeriodExpr = map[string]string{
	"maand":    "strftime(datum, '%Y-%m')",
	"kwartaal": "CAST(year(datum) AS VARCHAR) || '-K' || CAST(quarter(datum) AS VARCHAR)",
	"jaar":     "CAST(year(datum) AS VARCHAR)",
}

// oracleCellsSQL builds the count of one indicator; ok is false when the query
// selects nothing of it. Every value in it comes from this package's tables
// or is a date formatted here, never from the caller.
func oracleCellsSQL(ind Indicator, q *Query) (query string, ok bool) {
	var periods []string
	for _, pt := range Periodetypes {
		if !selected(q.Periodetypes, pt) {
			continue
		}
		from, to := q.periodRange(pt)
		if !from.IsZero() && !from.Before(to) {
			continue
		}
		cond := "datum < DATE '" + to.Format(time.DateOnly) + "'"
		if !from.IsZero() {
			cond += " AND datum >= DATE '" + from.Format(time.DateOnly) + "'"
		}
		periods = append(periods, fmt.Sprintf("SELECT *, '%s' AS periodetype, %s AS periode FROM ev WHERE %s", pt, oraclePeriodExpr[pt], cond))
	}
	var dims []string
	for _, u := range Uitsplitsingen {
		if !selected(q.Uitsplitsingen, u) || (u != "totaal" && !slices.Contains(ind.Uitsplitsingen, u)) {
			continue
		}
		col := u
		if u == "totaal" {
			col = "'totaal'"
		}
		dims = append(dims, fmt.Sprintf("SELECT periodetype, periode, gm, wk, bu, persoon, zaak, '%s' AS uitsplitsing, %s AS klasse FROM per", u, col))
	}
	var sets []string
	area := map[string]string{"gm": "NULL::VARCHAR", "wk": "NULL::VARCHAR", "bu": "NULL::VARCHAR"}
	for _, set := range []struct {
		niveau string
		cols   []string
	}{
		{"regio", nil}, {"gemeente", []string{"gm"}}, {"wijk", []string{"gm", "wk"}}, {"buurt", []string{"gm", "wk", "bu"}},
	} {
		if !selected(q.Niveaus, set.niveau) {
			continue
		}
		sets = append(sets, "("+strings.Join(append([]string{"periodetype", "periode", "uitsplitsing", "klasse"}, set.cols...), ", ")+")")
		for _, col := range set.cols {
			area[col] = col // a column outside every set cannot be selected
		}
	}
	if len(periods) == 0 || len(dims) == 0 || len(sets) == 0 {
		return "", false
	}
	p := ind.Locatie.prefix()
	var b strings.Builder
	fmt.Fprintf(&b, "WITH %s,\nev AS (\n", zakenMinderjarigCTE)
	// The counted pseudonym becomes a dense integer first: count(DISTINCT)
	// over the grouping sets then hashes integers, not 32-character
	// strings (30% less time for Cells at 5M events). A null stays null.
	cols := "persoon, zaak"
	switch ind.Count {
	case CountPersoon:
		cols = "CASE WHEN persoon IS NOT NULL THEN dense_rank() OVER (ORDER BY persoon) END AS persoon, zaak"
	case CountZaak:
		cols = "persoon, CASE WHEN zaak IS NOT NULL THEN dense_rank() OVER (ORDER BY zaak) END AS zaak"
	}
	fmt.Fprintf(&b, "  SELECT datum, %s, %sgemeentecode AS gm,\n", cols, p)
	fmt.Fprintf(&b, "    coalesce(nullif(%[1]swijkcode, ''), 'WK' || substr(%[1]sgemeentecode, 3) || 'XX') AS wk,\n", p)
	fmt.Fprintf(&b, "    coalesce(nullif(%[1]sbuurtcode, ''), 'BU' || substr(%[1]sgemeentecode, 3) || 'XXXX') AS bu,\n", p)
	fmt.Fprintf(&b, "    geslacht, leeftijdsklasse, coalesce(nullif(categorie, ''), '%[1]s') AS categorie, coalesce(nullif(delictsoort, ''), '%[1]s') AS delictsoort\n", transform.Onbekend)
	fmt.Fprintf(&b, "  FROM events WHERE nullif(%sgemeentecode, '') IS NOT NULL AND (%s)\n),\n", p, ind.Where)
	fmt.Fprintf(&b, "per AS (\n  %s\n),\n", strings.Join(periods, "\n  UNION ALL "))
	fmt.Fprintf(&b, "dims AS (\n  %s\n)\n", strings.Join(dims, "\n  UNION ALL "))
	fmt.Fprintf(&b, "SELECT %s, %s, %s, periodetype, periode, uitsplitsing, klasse, %s AS n\n", area["gm"], area["wk"], area["bu"], ind.Count.sql())
	fmt.Fprintf(&b, "FROM dims\nGROUP BY GROUPING SETS (%s)\nHAVING n > 0", strings.Join(sets, ", "))
	return b.String(), true
}

// TestCellsMatchOracle compares Cells with the SQL it replaced on random
// events and queries, in the dense and the map-backed cell table.
func TestCellsMatchOracle(t *testing.T) {
	testenv.Long(t) // the old SQL is slow: about 20 s
	pick := func(r *rand.Rand, from []string) []string {
		var out []string
		for _, v := range from {
			if r.IntN(3) == 0 {
				out = append(out, v)
			}
		}
		return out
	}
	var names []string
	for _, ind := range Indicators {
		names = append(names, ind.Name)
	}
	for seed := range uint64(8) {
		r := rand.New(rand.NewPCG(seed, 7))
		evs := randomEvents(r, []int{50, 300, 2000, 6000}[seed%4])
		for i := range evs {
			switch r.IntN(10) {
			case 0:
				evs[i].persoon = ""
			case 1:
				evs[i].zaak = ""
			case 2:
				evs[i].categorie = ""
			}
			if r.IntN(4) == 0 { // a second person in a case keeps zaken_minderjarig busy
				evs[i].zaak = fmt.Sprintf("z%d", r.IntN(20))
			}
		}
		s := loadStore(t, evs)
		queries := []Query{{Today: day("2026-02-15")}, {Today: day("2025-07-01")}}
		for range 6 {
			q := Query{
				Today:          day("2026-01-01").AddDate(0, r.IntN(6)-3, r.IntN(28)),
				Indicators:     pick(r, names),
				Niveaus:        pick(r, Niveaus),
				Periodetypes:   pick(r, Periodetypes),
				Uitsplitsingen: pick(r, Uitsplitsingen),
				Gemeenten:      pick(r, []string{"GM0147", "GM1742", "GM0153"}),
			}
			if r.IntN(2) == 0 {
				q.Van = fmt.Sprintf("2024-%02d", 1+r.IntN(12))
			}
			if r.IntN(2) == 0 {
				q.Tot = fmt.Sprintf("2025-%02d", 1+r.IntN(12))
			}
			queries = append(queries, q)
		}
		for i, q := range queries {
			q.Namer = testNames
			want, err := oracleCells(context.Background(), s, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, dense := range []int{1 << 22, 0} {
				denseCells = dense
				got, err := s.Cells(context.Background(), q)
				denseCells = 1 << 22
				if err != nil {
					t.Fatal(err)
				}
				if diff := gocmp.Diff(lines(want), lines(got)); diff != "" {
					t.Errorf("seed %d query %d (%+v), dense %d: Cells (-oracle +got):\n%s", seed, i, q, dense, diff)
				}
			}
			if seed == 0 && i == 0 && len(want) < 1000 {
				t.Errorf("only %d cells: the events test too little", len(want))
			}
		}
	}
}

// sortCells orders cells as they are published: indicator (as in
// Indicators), gebiedsniveau (regio, gemeente, wijk, buurt), gebiedscode,
// periodetype (jaar, kwartaal, maand), periode, uitsplitsing (as in
// Uitsplitsingen), klasse (known classes in transform's order, then
// categorieën by name, onbekend last).
func sortCells(cells []Cell) {
	slices.SortFunc(cells, func(a, b Cell) int {
		return cmp.Or(
			cmp.Compare(indicatorRank[a.Indicator], indicatorRank[b.Indicator]),
			cmp.Compare(a.Indicator, b.Indicator),
			cmp.Compare(niveauRank[a.Gebiedsniveau], niveauRank[b.Gebiedsniveau]),
			cmp.Compare(a.Gebiedscode, b.Gebiedscode),
			cmp.Compare(periodetypeRank[a.Periodetype], periodetypeRank[b.Periodetype]),
			cmp.Compare(a.Periode, b.Periode),
			cmp.Compare(uitsplitsingRank[a.Uitsplitsing], uitsplitsingRank[b.Uitsplitsing]),
			cmp.Compare(klasseRank[a.Klasse], klasseRank[b.Klasse]),
			cmp.Compare(a.Klasse, b.Klasse),
		)
	})
}

var indicatorRank = func() map[string]int {
	m := map[string]int{}
	for i, ind := range Indicators {
		m[ind.Name] = i
	}
	return m
}()

var niveauRank = rank(Niveaus)
