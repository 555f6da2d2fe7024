//go:build duckdb_arrow

package aggregate

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/duckdb/duckdb-go/v2"

	"github.com/ivz-twente/jeugd/transform"
)

// loads numbers the views under which Load shows events to DuckDB, so
// that no view of an earlier, failed load can be in the way.
var loads atomic.Int64

// Load appends every batch of events to the store in one statement: on
// error nothing of this call is kept. DuckDB reads the batches through
// duckdb-go's Arrow interface (the C data interface, build tag
// duckdb_arrow) as the caller's reader yields them, so no event is staged
// anywhere but in the store. Load does not release events; the caller does.
func (s *Store) Load(ctx context.Context, events array.RecordReader) error {
	if s.readOnly {
		return ErrReadOnly
	}
	if err := checkSchema(events.Schema()); err != nil {
		return err
	}
	start := time.Now()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("load events: %w", err)
	}
	defer conn.Close()
	in := &loadReader{ctx: ctx, src: events}
	in.refs.Store(1)
	defer in.Release()
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(driver.Conn)
		if !ok {
			return errors.New("not a DuckDB connection")
		}
		ar, err := duckdb.NewArrowFromConn(c)
		if err != nil {
			return err
		}
		view := fmt.Sprintf("jeugd_load_%d", loads.Add(1))
		release, err := ar.RegisterView(in, view)
		if err != nil {
			return err
		}
		defer release()
		exec := func(ctx context.Context, q string) error {
			_, err := c.(driver.ExecerContext).ExecContext(ctx, q, nil)
			return err
		}
		// Cleaned up also when ctx ended: the connection goes back to the pool.
		defer exec(context.Background(), "DROP VIEW IF EXISTS "+view)
		// Row order means nothing in the store; without it DuckDB inserts
		// (and compresses) on every thread: 1M events 3.8 s -> 1.7 s wall.
		if err := exec(ctx, "SET preserve_insertion_order = false"); err != nil {
			return err
		}
		defer exec(context.Background(), "RESET preserve_insertion_order")
		return exec(ctx, insertViewSQL(view))
	})
	// The reader's own error says more than DuckDB's report of it.
	if err := errors.Join(in.Err(), ctx.Err()); err != nil {
		return fmt.Errorf("load events: %w", err)
	}
	if err != nil {
		return fmt.Errorf("load events: %w", err)
	}
	if err := s.restrict(); err != nil {
		return err
	}
	s.Log.Info().Int64("events", in.rows.Load()).Dur("took", time.Since(start)).Msg("events loaded")
	return nil
}

// insertViewSQL names the columns, so the insert does not depend on the
// order DuckDB lists the view's columns in.
func insertViewSQL(view string) string {
	cols := make([]string, 0, len(transform.EventSchema.Fields()))
	for _, f := range transform.EventSchema.Fields() {
		cols = append(cols, f.Name)
	}
	list := strings.Join(cols, ", ")
	return fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s", eventsTable, list, list, view)
}

// loadReader hands the caller's batches to DuckDB as EventSchema exactly
// (the export wants one schema; nullability and metadata may differ in a
// batch), checks each batch and stops on cancellation. DuckDB calls Next
// from its own threads; mu keeps the calls one at a time.
type loadReader struct {
	mu    sync.Mutex
	refs  atomic.Int64
	ctx   context.Context
	src   array.RecordReader
	cur   arrow.RecordBatch
	n     int
	err   error
	rows  atomic.Int64
	ended bool
}

var _ array.RecordReader = (*loadReader)(nil)

func (r *loadReader) Retain() { r.refs.Add(1) }

func (r *loadReader) Release() {
	if r.refs.Add(-1) != 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
}

func (r *loadReader) Schema() *arrow.Schema          { return transform.EventSchema }
func (r *loadReader) RecordBatch() arrow.RecordBatch { r.mu.Lock(); defer r.mu.Unlock(); return r.cur }
func (r *loadReader) Record() arrow.RecordBatch      { return r.RecordBatch() }
func (r *loadReader) Err() error                     { r.mu.Lock(); defer r.mu.Unlock(); return r.err }

func (r *loadReader) Next() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if r.ended {
		return false
	}
	if err := r.ctx.Err(); err != nil {
		return r.stop(err)
	}
	if !r.src.Next() {
		return r.stop(r.src.Err())
	}
	r.n++
	rec := r.src.RecordBatch()
	if err := checkSchema(rec.Schema()); err != nil {
		return r.stop(fmt.Errorf("batch %d: %w", r.n, err))
	}
	r.cur = array.NewRecordBatch(transform.EventSchema, rec.Columns(), rec.NumRows())
	r.rows.Add(rec.NumRows())
	return true
}

func (r *loadReader) stop(err error) bool {
	r.err, r.ended = err, true
	return false
}
