package pipeline_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ivz-twente/jeugd/internal/demo"
	"github.com/ivz-twente/jeugd/internal/pipeline"
	"github.com/ivz-twente/jeugd/internal/testenv"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

// jeugdBin is the jeugd binary the fault tests kill as a separate process,
// built by the first of them; buildErr says why there is none.
var (
	buildOnce sync.Once
	binDir    string
	jeugdBin  string
	buildErr  error
)

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// binary builds cmd/jeugd once. The fault tests that need it are long
// tests: they run with JEUGD_LONG=1.
func binary(t *testing.T) string {
	t.Helper()
	testenv.Long(t)
	buildOnce.Do(func() {
		if binDir, buildErr = os.MkdirTemp("", "jeugd-fault-"); buildErr != nil {
			return
		}
		jeugdBin = filepath.Join(binDir, "jeugd")
		out, err := exec.Command("go", "build", "-tags", "duckdb_arrow", "-o", jeugdBin, "github.com/ivz-twente/jeugd/cmd/jeugd").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build ./cmd/jeugd: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return jeugdBin
}

// runArgs are the flags of `jeugd run` for fx, writing to OUT and STATE.
func (fx *fixture) runArgs(inbox, out, state string, extra ...string) []string {
	return append([]string{"run", "--inbox", inbox, "--reference", fx.ref, "--out", out, "--state", state,
		"--key-file", fx.keyFile, "--max-quarantine-rate", "0.2", "--log-format", "json"}, extra...)
}

// runBin runs the binary to completion.
func runBin(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatalf("jeugd %q: %v", args, err)
	}
	return o.String(), e.String(), code
}

// startPaused starts a run that stops at stage (see testPause in run.go)
// and returns once it has logged that it paused there.
func startPaused(t *testing.T, stage string, args []string) *exec.Cmd {
	t.Helper()
	cmd, _ := startUntil(t, []string{"JEUGD_TEST_PAUSE=" + stage}, args, `"message":"test pause"`, `"stage":"`+stage+`"`)
	return cmd
}

// runLog collects the log of a running jeugd; done is closed when the
// process closed its stderr, after which cmd.Wait may be called.
type runLog struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	done chan struct{}
}

func (l *runLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// startUntil starts jeugd and returns once it logged a line holding every
// one of marks, with the log it keeps collecting.
func startUntil(t *testing.T, env, args []string, marks ...string) (*exec.Cmd, *runLog) {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	reached := make(chan struct{})
	lg := &runLog{done: make(chan struct{})}
	go func() {
		defer close(lg.done)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(nil, 1<<20)
		found := false
		for sc.Scan() {
			lg.mu.Lock()
			lg.buf.Write(sc.Bytes())
			lg.buf.WriteByte('\n')
			lg.mu.Unlock()
			if !found && containsAll(sc.Text(), marks) {
				found = true
				close(reached)
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	select {
	case <-reached:
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		<-lg.done
		cmd.Wait()
		t.Fatalf("run did not log %q within 2 minutes; log:\n%s", marks, lg.String())
	}
	return cmd, lg
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

func kill(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("run did not die of SIGKILL: %v", err)
	}
}

// snapshot hashes every file of a run directory.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		s := sha256.Sum256(b)
		rel, _ := filepath.Rel(dir, path)
		files[rel] = hex.EncodeToString(s[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("run directory %s is empty", dir)
	}
	return files
}

// published checks that latest is runID with exactly the files of snap.
func published(t *testing.T, out, runID string, snap map[string]string) {
	t.Helper()
	if got, err := pipeline.LatestRunID(out); got != runID {
		t.Fatalf("latest = %q (%v), want the previous run %s", got, err, runID)
	}
	got := snapshot(t, filepath.Join(out, pipeline.LatestLink)+"/")
	if !mapsEqual(got, snap) {
		t.Errorf("files of the published run %s changed", runID)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// publishFirst runs jeugd to publish the run the test then protects, and
// returns its id and the hashes of its files.
func publishFirst(t *testing.T, args []string, out string) (string, map[string]string) {
	t.Helper()
	if _, stderr, code := runBin(t, nil, args...); code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	prev := latestRun(t, out)
	return prev, snapshot(t, filepath.Join(out, "runs", prev))
}

// latestRun reads OUT/latest, failing the test without one.
func latestRun(t *testing.T, out string) string {
	t.Helper()
	id, err := pipeline.LatestRunID(out)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// recovered runs jeugd once more and checks that it publishes and leaves
// no partial directory, temporary link or orphan store behind.
func recovered(t *testing.T, args []string, out, state string) string {
	t.Helper()
	_, stderr, code := runBin(t, nil, args...)
	if code != 0 {
		t.Fatalf("run after the kill: exit %d\n%s", code, stderr)
	}
	id := latestRun(t, out)
	left, _ := filepath.Glob(filepath.Join(out, "runs", "*.partial"))
	tmp, _ := filepath.Glob(filepath.Join(out, pipeline.LatestLink+".tmp-*"))
	if len(left)+len(tmp) > 0 {
		t.Errorf("left behind after the next run: %q %q", left, tmp)
	}
	stores, _ := filepath.Glob(filepath.Join(state, "runs", "*"))
	for _, s := range stores {
		if !strings.HasPrefix(filepath.Base(s), id+".") && !keptRun(out, s) {
			t.Errorf("orphan %s left beside the files of run %s", filepath.Base(s), id)
		}
		if strings.Contains(filepath.Base(s), ".duckdb") && !strings.HasPrefix(filepath.Base(s), id+".duckdb") {
			t.Errorf("orphan store %s left beside the store of run %s", filepath.Base(s), id)
		}
	}
	if _, err := os.Stat(pipeline.StorePath(state, id)); err != nil {
		t.Errorf("store of the published run: %v", err)
	}
	return id
}

// keptRun says whether a file in STATE/runs belongs to a run that is still
// in OUT/runs: its operator's files stay as long as the run.
func keptRun(out, stateFile string) bool {
	base := filepath.Base(stateFile)
	const n = len("20060102T150405.000000Z-abcdef")
	if len(base) <= n {
		return false
	}
	_, err := os.Stat(filepath.Join(out, "runs", base[:n]))
	return err == nil
}

// TestKillAtStage kills a run with SIGKILL at each stage boundary. Each
// time the previous publication must stay in place, intact, and the next
// run must publish and clean up.
func TestKillAtStage(t *testing.T) {
	testenv.Long(t)
	fx := newFixture(t, 800)
	out, state := filepath.Join(fx.dir, "out"), filepath.Join(fx.dir, "state")
	args := fx.runArgs(fx.inbox, out, state)
	if _, stderr, code := runBin(t, nil, args...); code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	prev := latestRun(t, out)

	for _, tc := range []struct {
		stage string
		left  string // what the killed run must have left, to show it was killed mid-way
	}{
		{"ingest", "store"},
		{"aggregate", "store"},
		{"publish", "partial"},
		{"rename", "run"},
	} {
		t.Run(tc.stage, func(t *testing.T) {
			snap := snapshot(t, filepath.Join(out, "runs", prev))
			cmd := startPaused(t, tc.stage, args)

			if tc.stage == "aggregate" { // a second run meanwhile is refused
				_, stderr, code := runBin(t, nil, args...)
				if code != 1 || !strings.Contains(stderr, "another jeugd run holds the lock") || !strings.Contains(stderr, fmt.Sprint(cmd.Process.Pid)) {
					t.Errorf("second run while one holds the lock: exit %d, stderr %q; want 1 and the lock message with pid %d", code, stderr, cmd.Process.Pid)
				}
			}
			kill(t, cmd)

			var left []string
			switch tc.left {
			case "store":
				left, _ = filepath.Glob(filepath.Join(state, "runs", "*.duckdb"))
				left = slices.DeleteFunc(left, func(s string) bool { return filepath.Base(s) == prev+".duckdb" })
			case "partial":
				left, _ = filepath.Glob(filepath.Join(out, "runs", "*.partial"))
			case "run":
				entries, _ := os.ReadDir(filepath.Join(out, "runs"))
				for _, e := range entries {
					if e.Name() > prev && !strings.HasSuffix(e.Name(), ".partial") {
						left = append(left, e.Name())
					}
				}
			}
			if len(left) == 0 {
				t.Errorf("the killed run left no %s: was it killed mid-run?", tc.left)
			}
			published(t, out, prev, snap)

			next := recovered(t, args, out, state)
			if next == prev {
				t.Fatalf("the next run did not publish a new run")
			}
			if tc.stage == "rename" {
				// The killed run was complete but never became latest: the
				// next run removes it, so runs/ holds publications only.
				if _, err := os.Stat(filepath.Join(out, "runs", left[0])); err == nil {
					t.Errorf("complete but unpublished run %s still in runs/ after the next run", left[0])
				}
			}
			prev = next
		})
	}
}

// TestKillAnytime kills runs on a larger inbox after fixed delays,
// wherever they happen to be, and checks the same invariants.
func TestKillAnytime(t *testing.T) {
	testenv.Long(t)
	fx := newFixture(t, 500)
	big := filepath.Join(fx.dir, "big")
	if _, err := demo.WriteInbox(big, fx.region, demo.InboxOptions{Seed: 9, Rows: 30000, Today: today, Messy: true}); err != nil {
		t.Fatal(err)
	}
	out, state := filepath.Join(fx.dir, "out"), filepath.Join(fx.dir, "state")
	small := fx.runArgs(fx.inbox, out, state)
	prev, snap := publishFirst(t, small, out)
	for _, d := range []time.Duration{100 * time.Millisecond, 700 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second} {
		cmd := exec.Command(binary(t), fx.runArgs(big, out, state)...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(d)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		if ws := cmd.ProcessState.Sys().(syscall.WaitStatus); !ws.Signaled() {
			// It finished first: then what it published must be complete.
			t.Logf("run finished before the kill after %v (exit %d)", d, cmd.ProcessState.ExitCode())
			prev = latestRun(t, out)
			snap = snapshot(t, filepath.Join(out, "runs", prev))
			if _, ok := snap["manifest.json"]; !ok {
				t.Errorf("run %s published without a manifest", prev)
			}
			continue
		}
		published(t, out, prev, snap)
	}
	recovered(t, small, out, state)
}

// TestSigtermAtStage stops runs with SIGTERM, as systemd does, in every
// stage: at the test pauses between stages, and inside each stage of a run
// on a region of 100 gemeenten and 300,000 rows (826,000 cells), where
// disclosure control and publishing take seconds each. Each time the
// process must exit within 5 s, before the next stage, say that it
// stopped, and leave the previous publication intact; the next run
// publishes and cleans up.
func TestSigtermAtStage(t *testing.T) {
	testenv.Long(t)
	fx := newFixture(t, 3000) // the small demo region: the publication and the paused runs
	bigRef, big := filepath.Join(fx.dir, "land"), filepath.Join(fx.dir, "groot")
	if err := demo.WriteCountry(bigRef, 1, 100); err != nil {
		t.Fatal(err)
	}
	region, err := geocode.LoadReference(bigRef)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.WriteInbox(big, region, demo.InboxOptions{Seed: 5, Rows: 300000, Today: today, Messy: true}); err != nil {
		t.Fatal(err)
	}
	out, state := filepath.Join(fx.dir, "out"), filepath.Join(fx.dir, "state")
	args := fx.runArgs(fx.inbox, out, state)
	prev, snap := publishFirst(t, args, out)

	bigArgs := fx.runArgs(big, out, state, "--max-quarantine-rate", "0.5", "--reference", bigRef) // the last --reference wins
	pause := []string{`"message":"test pause"`}
	for _, tc := range []struct {
		name  string
		env   []string
		args  []string
		marks []string      // the log line that says the stage is running
		delay time.Duration // into the stage before the signal
		next  string        // a log line that must not appear: the stage after, had the stop come too late
	}{
		{"paused in ingest", []string{"JEUGD_TEST_PAUSE=ingest"}, args, pause, 0, `"stage":"count"`},
		{"paused before counting", []string{"JEUGD_TEST_PAUSE=aggregate"}, args, pause, 0, `"stage":"count"`},
		{"paused while publishing", []string{"JEUGD_TEST_PAUSE=publish"}, args, pause, 0, `"run published"`},
		{"paused before the switch", []string{"JEUGD_TEST_PAUSE=rename"}, args, pause, 0, `"run published"`},
		// 100 gemeenten, 300,000 rows: loading ~1 s, counting 0.5 s,
		// disclosure control ~6 s, publishing ~8 s on two cores.
		{"loading", nil, bigArgs, []string{`"stage":"load"`}, 300 * time.Millisecond, `"stage":"count"`},
		{"counting", nil, bigArgs, []string{`"stage":"count"`}, 50 * time.Millisecond, `"stage":"protect"`},
		{"disclosure control", nil, bigArgs, []string{`"stage":"protect"`}, 2 * time.Second, `"stage":"verify"`},
		{"verifying", nil, bigArgs, []string{`"stage":"verify"`}, 0, `"run published"`},
		{"publishing", nil, bigArgs, []string{`"stage":"publish"`}, time.Second, `"run published"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd, lg := startUntil(t, tc.env, tc.args, tc.marks...)
			time.Sleep(tc.delay)
			start := time.Now()
			if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			select {
			case <-lg.done:
			case <-time.After(5 * time.Second):
				cmd.Process.Kill()
				<-lg.done
				cmd.Wait()
				t.Fatalf("still running 5 s after SIGTERM; log:\n%s", lastLines(lg.String(), 5))
			}
			cmd.Wait()
			took := time.Since(start)
			t.Logf("stopped %v after SIGTERM (exit %d)", took.Round(time.Millisecond), cmd.ProcessState.ExitCode())
			if ws := cmd.ProcessState.Sys().(syscall.WaitStatus); ws.Signaled() || cmd.ProcessState.ExitCode() != 1 {
				t.Errorf("run stopped by SIGTERM: %v, want exit 1 after cleaning up", cmd.ProcessState)
			}
			log := lg.String()
			if strings.Contains(log, tc.next) {
				t.Errorf("the run went on to %s after SIGTERM", tc.next)
			}
			if !strings.Contains(log, "terminated signal received; the run stopped and published nothing") {
				t.Errorf("the run did not say that it stopped; log ends:\n%s", lastLines(log, 3))
			}
			published(t, out, prev, snap)
			if runs, _ := os.ReadDir(filepath.Join(out, "runs")); len(runs) != 1 {
				t.Errorf("runs/ holds %d entries after the stop, want only the publication", len(runs))
			}
		})
	}
	next := recovered(t, args, out, state)
	if next == prev {
		t.Errorf("the run after the stops did not publish")
	}
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
