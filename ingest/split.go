package ingest

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/ivz-twente/jeugd/internal/ordered"
)

// parsed is one chunk turned into a batch.
type parsed struct {
	b   arrow.RecordBatch
	st  Stats
	err error
}

// startSplit parses the file with n goroutines: one goroutine reads chunks
// in file order (only it touches the file until Release), n parse them,
// and splitNext takes the batches back in file order. A chunk is reused
// once parsed, so memory holds about 3n chunks at most.
func (r *Reader) startSplit(n int) *ordered.Map[*chunk, parsed] {
	free := make(chan *chunk, 3*n+2)
	for range cap(free) {
		free <- &chunk{}
	}
	ended := false
	read := func(ctx context.Context) (*chunk, bool) {
		if ended {
			return nil, false
		}
		var c *chunk
		select {
		case c = <-free:
		case <-ctx.Done():
			return nil, false
		}
		r.scan(ctx, c)
		ended = c.err != nil
		return c, true
	}
	parser := func() (func(*chunk) parsed, func()) {
		p := r.newParser()
		return func(c *chunk) parsed {
			out := parsed{b: p.parse(c), st: p.st, err: c.err}
			free <- c
			return out
		}, p.release
	}
	drop := func(p parsed) { p.b.Release() }
	return ordered.Start(r.ctx, n, read, parser, nil, drop)
}

// splitNext returns the parsed chunk that comes next in the file.
func (r *Reader) splitNext() (arrow.RecordBatch, Stats, error) {
	if r.split == nil {
		r.split = r.startSplit(r.opts.Workers)
	}
	p, ok := r.split.Next()
	if !ok { // cancelled before the end was read
		return nil, Stats{}, r.ctx.Err()
	}
	return p.b, p.st, p.err
}
