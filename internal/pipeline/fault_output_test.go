package pipeline_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/ivz-twente/jeugd/internal/pipeline"
	"github.com/ivz-twente/jeugd/internal/testenv"
)

func TestRunQuarantineExitCode(t *testing.T) {
	testenv.Long(t)
	fx := newFixture(t, 800)
	out, state := filepath.Join(fx.dir, "out"), filepath.Join(fx.dir, "state")
	if _, stderr, code := runBin(t, nil, fx.runArgs(fx.inbox, out, state)...); code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	prev := latestRun(t, out)
	snap := snapshot(t, filepath.Join(out, "runs", prev))
	stdout, stderr, code := runBin(t, nil, fx.runArgs(fx.inbox, out, state, "--max-quarantine-rate", "0.001")...)
	if code != 3 {
		t.Errorf("run over the quarantine threshold: exit %d, want 3\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "quarantine rate above the threshold") {
		t.Errorf("stderr does not say why nothing was published:\n%s", stderr)
	}
	failed, _ := filepath.Glob(filepath.Join(state, "failed", "*"))
	if len(failed) != 1 || !strings.Contains(stderr, failed[0]) {
		t.Fatalf("failed reports %q; want one, named on stderr:\n%s", failed, stderr)
	}
	checkFailedReport(t, failed[0], filepath.Base(failed[0]))
	if strings.Contains(stdout, "published") {
		t.Errorf("stdout claims a publication: %q", stdout)
	}
	published(t, out, prev, snap)
	if left, _ := filepath.Glob(filepath.Join(out, "runs", "*.partial")); len(left) > 0 {
		t.Errorf("partial run left: %q", left)
	}
}

// TestRunUnwritableOutput: a run that cannot write its outputs fails with a
// clear error and publishes nothing half.
func TestRunUnwritableOutput(t *testing.T) {
	testenv.Long(t)
	fx := newFixture(t, 800)

	t.Run("runs is a file", func(t *testing.T) {
		out, state := filepath.Join(fx.dir, "file", "out"), filepath.Join(fx.dir, "file", "state")
		if err := os.MkdirAll(out, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, "runs"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		_, stderr, code := runBin(t, nil, fx.runArgs(fx.inbox, out, state)...)
		if code != 1 || !strings.Contains(stderr, "runs") || !strings.Contains(stderr, "not a directory") {
			t.Errorf("run with OUT/runs a file: exit %d, stderr %q; want 1 naming the directory", code, stderr)
		}
		if _, err := os.Lstat(filepath.Join(out, pipeline.LatestLink)); err == nil {
			t.Errorf("latest exists after a failed run")
		}
	})

	t.Run("read-only", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("running as root: mode 0500 does not stop root; the other subtests cover this")
		}
		out, state := filepath.Join(fx.dir, "ro", "out"), filepath.Join(fx.dir, "ro", "state")
		args := fx.runArgs(fx.inbox, out, state)
		prev, snap := publishFirst(t, args, out)
		runs := filepath.Join(out, "runs")
		if err := os.Chmod(runs, 0o500); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(runs, 0o700)
		_, stderr, code := runBin(t, nil, args...)
		if code != 1 || !strings.Contains(stderr, "permission denied") {
			t.Errorf("run into a read-only OUT/runs: exit %d, stderr %q", code, stderr)
		}
		published(t, out, prev, snap)
	})

	t.Run("disk full", func(t *testing.T) {
		if os.Geteuid() != 0 {
			t.Skip("mounting a tmpfs to fill needs root")
		}
		out, state := filepath.Join(fx.dir, "full", "out"), filepath.Join(fx.dir, "full", "state")
		if err := os.MkdirAll(out, 0o700); err != nil {
			t.Fatal(err)
		}
		if msg, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", out).CombinedOutput(); err != nil {
			t.Skipf("mounting a tmpfs is not permitted here (%v: %s); the full-disk case is untested", err, bytes.TrimSpace(msg))
		}
		t.Cleanup(func() {
			if msg, err := exec.Command("umount", out).CombinedOutput(); err != nil {
				t.Errorf("umount %s: %v: %s", out, err, msg)
			}
		})
		args := fx.runArgs(fx.inbox, out, state)
		prev, snap := publishFirst(t, args, out)

		filler := filepath.Join(out, "filler")
		fill(t, filler, 64<<10) // leave 64 KiB: the dashboard table does not fit
		_, stderr, code := runBin(t, nil, args...)
		if code != 1 || !strings.Contains(stderr, "no space left on device") {
			t.Errorf("run on a full disk: exit %d, want 1 with \"no space left on device\"; stderr:\n%s", code, stderr)
		}
		published(t, out, prev, snap)
		if left, _ := filepath.Glob(filepath.Join(out, "runs", "*.partial")); len(left) > 0 {
			t.Errorf("a failed run left its partial directory: %q", left)
		}
		if err := os.Remove(filler); err != nil {
			t.Fatal(err)
		}
		recovered(t, args, out, state)
	})
}

// fill writes path until the file system is full, then frees keep bytes.
func fill(t *testing.T, path string, keep int64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	var n int64
	for {
		m, err := f.Write(buf)
		n += int64(m)
		if errors.Is(err, syscall.ENOSPC) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Truncate(max(0, n-keep)); err != nil {
		t.Fatal(err)
	}
}
