package transform

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/ivz-twente/jeugd/internal/ordered"
	"github.com/ivz-twente/jeugd/schemas"
)

// Events wraps a reader of src's raw batches into a reader of EventSchema
// batches: the transform stage as the pipeline runs it. Options.Workers
// goroutines transform the batches of this one file, each with its own
// FileStage, and the events keep the order of the raw batches. It retains
// raw and releases it with its own last Release; the caller still releases
// its own reference. Batches that lose every row to the quarantine are
// skipped. When raw ends the stage logs one line with the file's counts.
func (t *Transformer) Events(ctx context.Context, raw array.RecordReader, src *schemas.Source, file, sheet string) array.RecordReader {
	raw.Retain()
	r := &eventReader{ctx: ctx, raw: raw}
	r.refs.Store(1)
	read := func(context.Context) (arrow.RecordBatch, bool) {
		if !raw.Next() {
			r.rawErr = raw.Err()
			return nil, false
		}
		b := raw.RecordBatch()
		b.Retain() // raw.Next releases it
		return b, true
	}
	newWorker := func() (func(arrow.RecordBatch) applied, func()) {
		st := t.Stage(src, file, sheet)
		r.mu.Lock()
		r.stages = append(r.stages, st)
		r.mu.Unlock()
		return func(in arrow.RecordBatch) applied {
			defer in.Release()
			out, err := st.Apply(ctx, in)
			return applied{out, err}
		}, func() {}
	}
	r.m = ordered.Start(ctx, t.opts.Workers, read, newWorker, arrow.RecordBatch.Release, drop)
	return r
}

// applied is one raw batch transformed.
type applied struct {
	out arrow.RecordBatch
	err error
}

var _ array.RecordReader = (*eventReader)(nil)

type eventReader struct {
	refs   atomic.Int64
	ctx    context.Context
	raw    array.RecordReader
	m      *ordered.Map[arrow.RecordBatch, applied]
	rawErr error // set by the reading goroutine before m ends

	mu     sync.Mutex
	stages []*FileStage

	cur  arrow.RecordBatch
	err  error
	done bool
}

func (r *eventReader) Retain() { r.refs.Add(1) }

func (r *eventReader) Release() {
	if r.refs.Add(-1) != 0 {
		return
	}
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	r.m.Stop()
	r.raw.Release()
}

func (r *eventReader) Schema() *arrow.Schema { return EventSchema }

func (r *eventReader) Next() bool {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	for !r.done {
		a, ok := r.m.Next()
		switch {
		case !ok:
			r.err, r.done = r.rawErr, true
			if r.err == nil {
				r.err = r.ctx.Err()
			}
			if r.err == nil {
				r.logTotal()
			}
		case a.err != nil:
			drop(a)
			r.err, r.done = a.err, true
		case a.out.NumRows() == 0:
			a.out.Release()
		default:
			r.cur = a.out
			return true
		}
	}
	return false
}

// drop frees a transformed batch nobody takes.
func drop(a applied) {
	if a.out != nil {
		a.out.Release()
	}
}

func (r *eventReader) RecordBatch() arrow.RecordBatch { return r.cur }
func (r *eventReader) Record() arrow.RecordBatch      { return r.cur }
func (r *eventReader) Err() error                     { return r.err }

// logTotal writes the file's one log line: counts only, never a value.
func (r *eventReader) logTotal() {
	var b batchStats
	r.mu.Lock()
	for _, st := range r.stages {
		b.add(&st.total)
	}
	r.mu.Unlock()
	if len(r.stages) == 0 {
		return
	}
	s := r.stages[0]
	s.log.Info().Str("file", s.file).Int("events", b.events).Int("rows_quarantined", b.quarantinedTotal()).
		Int("invalid_bsn", b.invalidBSN).Int("missing_persoon", b.missingPersoon).Int("unknown_categorie", b.unknown).
		Msg("file transformed")
}
