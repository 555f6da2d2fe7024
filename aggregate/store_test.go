package aggregate

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/ivz-twente/jeugd/transform"
)

func countEvents(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow("SELECT count(*) FROM events").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestStorePermissions(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "state")
	path := filepath.Join(dir, "jeugd.duckdb")
	s, err := OpenStore(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	rec := buildEvents(t, mem, []ev{{rol: "incident", datum: "2025-01-02", pleeg: "BU01470101", zaak: "z1"}})
	rr, err := array.NewRecordReader(transform.EventSchema, []arrow.RecordBatch{rec})
	rec.Release()
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	if err := s.Load(ctx, rr); err != nil {
		t.Fatal(err)
	}
	check := func(p string, want os.FileMode) {
		t.Helper()
		fi, err := os.Stat(p)
		if errors.Is(err, os.ErrNotExist) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: mode %v, want %v", filepath.Base(p), got, want)
		}
	}
	check(dir, 0o700)
	check(path, 0o600)
	check(path+".wal", 0o600)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	check(path, 0o600)
	check(path+".wal", 0o600)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		check(filepath.Join(dir, e.Name()), 0o600)
	}
}

func TestStoreReopenResetReadOnly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "jeugd.duckdb")
	s, err := OpenStore(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	rec := buildEvents(t, mem, []ev{
		{rol: "incident", datum: "2025-01-02", pleeg: "BU01470101", zaak: "z1"},
		{rol: "verdachte", datum: "2025-01-02", pleeg: "GM0147", woon: "BU01470102", persoon: "p1", zaak: "z1", leeftijd: 15},
	})
	rr, err := array.NewRecordReader(transform.EventSchema, []arrow.RecordBatch{rec, rec})
	rec.Release()
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	if err := s.Load(ctx, rr); err != nil {
		t.Fatal(err)
	}
	if got := countEvents(t, s); got != 4 {
		t.Errorf("after load: %d events, want 4", got)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	ro, err := OpenStoreReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if got := countEvents(t, ro); got != 4 {
		t.Errorf("read-only: %d events, want 4", got)
	}
	if err := ro.Reset(ctx); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Reset on read-only store: %v, want ErrReadOnly", err)
	}
	if _, err := ro.DB().Exec("DELETE FROM events"); err == nil {
		t.Error("DELETE on read-only store succeeded")
	}
	if err := ro.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = OpenStore(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := countEvents(t, s); got != 4 {
		t.Errorf("reopened: %d events, want 4", got)
	}
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if got := countEvents(t, s); got != 0 {
		t.Errorf("after reset: %d events, want 0", got)
	}
}

func TestOpenStoreReadOnlyMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "absent.duckdb")
	if _, err := OpenStoreReadOnly(context.Background(), path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("OpenStoreReadOnly(missing) = %v, want ErrNotExist", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("OpenStoreReadOnly created %s", path)
	}
}

func TestLoadRejectsOtherSchema(t *testing.T) {
	s := loadStore(t, nil)
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	sc := arrow.NewSchema([]arrow.Field{{Name: "bsn", Type: arrow.BinaryTypes.String}}, nil)
	b := array.NewRecordBuilder(mem, sc)
	b.Field(0).(*array.StringBuilder).Append("123456782")
	rec := b.NewRecordBatch()
	b.Release()
	rr, err := array.NewRecordReader(sc, []arrow.RecordBatch{rec})
	rec.Release()
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	err = s.Load(context.Background(), rr)
	if !errors.Is(err, ErrSchema) {
		t.Fatalf("Load(other schema) = %v, want ErrSchema", err)
	}
	if got := countEvents(t, s); got != 0 {
		t.Errorf("%d events after rejected load, want 0", got)
	}
}

func TestLoadCancelledRollsBack(t *testing.T) {
	s := loadStore(t, nil)
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	rec := buildEvents(t, mem, []ev{{rol: "incident", datum: "2025-01-02", pleeg: "BU01470101", zaak: "z1"}})
	rr, err := array.NewRecordReader(transform.EventSchema, []arrow.RecordBatch{rec, rec})
	rec.Release()
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := s.Load(ctx, &cancelAfterFirst{RecordReader: rr, cancel: cancel}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Load(cancelled) = %v, want context.Canceled", err)
	}
	if got := countEvents(t, s); got != 0 {
		t.Errorf("%d events after cancelled load, want 0", got)
	}
}

// cancelAfterFirst cancels the load once the first batch has been appended.
type cancelAfterFirst struct {
	array.RecordReader
	cancel context.CancelFunc
	n      int
}

func (c *cancelAfterFirst) Next() bool {
	c.n++
	if c.n == 2 {
		c.cancel()
	}
	return c.RecordReader.Next()
}
