package aggregate

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// The oracle counts every table of the plan with plain SQL, one GROUP BY
// per table, where Count counts all tables at once in Go from integer
// codes. TestCountMatchesOracle compares them on random events: every
// nonzero oracle count is the cell's value, every other cell is 0.

var oracleArea = []string{"'regio'", "gm", "wk", "bu"}

var oraclePeriod = []string{
	"CAST(year(datum) AS VARCHAR)",
	"CAST(year(datum) AS VARCHAR) || '-K' || CAST(quarter(datum) AS VARCHAR)",
	"strftime(datum, '%Y-%m')",
}

func oracleSQL(ind Indicator, t Table, to time.Time) string {
	pre := ind.Locatie.prefix()
	cls := "'totaal'"
	if t.Uitsplitsing > 0 {
		cls = fmt.Sprintf("coalesce(nullif(%s, ''), 'onbekend')", Uitsplitsingen[t.Uitsplitsing])
	}
	agg := "count(*)"
	switch ind.Count {
	case CountPersoon:
		agg = "count(DISTINCT persoon)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "WITH %s, ev AS (SELECT *, %sgemeentecode AS gm,", zakenMinderjarigCTE, pre)
	fmt.Fprintf(&b, " coalesce(nullif(%[1]swijkcode, ''), 'WK' || substr(%[1]sgemeentecode, 3) || 'XX') AS wk,", pre)
	fmt.Fprintf(&b, " coalesce(nullif(%[1]sbuurtcode, ''), 'BU' || substr(%[1]sgemeentecode, 3) || 'XXXX') AS bu", pre)
	fmt.Fprintf(&b, " FROM events WHERE nullif(%sgemeentecode, '') IS NOT NULL AND (%s) AND datum < DATE '%s'", pre, ind.Where, to.Format(time.DateOnly))
	switch ind.Count {
	case CountPersoon:
		b.WriteString(" AND persoon IS NOT NULL")
	case CountZaak:
		b.WriteString(" AND zaak IS NOT NULL QUALIFY row_number() OVER (PARTITION BY zaak ORDER BY datum, gm, wk, bu, " + strings.Join(Uitsplitsingen[1:], ", ") + ") = 1")
	}
	fmt.Fprintf(&b, ") SELECT %s, %s, %s, %s FROM ev GROUP BY ALL", oracleArea[t.Niveau], oraclePeriod[t.Periodetype], cls, agg)
	return b.String()
}

func TestCountMatchesOracle(t *testing.T) {
	for seed := range uint64(4) {
		r := rand.New(rand.NewPCG(seed, 9))
		evs := randomEvents(r, []int{40, 300, 2000, 5000}[seed])
		t.Run(fmt.Sprint(len(evs)), func(t *testing.T) {
			s := loadStore(t, evs)
			today := day("2026-02-15")
			c := count(t, s, today.Format(time.DateOnly), testGebieden)
			got := map[string]int64{}
			labels := map[string]bool{} // table|period published at all
			for _, cell := range c.Cells {
				tk := cell.Indicator + "|" + cell.Gebiedsniveau + "|" + cell.Periodetype + "|" + cell.Uitsplitsing
				got[tk+"|"+cell.Gebiedscode+"|"+cell.Periode+"|"+cell.Klasse] = cell.Waarde
				labels[tk+"|"+cell.Periode] = true
			}
			seen := 0
			for _, ip := range testPlan(t).Indicatoren {
				for _, tb := range ip.Tables {
					tk := ip.Name + "|" + Niveaus[tb.Niveau] + "|" + Periodetypes[tb.Periodetype] + "|" + Uitsplitsingen[tb.Uitsplitsing]
					rows, err := s.db.QueryContext(context.Background(), oracleSQL(ip.Indicator, tb, periodStart(today, "maand")))
					if err != nil {
						t.Fatal(err)
					}
					for rows.Next() {
						var code, per, klasse string
						var n int64
						if err := rows.Scan(&code, &per, &klasse, &n); err != nil {
							t.Fatal(err)
						}
						if tb.Niveau == 0 {
							code = "regio"
						}
						if !labels[tk+"|"+per] {
							continue // an incomplete period: not published
						}
						k := tk + "|" + code + "|" + per + "|" + klasse
						v, ok := got[k]
						switch {
						case !ok:
							t.Errorf("%s: oracle %d, no cell", k, n)
						case v != n:
							t.Errorf("%s: got %d, oracle %d", k, v, n)
						}
						delete(got, k)
						seen++
					}
					rows.Close()
				}
			}
			for k, v := range got {
				if v != 0 {
					t.Errorf("%s = %d, oracle has no events there", k, v)
				}
			}
			if seen == 0 {
				t.Fatal("the oracle counted nothing")
			}
		})
	}
}
