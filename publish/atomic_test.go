package publish

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWriteJSON(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "runs", "r1", "manifest.json")
	v := map[string]any{"run_id": "r1", "bestanden": []int{1, 2}}
	if err := WriteJSON(path, v); err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"bestanden\": [\n    1,\n    2\n  ],\n  \"run_id\": \"r1\"\n}\n"
	if diff := cmp.Diff(want, string(readFile(t, path))); diff != "" {
		t.Errorf("manifest.json (-want +got):\n%s", diff)
	}
	for p, perm := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700 | os.ModeDir} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != perm {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode(), perm)
		}
	}
	if err := WriteJSON(path, func() {}); err == nil {
		t.Error("WriteJSON of a func succeeded, want an error")
	}
}

func TestWriteReadOnlyDir(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes into read-only directories")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	err := WriteDashboard(dir, fixtureCells())
	if !errors.Is(err, os.ErrPermission) {
		t.Fatalf("WriteDashboard into a read-only directory: %v, want a permission error", err)
	}
	if !strings.Contains(err.Error(), dir) {
		t.Errorf("error %q does not name the path", err)
	}
}

// TestWriteBlockedDir fails to create the run directory because a file is in
// the way; unlike a read-only directory, this fails for root too.
func TestWriteBlockedDir(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "run")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, write := range map[string]func() error{
		"dashboard":  func() error { return WriteDashboard(blocker, fixtureCells()) },
		"gemeente":   func() error { return WriteGemeente(blocker, "GM0147", "Borne", fixtureCells(), fixtureOptions()) },
		"quarantine": func() error { return WriteQuarantine(filepath.Join(blocker, "quarantaine.csv"), nil) },
		"summary":    func() error { return WriteQuarantineSummary(blocker, nil) },
		"json":       func() error { return WriteJSON(filepath.Join(blocker, "manifest.json"), 1) },
	} {
		err := write()
		if err == nil {
			t.Errorf("%s: writing under a file succeeded, want an error", name)
			continue
		}
		if !strings.Contains(err.Error(), blocker) {
			t.Errorf("%s: error %q does not name the path", name, err)
		}
	}
}

// TestWriteFileFailure checks that a failing write is returned, wrapped, and
// leaves neither the target nor a temp file.
func TestWriteFileFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.csv")
	errFull := errors.New("no space left on device")
	err := writeFile(path, func(w *bufio.Writer) error {
		w.WriteString("half")
		return errFull
	})
	if !errors.Is(err, errFull) || !strings.Contains(err.Error(), path) {
		t.Errorf("writeFile: %v, want %v with the path", err, errFull)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a failed write left %d entries, first %s", len(entries), entries[0].Name())
	}
}

// TestWriteFileReplaces overwrites an existing file atomically.
func TestWriteFileReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "manifest.json")
	for i := range 2 {
		if err := WriteJSON(path, i); err != nil {
			t.Fatal(err)
		}
	}
	if got := string(readFile(t, path)); got != "1\n" {
		t.Errorf("after two writes: %q, want %q", got, "1\n")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d entries, want only manifest.json", len(entries))
	}
}
