package pipeline

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/ivz-twente/jeugd/aggregate"
	"github.com/ivz-twente/jeugd/ingest"
	"github.com/ivz-twente/jeugd/transform"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

// fileResult is what reading one input file reports.
type fileResult struct {
	stats  ingest.Stats
	sheet  string
	titles []string // above the header: may declare the period
	err    error
	// first and last are the span of event dates, when hasRows.
	first, last arrow.Date32
	hasRows     bool
}

// load opens this run's store and streams every inbox file through ingest
// and transform into it: ingest.Reader -> transform.Events -> Store.Load,
// record readers end to end. Up to Workers files are read at once, and each
// file is itself split across Workers goroutines per stage.
func (r *run) load(ctx context.Context) error {
	o := r.o
	store, err := aggregate.OpenStore(ctx, r.storePath)
	if err != nil {
		return err
	}
	r.store = store
	tr, err := transform.New(transform.Options{
		Key: o.Key, Locator: geocode.NewGeocoder(r.ref), Classificatie: o.Schemas.Classificatie,
		Quarantine: r.q, Today: o.Today, Workers: o.Workers, Log: r.log,
	})
	if err != nil {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	r.stage("load", fmt.Sprintf("reading %d files from %s", len(r.files), o.Inbox))
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	events := newEventStream(func() { testPause(ctx, r.log, "ingest") })
	results := make([]fileResult, len(r.files))
	go func() {
		r.readFiles(readCtx, tr, events, results)
		close(events.in)
	}()
	loadErr := store.Load(ctx, events)
	stopReading() // when the store stopped early, the readers stop too
	events.drain()
	if loadErr != nil {
		return fmt.Errorf("load store: %w", loadErr)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	r.m.Events = int(events.rows.Load())
	if r.m.addInputs(r.files, results, r.q, r.log) == 0 {
		return ErrNothingToDo
	}
	r.stats = tr.Stats()
	addTransformStats(r.m, r.stats)
	return r.coverage(results)
}

// readFiles reads the files that are not duplicates, Workers at a time, and
// sends their events to out. It returns when every file is done.
func (r *run) readFiles(ctx context.Context, tr *transform.Transformer, out *eventStream, results []fileResult) {
	var wg sync.WaitGroup
	slots := make(chan struct{}, r.o.Workers)
	for i, f := range r.files {
		if f.Duplicat != "" {
			continue
		}
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return
		}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			results[i] = r.readFile(ctx, f, tr, out)
		}()
	}
	wg.Wait()
}

// readFile ingests and transforms one file, sending its event batches to
// out.
func (r *run) readFile(ctx context.Context, f InputFile, tr *transform.Transformer, out *eventStream) fileResult {
	o := r.o
	raw, err := ingest.NewReader(ctx, f.abs, f.src, ingest.Options{
		Quarantine: r.q, Log: r.log.With().Str("file", f.Path).Logger(), Name: f.Path,
		Mem: memory.DefaultAllocator, Workers: o.Workers,
	})
	if err != nil {
		return fileResult{err: err}
	}
	defer raw.Release()
	res := fileResult{sheet: raw.Sheet(), titles: raw.Titles()}
	ev := tr.Events(ctx, raw, f.src, f.Path, raw.Sheet())
	defer ev.Release()
	for ev.Next() {
		b := ev.RecordBatch()
		res.dates(b)
		b.Retain()
		select {
		case out.in <- b:
		case <-ctx.Done():
			b.Release()
			return fileResult{err: ctx.Err()}
		}
	}
	res.err = ev.Err()
	res.stats = raw.Stats()
	if o.Progress != nil {
		fmt.Fprintf(o.Progress, "  read %9d rows  %s\n", res.stats.Read, f.Path)
	}
	return res
}

// eventStream is the record reader the store loads: the event batches of
// every file, in the order they are ready. It is fed through a channel (no
// iterator coroutine: DuckDB calls Next from a thread of its own).
type eventStream struct {
	refs    atomic.Int64
	in      chan arrow.RecordBatch
	cur     arrow.RecordBatch
	rows    atomic.Int64
	onFirst func() // called once the store has taken the first batch
	taken   bool
}

var _ array.RecordReader = (*eventStream)(nil)

func newEventStream(onFirst func()) *eventStream {
	s := &eventStream{in: make(chan arrow.RecordBatch, 4), onFirst: onFirst}
	s.refs.Store(1)
	return s
}

func (s *eventStream) Retain() { s.refs.Add(1) }

func (s *eventStream) Release() {
	if s.refs.Add(-1) == 0 && s.cur != nil {
		s.cur.Release()
		s.cur = nil
	}
}

func (s *eventStream) Schema() *arrow.Schema          { return transform.EventSchema }
func (s *eventStream) RecordBatch() arrow.RecordBatch { return s.cur }
func (s *eventStream) Record() arrow.RecordBatch      { return s.cur }
func (s *eventStream) Err() error                     { return nil }

func (s *eventStream) Next() bool {
	if s.cur != nil {
		s.cur.Release()
		s.cur = nil
		if !s.taken {
			s.taken = true
			s.onFirst()
		}
	}
	b, ok := <-s.in
	if !ok {
		return false
	}
	s.cur = b
	s.rows.Add(b.NumRows())
	return true
}

// drain releases what the readers still send after the store stopped
// taking batches, until they are done.
func (s *eventStream) drain() {
	for b := range s.in {
		b.Release()
	}
	s.Release()
}
