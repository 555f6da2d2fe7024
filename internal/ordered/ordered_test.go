package ordered

import (
	"context"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"
)

func counter(n int) func(context.Context) (int, bool) {
	i := 0
	return func(context.Context) (int, bool) {
		if i == n {
			return 0, false
		}
		i++
		return i, true
	}
}

// TestMapKeepsOrder makes later values finish first: the results still come
// back in read order, each once, and every worker ends.
func TestMapKeepsOrder(t *testing.T) {
	var done atomic.Int32
	m := Start(context.Background(), 4, counter(200), func() (func(int) int, func()) {
		return func(v int) int {
			time.Sleep(time.Duration(rand.IntN(200)) * time.Microsecond)
			return v * 10
		}, func() { done.Add(1) }
	}, nil, func(int) { t.Error("a result was dropped") })
	for want := 1; want <= 200; want++ {
		got, ok := m.Next()
		if !ok || got != want*10 {
			t.Fatalf("Next() = %d, %v; want %d", got, ok, want*10)
		}
	}
	if _, ok := m.Next(); ok {
		t.Error("Next() after the last value returned true")
	}
	m.Stop()
	if done.Load() != 4 {
		t.Errorf("%d workers ended, want 4", done.Load())
	}
}

// TestMapStopDrops stops after one result: every value read is either
// worked on or dropped, every result not taken is dropped, nothing twice.
func TestMapStopDrops(t *testing.T) {
	var read, made, droppedIn, dropped atomic.Int32
	next := counter(1000)
	m := Start(context.Background(), 3, func(ctx context.Context) (int, bool) {
		v, ok := next(ctx)
		if ok {
			read.Add(1)
		}
		return v, ok
	}, func() (func(int) int, func()) {
		return func(v int) int { made.Add(1); return v }, func() {}
	}, func(int) { droppedIn.Add(1) }, func(int) { dropped.Add(1) })
	if v, ok := m.Next(); !ok || v != 1 {
		t.Fatalf("Next() = %d, %v", v, ok)
	}
	m.Stop()
	if made.Load() != dropped.Load()+1 || read.Load() != made.Load()+droppedIn.Load() {
		t.Errorf("read %d, made %d, dropped %d values and %d results, taken 1", read.Load(), made.Load(), droppedIn.Load(), dropped.Load())
	}
}
