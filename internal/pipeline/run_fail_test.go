package pipeline_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gofrs/flock"

	"github.com/ivz-twente/jeugd/internal/pipeline"
)

func TestRunDuplicateFile(t *testing.T) {
	fx := newFixture(t, 2000)
	before := mustRun(t, fx.options(t, "a"))

	entries, err := os.ReadDir(filepath.Join(fx.inbox, "politie-verdachten"))
	if err != nil || len(entries) == 0 {
		t.Fatalf("inbox politie-verdachten: %v (%d files)", err, len(entries))
	}
	orig := "politie-verdachten/" + entries[0].Name()
	copyName := "politie-verdachten/zz-nogmaals-" + entries[0].Name()
	if err := os.WriteFile(filepath.Join(fx.inbox, copyName), readFile(t, filepath.Join(fx.inbox, orig)), 0o600); err != nil {
		t.Fatal(err)
	}
	after := mustRun(t, fx.options(t, "b"))

	var dup *pipeline.ManifestInput
	for i, in := range after.Operator.Inputs {
		if in.Path == copyName {
			dup = &after.Operator.Inputs[i]
		}
	}
	if dup == nil {
		t.Fatalf("manifest inputs lack the copy %s", copyName)
	}
	if dup.Status != "duplicate of "+orig || dup.Read != 0 {
		t.Errorf("copy in manifest: status %q rows_read %d, want \"duplicate of %s\" and 0", dup.Status, dup.Read, orig)
	}
	if len(after.Operator.Inputs) != len(before.Operator.Inputs)+1 {
		t.Errorf("manifest lists %d inputs, want %d", len(after.Operator.Inputs), len(before.Operator.Inputs)+1)
	}
	bb, ab := before.Bronnen["politie-verdachten"], after.Bronnen["politie-verdachten"]
	if ab.Read != bb.Read || ab.Accepted != bb.Accepted || after.Events != before.Events {
		t.Errorf("with the copy: rows read %d accepted %d events %d; without: %d %d %d", ab.Read, ab.Accepted, after.Events, bb.Read, bb.Accepted, before.Events)
	}
	f := "dashboard/indicatoren.csv"
	if !bytes.Equal(readFile(t, filepath.Join(fx.dir, "a", "out", "latest", f)), readFile(t, filepath.Join(fx.dir, "b", "out", "latest", f))) {
		t.Errorf("a duplicated export changed %s", f)
	}
}

func TestRunQuarantineRate(t *testing.T) {
	fx := newFixture(t, 2000)
	o := fx.options(t, "a")
	first := mustRun(t, o)

	o.MaxQuarantineRate = 0.001 // the messy inbox quarantines a few percent
	m, err := pipeline.Run(context.Background(), o)
	if !errors.Is(err, pipeline.ErrQuarantineRate) {
		t.Fatalf("run over the quarantine threshold: error %v, want ErrQuarantineRate", err)
	}
	if m == nil || len(m.Bronnen) == 0 {
		t.Errorf("failed run returned no manifest with the rates")
	}
	// The failed run's quality report stays in STATE/failed/<run-id>/.
	fe, ok := errors.AsType[*pipeline.FailedRunError](err)
	if !ok || fe.Report != pipeline.FailedDir(o.State, m.RunID) || !strings.Contains(err.Error(), fe.Report) {
		t.Fatalf("error %v does not name the failed run's report in STATE", err)
	}
	checkFailedReport(t, fe.Report, m.RunID)
	assertOnlyRun(t, o, first.RunID)
}

// checkFailedReport checks the quality report a failed run keeps: its
// manifest says why, lists the inputs, and the quarantine names file, row,
// column and reason of each rejected row; both owner-only.
func checkFailedReport(t *testing.T, dir, runID string) {
	t.Helper()
	var sm pipeline.StateManifest
	if err := json.Unmarshal(readFile(t, filepath.Join(dir, "manifest.json")), &sm); err != nil {
		t.Fatal(err)
	}
	if sm.Manifest == nil || sm.RunID != runID || !strings.HasPrefix(sm.Status, "failed: ") || !strings.Contains(sm.Status, "quarantine rate") || len(sm.Inputs) == 0 {
		t.Errorf("failed run's manifest: run %q status %q, %d inputs", sm.RunID, sm.Status, len(sm.Inputs))
	}
	recs, err := csv.NewReader(bytes.NewReader(readFile(t, filepath.Join(dir, "quarantaine.csv")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) < 2 || !slices.Equal(recs[0], []string{"bestand", "blad", "rij", "kolom", "reden"}) {
		t.Fatalf("failed run's quarantaine.csv: %d lines, header %q", len(recs), recs[0])
	}
	for _, r := range recs[1:] {
		if r[0] == "" || r[2] == "" || r[4] == "" {
			t.Errorf("quarantine line %q lacks file, row or reason", r)
		}
	}
	for _, name := range []string{"", "manifest.json", "quarantaine.csv"} {
		want := os.FileMode(0o600)
		if name == "" {
			want = 0o700
		}
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: %v, want mode %04o", filepath.Join(dir, name), err, want)
		}
	}
}

// assertOnlyRun checks that latest is runID, that runs/ holds nothing else
// that the test did not expect, and that only runID's store is left.
func assertOnlyRun(t *testing.T, o pipeline.Options, runID string, alsoRuns ...string) {
	t.Helper()
	if got, err := pipeline.LatestRunID(o.Out); got != runID {
		t.Errorf("latest = %q (%v), want %s", got, err, runID)
	}
	entries, err := os.ReadDir(filepath.Join(o.Out, "runs"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != runID && !slices.Contains(alsoRuns, e.Name()) {
			t.Errorf("runs/ holds %s besides the published run %s", e.Name(), runID)
		}
	}
	stores, _ := filepath.Glob(filepath.Join(o.State, "runs", "*"))
	for _, s := range stores {
		if !strings.HasPrefix(filepath.Base(s), runID+".") {
			t.Errorf("state holds %s besides the files of run %s", filepath.Base(s), runID)
		}
	}
	if _, err := os.Stat(filepath.Join(o.Out, "runs", runID, "manifest.json")); err != nil {
		t.Errorf("published run %s: %v", runID, err)
	}
}

func TestRunLocked(t *testing.T) {
	fx := newFixture(t, 500)
	o := fx.options(t, "a")
	if err := os.MkdirAll(o.State, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(o.State, "jeugd.lock")
	if err := os.WriteFile(path, []byte("4242\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fl := flock.New(path)
	if ok, err := fl.TryLock(); !ok || err != nil {
		t.Fatalf("take the lock: %v, %v", ok, err)
	}
	defer fl.Unlock()
	_, err := pipeline.Run(context.Background(), o)
	if !errors.Is(err, pipeline.ErrLocked) {
		t.Fatalf("run while the lock is held: %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), "4242") {
		t.Errorf("lock error %q does not name the holder's pid", err)
	}
	if _, err := os.Lstat(filepath.Join(o.Out, pipeline.LatestLink)); err == nil {
		t.Errorf("a locked-out run published")
	}

	if err := fl.Unlock(); err != nil {
		t.Fatal(err)
	}
	m := mustRun(t, o) // the lock file of a holder that is gone is taken over
	assertOnlyRun(t, o, m.RunID)
}

func TestRunStaleLockFile(t *testing.T) {
	fx := newFixture(t, 500)
	o := fx.options(t, "a")
	if err := os.MkdirAll(o.State, 0o700); err != nil {
		t.Fatal(err)
	}
	// A pid that cannot exist (above pid_max), left by a run that died.
	if err := os.WriteFile(filepath.Join(o.State, "jeugd.lock"), []byte("99999999\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	m := mustRun(t, o)
	assertOnlyRun(t, o, m.RunID)
}
