package aggregate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver
	"github.com/rs/zerolog"

	"github.com/ivz-twente/jeugd/transform"
)

// eventsTable holds the anonymous events, one column per field of
// transform.EventSchema, in that order.
const eventsTable = "events"

// ErrSchema reports a record batch whose schema is not transform.EventSchema.
var ErrSchema = errors.New("not the anonymous event schema")

// ErrReadOnly reports a write to a store opened with OpenStoreReadOnly.
var ErrReadOnly = errors.New("store is read-only")

// Store is the internal DuckDB database of anonymous events. It holds
// pseudonyms, so its file and directory are owner-only and it is never
// published. A Store is safe for concurrent use like *sql.DB, but Load and
// Reset must not run at the same time.
type Store struct {
	Log zerolog.Logger // defaults to zerolog.Nop()

	db       *sql.DB
	path     string
	readOnly bool
}

// OpenStore creates or opens the DuckDB file at path for writing. A missing
// parent directory is created 0700; the file and its write-ahead log are
// kept 0600.
func OpenStore(ctx context.Context, path string) (*Store, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create store directory: %w", err)
	}
	if err := create(ctx, path); err != nil {
		return nil, err
	}
	s, err := open(ctx, path, false)
	if err != nil {
		return nil, err
	}
	if _, err := s.db.ExecContext(ctx, createEventsSQL()); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("create events table: %w", err)
	}
	if err := s.restrict(); err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

// create makes a new database at path that never exists with looser
// permissions: DuckDB creates it (it refuses an empty file) inside a fresh
// 0700 directory, and only the 0600 result is renamed into place.
func create(ctx context.Context, path string) error {
	if _, err := os.Lstat(path); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return nil // exists, or Open will report why not
	}
	tmp, err := os.MkdirTemp(filepath.Dir(path), ".store-")
	if err != nil {
		return fmt.Errorf("create store: %w", err)
	}
	defer os.RemoveAll(tmp)
	p := filepath.Join(tmp, "new.duckdb")
	s, err := open(ctx, p, false)
	if err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, createEventsSQL()+"; CHECKPOINT"); err != nil {
		s.db.Close()
		return fmt.Errorf("create events table: %w", err)
	}
	if err := errors.Join(s.db.Close(), s.restrict()); err != nil {
		return fmt.Errorf("create store: %w", err)
	}
	if err := os.Rename(p, path); err != nil {
		return fmt.Errorf("create store: %w", err)
	}
	return nil
}

// memoryLimit caps DuckDB's buffer pool, which defaults to 80% of the
// machine's memory; beyond it DuckDB spills to a temporary directory beside
// the database, inside the owner-only state directory.
const memoryLimit = "256MB"

// OpenStoreReadOnly opens an existing store for queries only; several
// processes may do so at once.
func OpenStoreReadOnly(ctx context.Context, path string) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	return open(ctx, path, true)
}

func open(ctx context.Context, path string, readOnly bool) (*Store, error) {
	dsn := path + "?memory_limit=" + memoryLimit
	if readOnly {
		dsn += "&access_mode=READ_ONLY"
	}
	db, err := sql.Open("duckdb", dsn)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	return &Store{Log: zerolog.Nop(), db: db, path: path, readOnly: readOnly}, nil
}

// DB gives direct SQL access for ad-hoc queries; the table is "events".
func (s *Store) DB() *sql.DB { return s.db }

// Close checkpoints and closes the database.
func (s *Store) Close() error {
	err := s.db.Close()
	if !s.readOnly {
		err = errors.Join(err, s.restrict())
	}
	return err
}

// restrict makes the database file and its write-ahead log owner-only.
// DuckDB creates the .wal itself, with the process umask, so this runs after
// every write; the 0700 directory already keeps others out in between.
func (s *Store) restrict() error {
	for _, p := range []string{s.path, s.path + ".wal"} {
		err := os.Chmod(p, 0o600)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("restrict store permissions: %w", err)
		}
	}
	return nil
}

// Reset drops all events, for a full rebuild per run.
func (s *Store) Reset(ctx context.Context) error {
	if s.readOnly {
		return ErrReadOnly
	}
	if _, err := s.db.ExecContext(ctx, "DROP TABLE IF EXISTS "+eventsTable+"; "+createEventsSQL()); err != nil {
		return fmt.Errorf("reset events: %w", err)
	}
	return s.restrict()
}

// Load appends every batch of events to the store in one statement: on
// error nothing of this call is kept. The batches are staged as Parquet
// files in an owner-only directory beside the database, written by one
// goroutine per core, and inserted with read_parquet, which DuckDB reads in
// parallel; its appender took one cgo call per value (~94k events/s). The
// staging directory is removed before Load returns. Load does not release
// events; the caller does.
func (s *Store) Load(ctx context.Context, events array.RecordReader) error {
	if s.readOnly {
		return ErrReadOnly
	}
	if err := checkSchema(events.Schema()); err != nil {
		return err
	}
	start := time.Now()
	dir, err := os.MkdirTemp(filepath.Dir(s.path), ".load-") // 0700
	if err != nil {
		return fmt.Errorf("load events: %w", err)
	}
	defer os.RemoveAll(dir)
	files, rows, err := stageParquet(ctx, dir, events)
	if err != nil {
		return fmt.Errorf("load events: %w", err)
	}
	staged := time.Since(start)
	if len(files) > 0 {
		if _, err := s.db.ExecContext(ctx, insertParquetSQL(files)); err != nil {
			return fmt.Errorf("load events: %w", err)
		}
	}
	if err := s.restrict(); err != nil {
		return err
	}
	s.Log.Info().Int64("events", rows).Dur("staged", staged).Dur("took", time.Since(start)).Msg("events loaded")
	return nil
}

// stageRowGroup is DuckDB's own row group size, its unit of parallel reading.
const stageRowGroup = 122_880

// stageParquet writes the batches of events round-robin to one Parquet
// file per worker in dir and returns the files that hold rows. Memory is a
// row group per worker plus the batches in flight.
func stageParquet(ctx context.Context, dir string, events array.RecordReader) ([]string, int64, error) {
	workers := max(1, runtime.GOMAXPROCS(0))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type part struct {
		path string
		rows int64
		err  error
	}
	parts := make([]part, workers)
	queues := make([]chan arrow.RecordBatch, workers)
	var wg sync.WaitGroup
	for w := range workers {
		queues[w] = make(chan arrow.RecordBatch, 2)
		parts[w].path = filepath.Join(dir, fmt.Sprintf("part-%03d.parquet", w))
		wg.Add(1)
		go func(p *part, in <-chan arrow.RecordBatch) {
			defer wg.Done()
			p.rows, p.err = writeParquet(p.path, in)
			if p.err != nil {
				cancel()
			}
			for rec := range in { // drain after an error
				rec.Release()
			}
		}(&parts[w], queues[w])
	}
	var (
		batch int
		err   error
	)
	for events.Next() {
		batch++
		if err = ctx.Err(); err != nil {
			break
		}
		rec := events.RecordBatch()
		if err = checkSchema(rec.Schema()); err != nil {
			err = fmt.Errorf("batch %d: %w", batch, err)
			break
		}
		// The writer wants EventSchema exactly; nullability and metadata
		// may differ in rec.
		rec = array.NewRecordBatch(transform.EventSchema, rec.Columns(), rec.NumRows())
		select {
		case queues[batch%workers] <- rec:
		case <-ctx.Done():
			rec.Release()
		}
	}
	if err == nil {
		err = events.Err()
	}
	for _, q := range queues {
		close(q)
	}
	wg.Wait()
	var (
		files []string
		rows  int64
		errs  = []error{err}
	)
	for _, p := range parts {
		errs = append(errs, p.err)
		if p.rows > 0 {
			files = append(files, p.path)
			rows += p.rows
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, 0, err
	}
	return files, rows, nil
}

// writeParquet writes every batch from in to a new owner-only file at
// path and releases it. Statistics, dictionaries and compression are off:
// the file lives for seconds in the page cache, so encoding speed counts.
func writeParquet(path string, in <-chan arrow.RecordBatch) (int64, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return 0, err
	}
	props := parquet.NewWriterProperties(
		parquet.WithCompression(compress.Codecs.Uncompressed),
		parquet.WithDictionaryDefault(false),
		parquet.WithStats(false),
		parquet.WithMaxRowGroupLength(stageRowGroup),
	)
	fw, err := pqarrow.NewFileWriter(transform.EventSchema, f, props, pqarrow.DefaultWriterProps())
	if err != nil {
		f.Close()
		return 0, err
	}
	var rows int64
	for rec := range in {
		err = fw.WriteBuffered(rec)
		rows += rec.NumRows()
		rec.Release()
		if err != nil {
			break
		}
	}
	// Close also closes f.
	if cerr := fw.Close(); err == nil {
		err = cerr
	}
	return rows, err
}

// insertParquetSQL names the columns, so the insert does not depend on the
// order DuckDB reads them in.
func insertParquetSQL(files []string) string {
	var cols, list strings.Builder
	for i, f := range transform.EventSchema.Fields() {
		if i > 0 {
			cols.WriteString(", ")
		}
		cols.WriteString(f.Name)
	}
	for i, p := range files {
		if i > 0 {
			list.WriteString(", ")
		}
		// Paths come from MkdirTemp under the store's directory; quote anyway.
		list.WriteString("'" + strings.ReplaceAll(p, "'", "''") + "'")
	}
	return fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM read_parquet([%s])", eventsTable, cols.String(), cols.String(), list.String())
}

// checkSchema accepts any schema with EventSchema's names and types in
// order; nullability and metadata may differ.
func checkSchema(sc *arrow.Schema) error {
	want := transform.EventSchema.Fields()
	got := sc.Fields()
	if len(got) != len(want) {
		return fmt.Errorf("%d columns, want %d: %w", len(got), len(want), ErrSchema)
	}
	for i, f := range want {
		if got[i].Name != f.Name || !arrow.TypeEqual(got[i].Type, f.Type) {
			return fmt.Errorf("column %d (%s): want %s %s: %w", i+1, got[i].Name, f.Name, f.Type, ErrSchema)
		}
	}
	return nil
}

// createEventsSQL derives the table from EventSchema so the two cannot drift.
func createEventsSQL() string {
	var b strings.Builder
	b.WriteString("CREATE TABLE IF NOT EXISTS " + eventsTable + " (")
	for i, f := range transform.EventSchema.Fields() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f.Name + " " + sqlType(f.Type))
		if !f.Nullable {
			b.WriteString(" NOT NULL")
		}
	}
	b.WriteString(")")
	return b.String()
}

func sqlType(t arrow.DataType) string {
	switch t.ID() {
	case arrow.STRING:
		return "VARCHAR"
	case arrow.DATE32:
		return "DATE"
	case arrow.INT16:
		return "SMALLINT"
	}
	panic("aggregate: no SQL type for " + t.String())
}
