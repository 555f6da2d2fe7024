package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ivz-twente/jeugd/aggregate"
	"github.com/ivz-twente/jeugd/internal/attacker"
	"github.com/ivz-twente/jeugd/internal/demo"
	"github.com/ivz-twente/jeugd/internal/pipeline"
	"github.com/ivz-twente/jeugd/internal/testenv"
	"github.com/ivz-twente/jeugd/schemas"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

// twente is the real CBS reference data of Twente beside the repository.
const twente = "../../../shared/data"

// TestAttackPublication is the outside analyst of SECURITY.md at work on
// the real buurten of Twente: it reads every published table of a run
// (the dashboard, every gemeente's CSV) and a stricter analyst's answer,
// takes what any of them shows, and bounds every withheld cell by interval
// propagation and linear programming over every relation between them.
// Not one withheld cell may be determined, and not one small count may be
// pinned to fewer than k values. The attacker is internal/attacker, which
// shares no code with the protection.
func TestAttackPublication(t *testing.T) {
	testenv.Long(t)
	if _, err := os.Stat(twente); err != nil {
		t.Skip("no ../shared/data with the Twente reference beside the repository")
	}
	ref, err := geocode.LoadReference(twente)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		rows int
	}{{"demo", demo.ReferenceRows(ref)}, {"generate-300k", 300_000}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			day := time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC)
			if _, err := demo.WriteInbox(filepath.Join(dir, "inbox"), ref, demo.InboxOptions{Seed: 7, Rows: tc.rows, Today: day, Messy: true}); err != nil {
				t.Fatal(err)
			}
			o := pipeline.Options{
				Inbox: filepath.Join(dir, "inbox"), Reference: twente,
				Out: filepath.Join(dir, "out"), State: filepath.Join(dir, "state"),
				Key: []byte("0123456789abcdef0123456789abcdef-attack"), Today: day, Software: pipeline.Software{Version: "test"},
				Log: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel),
			}
			m, err := pipeline.Run(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			attack(t, o, ref, m.RunID)
		})
	}
}

func attack(t *testing.T, o pipeline.Options, ref *geocode.Reference, runID string) {
	t.Helper()
	latest := filepath.Join(o.Out, pipeline.LatestLink)
	files, _ := filepath.Glob(filepath.Join(latest, "gemeenten", "*", "indicatoren.csv"))
	files = append(files, filepath.Join(latest, "dashboard", "indicatoren.csv"))
	var rows []attacker.Row
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		r, err := attacker.ReadCSV(fh)
		fh.Close()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		rows = append(rows, r...)
	}

	// The truth, and a stricter answer, from the run's own store.
	plan, err := aggregate.NewPlan(schemas.Builtin().Plan)
	if err != nil {
		t.Fatal(err)
	}
	store, err := aggregate.OpenStoreReadOnly(context.Background(), pipeline.StorePath(o.State, runID))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	q := aggregate.Query{Today: o.Today, Namer: ref, Gebieden: pipeline.Gebieden(ref)}
	counts, err := store.Count(context.Background(), plan, q)
	if err != nil {
		t.Fatal(err)
	}
	truth := map[string]int64{}
	for _, c := range counts.Cells {
		truth[key(c.Indicator, c.Gebiedsniveau, c.Gebiedscode, c.Periodetype, c.Periode, c.Uitsplitsing, c.Klasse)] = c.Waarde
	}
	pub := aggregate.Policy{Plan: plan, Margin: aggregate.DefaultMargin}
	published := map[string]bool{}
	for _, r := range rows {
		if r.Withheld {
			published[key(r.Indicator, r.Niveau, r.Code, r.Periodetype, r.Periode, r.Uitsplitsing, r.Klasse)] = true
		}
	}
	strict := pub
	strict.MinCount = 8
	answer, err := store.Stricter(context.Background(), q, pub, strict, func(c *aggregate.Cell) bool {
		return published[key(c.Indicator, c.Gebiedsniveau, c.Gebiedscode, c.Periodetype, c.Periode, c.Uitsplitsing, c.Klasse)]
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range answer {
		rows = append(rows, attacker.Row{Indicator: c.Indicator, Niveau: c.Gebiedsniveau, Code: c.Gebiedscode, Periodetype: c.Periodetype,
			Periode: c.Periode, Uitsplitsing: c.Uitsplitsing, Klasse: c.Klasse, Waarde: c.Waarde, Withheld: c.Onderdrukt})
	}

	cells, rels, uniq, err := attacker.System(rows, func(ind string) bool { return plan.Indicator(ind).Count != aggregate.CountPersoon })
	if err != nil {
		t.Fatal(err)
	}
	b, bad := attacker.Propagate(cells, rels)
	if bad {
		t.Fatal("the published tables contradict their relations")
	}
	st, err := attacker.TightenLP(cells, rels, &b, func(i int) bool { return cells[i].Withheld }, 400)
	if err != nil {
		t.Fatal(err)
	}
	withheld, exact, narrow := 0, 0, 0
	for i, c := range cells {
		if !c.Withheld {
			continue
		}
		withheld++
		u := uniq[i]
		v, ok := truth[key(u.Indicator, u.Niveau, u.Code, u.Periodetype, u.Periode, u.Uitsplitsing, u.Klasse)]
		if !ok {
			t.Fatalf("withheld cell %+v not in the store's count", u)
		}
		if v < b.Lo[i] || v > b.Hi[i] {
			t.Fatalf("attacker unsound: %+v = %d outside [%d, %d]", u, v, b.Lo[i], b.Hi[i])
		}
		if b.Lo[i] == b.Hi[i] {
			exact++
			t.Errorf("withheld %+v determined: %d", u, v)
		}
		if k := plan.Indicator(u.Indicator).K; v > 0 && v < k && b.Hi[i]-b.Lo[i]+1 < k {
			narrow++
			t.Errorf("small %+v = %d pinned to [%d, %d]", u, v, b.Lo[i], b.Hi[i])
		}
	}
	t.Logf("%d cells from %d files and a k=8 answer, %d relations, %d withheld; LP on %d components (%d larger than 400 cells, %d numeric failures): %d determined, %d small pinned below k values",
		len(cells), len(files), len(rels), withheld, st.Solved, st.Skipped, st.Failed, exact, narrow)
	if withheld == 0 {
		t.Fatal("nothing withheld: the attack tested nothing")
	}
}

func key(parts ...string) string { return strings.Join(parts, "|") }
