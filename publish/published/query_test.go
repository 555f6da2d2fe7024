package published

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ivz-twente/jeugd/aggregate"
	"github.com/ivz-twente/jeugd/publish"
)

// openFixture publishes a small dashboard table and opens it.
func openFixture(t testing.TB, lim Limits) *Tables {
	t.Helper()
	dir := t.TempDir()
	var cells []aggregate.Cell
	for i := range 200 {
		cells = append(cells, aggregate.Cell{Indicator: "jeugdoverlast", Gebiedsniveau: "buurt", Gebiedscode: fmt.Sprintf("BU0147%04d", i),
			Gebiedsnaam: "buurt", Gemeentecode: "GM0147", Periodetype: "jaar", Periode: "2024", Uitsplitsing: "totaal",
			Klasse: "totaal", Waarde: int64(i % 9), Onderdrukt: i%9 == 1})
	}
	if err := publish.WriteDashboard(dir, cells); err != nil {
		t.Fatal(err)
	}
	tb, err := Open(context.Background(), dir, lim)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tb.Close() })
	return tb
}

// query runs q and returns its rows as text.
func query(t *testing.T, tb *Tables, ctx context.Context, q string) ([]string, error) {
	t.Helper()
	var out []string
	err := tb.Query(ctx, q, func([]string) error { return nil }, func(row []any) error {
		out = append(out, fmt.Sprint(row...))
		return nil
	})
	return out, err
}

// TestQueryRefusesBeforeRunning: several statements, writes and anything
// that reaches outside the table are refused before any part runs, so the
// table is unchanged afterwards.
func TestQueryRefusesBeforeRunning(t *testing.T) {
	tb := openFixture(t, Limits{})
	ctx := context.Background()
	const fingerprint = "select count(*), sum(coalesce(waarde, 0)), count(*) filter (where onderdrukt) from indicatoren"
	before, err := query(t, tb, ctx, fingerprint)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"update indicatoren set waarde = 7 where onderdrukt; select count(*) from indicatoren",
		"select 1; drop table indicatoren",
		"create table x as select 1; select 1",
		"create table x as select 1",
		"insert into indicatoren select * from indicatoren",
		"delete from indicatoren",
		"attach ':memory:' as y",
		"load json",
		"checkpoint",
		"set memory_limit = '10GB'",
		"copy indicatoren to 'x.csv'",
		"explain analyze select 1",
	} {
		if _, err := query(t, tb, ctx, q); !errors.Is(err, ErrNotReadOnly) {
			t.Errorf("query %q: %v, want ErrNotReadOnly", q, err)
		}
	}
	after, err := query(t, tb, ctx, fingerprint)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(before, "|") != strings.Join(after, "|") {
		t.Errorf("the table changed: %q before, %q after", before, after)
	}
	for _, q := range []string{"select count(*) from duckdb_tables() where table_name <> 'indicatoren'", "select count(*) from duckdb_databases() where database_name = 'y'"} {
		if got, err := query(t, tb, ctx, q); err != nil || strings.Join(got, "") != "0" {
			t.Errorf("%s = %q, %v; want 0: a refused statement ran", q, got, err)
		}
	}
	// What an analyst does is allowed.
	for _, q := range []string{
		"select periode, sum(waarde) from indicatoren group by 1",
		"from indicatoren limit 1",
		"with t as (select * from indicatoren) select count(*) from t",
		"describe indicatoren",
		"pivot indicatoren on periodetype in ('jaar') using count(*)",
	} {
		if _, err := query(t, tb, ctx, q); err != nil {
			t.Errorf("query %q: %v", q, err)
		}
	}
}

// TestQueryLimits: an unbounded query stops at the time limit within a few
// seconds, a memory-hungry one at the memory limit, a long result at the
// row limit; no setting shows a path of this machine.
func TestQueryLimits(t *testing.T) {
	tb := openFixture(t, Limits{Memory: "128MB", MaxRows: 50})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	start := time.Now()
	_, err := query(t, tb, ctx, "select count(*) from range(10000000000000)")
	if took := time.Since(start); !errors.Is(err, context.DeadlineExceeded) || took > 5*time.Second {
		t.Errorf("unbounded query: %v after %v; want the time limit within seconds", err, took)
	}
	start = time.Now()
	_, err = query(t, tb, context.Background(), "select sum(len(l)) from (select list(range) l from range(300000000))")
	if err == nil || !strings.Contains(err.Error(), "Out of Memory") || time.Since(start) > 10*time.Second {
		t.Errorf("memory-hungry query: %v after %v; want the memory limit", err, time.Since(start))
	}
	if _, err := query(t, tb, context.Background(), "select * from range(51)"); !errors.Is(err, ErrTooManyRows) {
		t.Errorf("51 rows with a limit of 50: %v, want ErrTooManyRows", err)
	}
	if rows, err := query(t, tb, context.Background(), "select * from range(50)"); err != nil || len(rows) != 50 {
		t.Errorf("50 rows with a limit of 50: %d rows, %v", len(rows), err)
	}

	rows, err := query(t, tb, context.Background(), "select string_agg(name || '=' || value, chr(10)) from duckdb_settings()")
	if err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	home, _ := os.UserHomeDir()
	for _, r := range rows {
		for _, p := range []string{wd, home, os.TempDir(), filepath.Base(wd), ".tmp"} {
			if p != "" && p != "/" && strings.Contains(r, p) {
				t.Errorf("setting %q shows the path %s", r, p)
			}
		}
	}
}

// BenchmarkQuery measures a small query end to end, the statement check
// (json_serialize_sql, then prepare and type) included.
func BenchmarkQuery(b *testing.B) {
	tb := openFixture(b, Limits{})
	for b.Loop() {
		if err := tb.Query(context.Background(), "select count(*) from indicatoren where onderdrukt",
			func([]string) error { return nil }, func([]any) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
