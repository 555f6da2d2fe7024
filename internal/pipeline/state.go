package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ivz-twente/jeugd/publish"
)

// Operator is what a run keeps for the operator in STATE and never
// publishes (design §7, issue 10): per-file digests, sizes and row counts
// (the digest of a one-row file confirms a guess of its content), the
// inbox entries it skipped (file names), and per table how many withheld
// cells are small and how many are complements (published, "every withheld
// cell of this small table is small" would say each is at least 1).
type Operator struct {
	Inputs        []ManifestInput
	Skipped       []string
	Onderdrukking []Disclosure // with primary and secondary per table
}

// StateManifest is the operator's manifest of one run, in STATE next to
// the store: the published manifest and what must not be published.
type StateManifest struct {
	*Manifest
	Status        string          `json:"status"` // "published", or "failed: " and the reason
	Inputs        []ManifestInput `json:"inputs"`
	Skipped       []string        `json:"skipped,omitempty"`
	Onderdrukking []Disclosure    `json:"onderdrukking"` // replaces the published section: with the split
	Quarantaine   string          `json:"quarantaine"`   // the row-level quarantine report beside it
}

// Names of the operator's files of a run.
const (
	stateManifestName   = "manifest.json"
	stateQuarantineName = "quarantaine.csv"
)

// StateManifestPath is the operator's manifest of a published run.
func StateManifestPath(state, runID string) string {
	return filepath.Join(state, "runs", runID+"."+stateManifestName)
}

// StateQuarantinePath is the row-level quarantine report of a published
// run: file, sheet, row, column and reason of every rejected row.
func StateQuarantinePath(state, runID string) string {
	return filepath.Join(state, "runs", runID+"."+stateQuarantineName)
}

// FailedDir holds the quality report of a run that failed after reading
// the inbox: manifest.json and quarantaine.csv, no values.
func FailedDir(state, runID string) string {
	return filepath.Join(state, failedDir, runID)
}

// writeState writes the operator's manifest and quarantine report of the
// run to the given paths, owner-only.
func (r *run) writeState(status, manifestPath, quarantinePath string) error {
	sm := StateManifest{
		Manifest: r.m, Status: status, Inputs: r.m.Operator.Inputs, Skipped: r.m.Operator.Skipped,
		Onderdrukking: r.m.Operator.Onderdrukking, Quarantaine: filepath.Base(quarantinePath),
	}
	if err := publish.WriteQuarantine(quarantinePath, r.q.Errors()); err != nil {
		return err
	}
	return publish.WriteJSON(manifestPath, sm)
}

// FailedRunError is a run that failed after it read the inbox. Its quality
// report is kept in Report, a folder in STATE, so that the operator can see
// which files and rows were rejected and why.
type FailedRunError struct {
	Err    error
	Report string
}

func (e *FailedRunError) Error() string {
	return e.Err.Error() + "; quality report of this run (no values): " + e.Report
}

func (e *FailedRunError) Unwrap() error { return e.Err }

// failed keeps the quality report of a run that stopped with err, unless it
// was cancelled or read nothing, and returns what Run returns.
func (r *run) failed(ctx context.Context, err error) (*Manifest, error) {
	m := r.m
	if !r.qualityFailed {
		m = nil // only the quality figures are worth returning
	}
	if ctx.Err() != nil || r.m == nil || len(r.m.Operator.Inputs) == 0 && r.q.Count() == 0 {
		return m, err
	}
	dir := FailedDir(r.o.State, r.id)
	if werr := os.MkdirAll(dir, 0o700); werr != nil {
		r.log.Error().Err(werr).Msg("quality report of the failed run not written")
		return m, err
	}
	status := "failed: " + err.Error()
	if werr := r.writeState(status, filepath.Join(dir, stateManifestName), filepath.Join(dir, stateQuarantineName)); werr != nil {
		r.log.Error().Err(werr).Msg("quality report of the failed run not written")
		return m, err
	}
	if r.o.KeepRuns > 0 {
		pruneFailed(r.o.State, r.o.KeepRuns)
	}
	return m, &FailedRunError{Err: err, Report: dir}
}

// publishState writes the operator's files of a run that is about to be
// published, next to its store.
func (r *run) publishState() error {
	if err := r.writeState("published", StateManifestPath(r.o.State, r.id), StateQuarantinePath(r.o.State, r.id)); err != nil {
		return fmt.Errorf("state: %w", err)
	}
	return nil
}
