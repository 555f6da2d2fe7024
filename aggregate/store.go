package aggregate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
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
// machine's memory; beyond it DuckDB spills to its temporary directory.
const memoryLimit = "256MB"

// TempDir is where DuckDB spills a store's data beyond memoryLimit: beside
// the database, inside the owner-only state directory. It holds pseudonyms
// while a query runs; DuckDB removes it when the store closes.
func TempDir(path string) string { return path + ".tmp" }

// OpenStoreReadOnly opens an existing store for queries only; several
// processes may do so at once.
func OpenStoreReadOnly(ctx context.Context, path string) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	return open(ctx, path, true)
}

func open(ctx context.Context, path string, readOnly bool) (*Store, error) {
	dsn := path + "?memory_limit=" + memoryLimit + "&temp_directory=" + url.QueryEscape(TempDir(path))
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
