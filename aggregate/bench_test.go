package aggregate

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/ivz-twente/jeugd/transform"
)

// syntheticBatches makes n random events in batches of at most size rows.
func syntheticBatches(b *testing.B, n, size int) []arrow.RecordBatch {
	b.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	var recs []arrow.RecordBatch
	for done := 0; done < n; done += size {
		recs = append(recs, buildEvents(b, memory.DefaultAllocator, randomEvents(r, min(size, n-done))))
	}
	return recs
}

func BenchmarkLoad(b *testing.B) {
	const n = 1_000_000
	recs := syntheticBatches(b, n, 1<<16)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	ctx := context.Background()
	s, err := OpenStore(ctx, filepath.Join(b.TempDir(), "bench.duckdb"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	var took time.Duration
	for b.Loop() {
		b.StopTimer()
		if err := s.Reset(ctx); err != nil {
			b.Fatal(err)
		}
		rr, err := array.NewRecordReader(transform.EventSchema, recs)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		if err := s.Load(ctx, rr); err != nil {
			b.Fatal(err)
		}
		took += time.Since(start)
		rr.Release()
	}
	b.ReportMetric(float64(n)*float64(b.N)/took.Seconds(), "events/s")
}

func BenchmarkCells(b *testing.B) {
	const n = 200_000
	recs := syntheticBatches(b, n, 1<<16)
	ctx := context.Background()
	s, err := OpenStore(ctx, filepath.Join(b.TempDir(), "bench.duckdb"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	rr, err := array.NewRecordReader(transform.EventSchema, recs)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range recs {
		r.Release()
	}
	if err := s.Load(ctx, rr); err != nil {
		b.Fatal(err)
	}
	rr.Release()
	var cells int
	plan := testPlan(b)
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		c, err := s.Count(ctx, plan, Query{Today: day("2026-01-01"), Namer: testNames})
		if err != nil {
			b.Fatal(err)
		}
		cells += len(c.Cells)
	}
	b.ReportMetric(float64(cells)/time.Since(start).Seconds(), "cells/s")
	b.ReportMetric(float64(cells)/float64(b.N), "cells/op")
}
