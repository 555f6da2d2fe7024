package ingest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/ivz-twente/jeugd/internal/quarantine"
	"github.com/ivz-twente/jeugd/schemas"
)

// TestSplitMatchesOneWorker reads every golden export with several workers
// and small batches: the same rows in the same order, the same positions
// and the same quarantine as with one.
func TestSplitMatchesOneWorker(t *testing.T) {
	set := schemas.Builtin()
	dirs, err := filepath.Glob(filepath.Join("testdata", "golden", "*"))
	if err != nil {
		t.Fatal(err)
	}
	read := func(t *testing.T, path string, src *schemas.Source, workers, batch int) string {
		mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
		defer mem.AssertSize(t, 0)
		var q quarantine.Sink
		r, err := NewReader(context.Background(), path, src, Options{Quarantine: &q, Mem: mem, Workers: workers, BatchSize: batch})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Release()
		return readAll(t, r, &q)
	}
	for _, dir := range dirs {
		src := set.Source(filepath.Base(dir))
		path := filepath.Join(dir, "export.csv")
		want := read(t, path, src, 1, 0)
		for _, batch := range []int{1, 2, 1000} {
			if got := read(t, path, src, 3, batch); got != want {
				t.Errorf("%s with 3 workers, batch %d:\n%s\nwant\n%s", path, batch, got, want)
			}
		}
	}
}

// TestSplitStopsEarly releases a split Reader after its first batch: no
// goroutine and no batch is left behind.
func TestSplitStopsEarly(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	src := schemas.Builtin().Source("politie-verdachten")
	path := filepath.Join(t.TempDir(), "big.csv")
	var buf bytes.Buffer
	for _, r := range benchRows(5000) {
		buf.WriteString(strings.Join(r, ";") + "\n")
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := NewReader(context.Background(), path, src, Options{Mem: mem, Workers: 2, BatchSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Next() || r.RecordBatch().NumRows() != 100 {
		t.Fatalf("first batch: %v", r.Err())
	}
	r.Release()
}
