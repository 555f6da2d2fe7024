package pipeline

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// publishRun writes a complete run directory runs/<id> with a manifest.
func publishRun(t *testing.T, out, id string) {
	t.Helper()
	dir := filepath.Join(out, "runs", id)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(`{"run_id": "`+id+`"}`), 0o644); err != nil {
		t.Fatal(err)
	}
}

// assertLatest checks that OUT/latest shows run id, by id and by path.
func assertLatest(t *testing.T, out, id string) {
	t.Helper()
	if got, err := LatestRunID(out); got != id || err != nil {
		t.Errorf("LatestRunID = %q, %v; want %q", got, err, id)
	}
	if got, err := manifestRunID(filepath.Join(out, LatestLink)); got != id || err != nil {
		t.Errorf("latest/manifest.json names %q (%v); want %q", got, err, id)
	}
	if _, err := os.Stat(filepath.Join(out, switchName)); err == nil {
		t.Errorf("%s left behind", switchName)
	}
}

// TestSwitchLatest runs both mechanisms on every OS that can: the symbolic
// link of POSIX and the journalled rename pair of Windows.
func TestSwitchLatest(t *testing.T) {
	for _, byRename := range []bool{false, true} {
		name := map[bool]string{false: "symlink", true: "rename"}[byRename]
		t.Run(name, func(t *testing.T) {
			if !byRename && runtime.GOOS == "windows" {
				t.Skip("symbolic links need a privilege on Windows; the rename pair is used there")
			}
			defer func(old bool) { switchByRename = old }(switchByRename)
			switchByRename = byRename
			out := t.TempDir()
			if _, err := LatestRunID(out); err == nil {
				t.Fatal("LatestRunID of an empty OUT succeeded")
			}
			for _, id := range []string{"20250101T000000.000000Z-aaaaaa", "20250102T000000.000000Z-bbbbbb", "20250103T000000.000000Z-cccccc"} {
				publishRun(t, out, id)
				if err := switchLatest(out, id); err != nil {
					t.Fatal(err)
				}
				assertLatest(t, out, id)
			}
		})
	}
}

// TestFinishSwitch kills a switch by rename between its two renames: the
// next run completes it, and a journal of a switch that never started is
// dropped with latest untouched.
func TestFinishSwitch(t *testing.T) {
	defer func(old bool) { switchByRename = old }(switchByRename)
	switchByRename = true
	out := t.TempDir()
	const a, b = "20250101T000000.000000Z-aaaaaa", "20250102T000000.000000Z-bbbbbb"
	publishRun(t, out, a)
	if err := switchLatest(out, a); err != nil {
		t.Fatal(err)
	}
	publishRun(t, out, b)
	// The journal is written and latest moved back to runs/: then the kill.
	if err := os.WriteFile(filepath.Join(out, switchName), []byte(b+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(out, LatestLink), filepath.Join(out, "runs", a)); err != nil {
		t.Fatal(err)
	}
	finishSwitch(out)
	assertLatest(t, out, b)

	// A journal naming a run whose switch never began.
	if err := os.WriteFile(filepath.Join(out, switchName), []byte("20250103T000000.000000Z-cccccc\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	finishSwitch(out)
	assertLatest(t, out, b)
}
