package aggregate

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// A store of a real run, e.g. state/runs/*.duckdb after
// `jeugd run` on a generated inbox, for timing Cells at scale:
//
//	JEUGD_STORE=/tmp/x.duckdb JEUGD_TODAY=2026-11-28 go test ./aggregate -run '^$' -bench CellsStore -benchtime 3x
//
// With JEUGD_ORACLE=1, TestCellsStoreMatchOracle compares Cells on it with
// the SQL it replaced (slow: that is the point).
func openBenchStore(tb testing.TB) (*Store, Query) {
	tb.Helper()
	path := os.Getenv("JEUGD_STORE")
	if path == "" {
		tb.Skip("JEUGD_STORE not set")
	}
	today := time.Now().UTC()
	if v := os.Getenv("JEUGD_TODAY"); v != "" {
		today = day(v)
	}
	s, err := OpenStoreReadOnly(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s, Query{Today: today, Namer: testNames}
}

func BenchmarkCellsStore(b *testing.B) {
	s, q := openBenchStore(b)
	var cells int
	for b.Loop() {
		c, err := s.Cells(context.Background(), q)
		if err != nil {
			b.Fatal(err)
		}
		cells = len(c)
	}
	b.ReportMetric(float64(cells), "cells/op")
}

func TestCellsStoreMatchOracle(t *testing.T) {
	if os.Getenv("JEUGD_ORACLE") == "" {
		t.Skip("JEUGD_ORACLE not set")
	}
	s, q := openBenchStore(t)
	ctx := context.Background()
	start := time.Now()
	want, err := oracleCells(ctx, s, q)
	if err != nil {
		t.Fatal(err)
	}
	oracle := time.Since(start)
	start = time.Now()
	got, err := s.Cells(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d cells; oracle %v, Cells %v", len(got), oracle, time.Since(start))
	if diff := cmp.Diff(lines(want), lines(got)); diff != "" {
		t.Errorf("Cells (-oracle +got):\n%s", diff)
	}
}
