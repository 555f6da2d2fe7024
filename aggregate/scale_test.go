package aggregate

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/ivz-twente/jeugd/transform/geocode"
)

// The store and reference of a real run, for timing counting and
// protection at scale:
//
//	JEUGD_STORE=state/runs/X.duckdb JEUGD_REFERENCE=referentie JEUGD_TODAY=2026-11-30 \
//	  go test ./aggregate -run '^$' -bench Scale -benchtime 1x -count 5
func BenchmarkScale(b *testing.B) {
	path, refDir := os.Getenv("JEUGD_STORE"), os.Getenv("JEUGD_REFERENCE")
	if path == "" || refDir == "" {
		b.Skip("JEUGD_STORE and JEUGD_REFERENCE not set")
	}
	today := time.Now().UTC()
	if v := os.Getenv("JEUGD_TODAY"); v != "" {
		today = day(v)
	}
	ref, err := geocode.LoadReference(refDir)
	if err != nil {
		b.Fatal(err)
	}
	s, err := OpenStoreReadOnly(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var gebieden []Gebied
	for _, bu := range ref.Buurten {
		gebieden = append(gebieden, Gebied{bu.Code, bu.Wijkcode, bu.Gemeentecode})
	}
	plan := testPlan(b)
	p := Policy{Plan: plan, Margin: DefaultMargin}
	// ns/op is the protection alone: counting and the check are left out.
	for b.Loop() {
		b.StopTimer()
		t0 := time.Now()
		c, err := s.Count(context.Background(), plan, Query{Today: today, Namer: ref, Gebieden: gebieden})
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		b.StartTimer()
		sum, err := c.Protect(context.Background(), p)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		if err := c.Verify(p); err != nil {
			b.Fatal(err)
		}
		var prim, sec int
		for _, l := range sum.Tables {
			prim, sec = prim+l.Primary, sec+l.Secondary
		}
		b.Logf("%d cells: count %.1fs, protect %.1fs, verify %.1fs; primary %d, secondary %d", len(c.Cells),
			t1.Sub(t0).Seconds(), t2.Sub(t1).Seconds(), time.Since(t2).Seconds(), prim, sec)
		for i := range c.parts {
			b.Logf("  %-22s %+v", c.parts[i].g.ip.Name, c.parts[i].res.Stats)
		}
		b.StartTimer() // b.Loop refuses a stopped timer
	}
}
