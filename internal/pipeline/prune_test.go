package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/rs/zerolog"
)

// TestPrune keeps the newest runs and latest, with their STATE files, on
// both ways of switching latest, including after a roll back to an older
// run; failed runs' reports are kept the same way.
func TestPrune(t *testing.T) {
	ids := []string{
		"20250101T020000.000000Z-aaaaaa", "20250102T020000.000000Z-bbbbbb", "20250103T020000.000000Z-cccccc",
		"20250104T020000.000000Z-dddddd", "20250105T020000.000000Z-eeeeee",
	}
	for _, tc := range []struct {
		name     string
		byRename bool
		latest   string
		keep     int
		want     []string // runs left, latest included
	}{
		{"symlink", false, ids[4], 3, ids[2:]},
		{"rename", true, ids[4], 3, ids[2:]},
		{"rolled back", false, ids[0], 2, []string{ids[0], ids[3], ids[4]}},
		{"keep one", true, ids[4], 1, ids[4:]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func(old bool) { switchByRename = old }(switchByRename)
			switchByRename = tc.byRename
			out, state := t.TempDir(), t.TempDir()
			for _, id := range ids {
				publishRun(t, out, id)
				for _, f := range []string{id + ".manifest.json", id + ".quarantaine.csv"} {
					writeFile(t, filepath.Join(state, "runs", f))
				}
				writeFile(t, filepath.Join(state, failedDir, id, "quarantaine.csv"))
			}
			writeFile(t, filepath.Join(state, "runs", tc.latest+".duckdb"))
			if err := switchLatest(out, tc.latest); err != nil {
				t.Fatal(err)
			}
			removed, err := Prune(PruneOptions{Out: out, State: state, Keep: tc.keep, Log: zerolog.Nop()})
			if err != nil {
				t.Fatal(err)
			}
			var left []string
			for _, id := range ids {
				if _, err := os.Stat(filepath.Join(out, "runs", id)); err == nil || id == tc.latest {
					left = append(left, id)
					if _, err := os.Stat(filepath.Join(state, "runs", id+".manifest.json")); err != nil {
						t.Errorf("STATE manifest of the kept run %s: %v", id, err)
					}
				} else if m, _ := filepath.Glob(filepath.Join(state, "runs", id+".*")); len(m) > 0 {
					t.Errorf("STATE still holds %q of the removed run %s", m, id)
				}
			}
			if !slices.Equal(left, tc.want) {
				t.Errorf("runs left %q, want %q (removed %q)", left, tc.want, removed)
			}
			assertLatest(t, out, tc.latest)
			if _, err := os.Stat(filepath.Join(state, "runs", tc.latest+".duckdb")); err != nil {
				t.Errorf("store of latest: %v", err)
			}
			failed := runIDs(filepath.Join(state, failedDir))
			want := slices.Clone(ids[len(ids)-tc.keep:])
			slices.Reverse(want)
			if !slices.Equal(failed, want) {
				t.Errorf("failed reports left %q, want the %d newest", failed, tc.keep)
			}
		})
	}

	t.Run("locked", func(t *testing.T) {
		out, state := t.TempDir(), t.TempDir()
		lk, err := acquireLock(state)
		if err != nil {
			t.Fatal(err)
		}
		defer lk.release()
		if _, err := Prune(PruneOptions{Out: out, State: state, Keep: 1}); !errors.Is(err, ErrLocked) {
			t.Errorf("Prune while a run holds the lock: %v, want ErrLocked", err)
		}
		if _, err := Prune(PruneOptions{Out: out, State: state, Keep: 0}); !errors.Is(err, ErrKeep) {
			t.Errorf("Prune --keep 0: %v, want ErrKeep", err)
		}
	})
}

func writeFile(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
}
