// Package ordered runs one stage's work on a stream in several goroutines
// and hands the results back in the order of the stream, so that a single
// large file is split across workers and its output stays deterministic.
package ordered

import (
	"context"
	"sync"
)

// Map applies work to the values that read yields, in n goroutines, and
// returns the results in the order read yielded the values. At most about
// 3n values are in flight. Next and Stop belong to one goroutine.
type Map[In, Out any] struct {
	cancel context.CancelFunc
	out    chan item[Out]
	wg     sync.WaitGroup
	next   int
	ahead  map[int]Out
	drop   func(Out)
}

type item[T any] struct {
	seq int
	v   T
}

// Start calls read in one goroutine until it returns false, and passes each
// value to one of n workers. newWorker gives every worker its own work
// function (for state that is not safe to share) and a done function called
// when that worker ends. Every value read reaches a worker, except one read
// as Stop cancels, which goes to dropIn (nil: nothing to free). drop frees
// a result that nobody takes after Stop.
func Start[In, Out any](ctx context.Context, n int, read func(context.Context) (In, bool),
	newWorker func() (work func(In) Out, done func()), dropIn func(In), drop func(Out)) *Map[In, Out] {
	n = max(n, 1)
	ctx, cancel := context.WithCancel(ctx)
	m := &Map[In, Out]{cancel: cancel, out: make(chan item[Out], 2*n), ahead: map[int]Out{}, drop: drop}
	in := make(chan item[In], n)
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		defer close(in)
		for seq := 0; ; seq++ {
			v, ok := read(ctx)
			if !ok {
				return
			}
			select {
			case in <- item[In]{seq, v}:
			case <-ctx.Done():
				if dropIn != nil {
					dropIn(v)
				}
				return
			}
		}
	}()
	var workers sync.WaitGroup
	for range n {
		workers.Add(1)
		go func() {
			defer workers.Done()
			work, done := newWorker()
			defer done()
			for it := range in {
				r := item[Out]{it.seq, work(it.v)}
				select {
				case m.out <- r:
				case <-ctx.Done():
					drop(r.v)
				}
			}
		}()
	}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		workers.Wait()
		close(m.out)
	}()
	return m
}

// Next returns the result of the next value in read's order. It returns
// false once every value read has been returned, or when the context ended.
func (m *Map[In, Out]) Next() (Out, bool) {
	for {
		if v, ok := m.ahead[m.next]; ok {
			delete(m.ahead, m.next)
			m.next++
			return v, true
		}
		it, ok := <-m.out
		if !ok {
			var zero Out
			return zero, false
		}
		m.ahead[it.seq] = it.v
	}
}

// Stop ends the goroutines, waits for them and drops every result not
// returned by Next.
func (m *Map[In, Out]) Stop() {
	m.cancel()
	for it := range m.out {
		m.drop(it.v)
	}
	m.wg.Wait()
	for _, v := range m.ahead {
		m.drop(v)
	}
	clear(m.ahead)
}
