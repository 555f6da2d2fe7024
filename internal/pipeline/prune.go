package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/rs/zerolog"
)

// runIDRE matches the id of a run: its start time and a random suffix.
var runIDRE = regexp.MustCompile(`^[0-9]{8}T[0-9]{6}\.[0-9]{6}Z-[0-9a-f]{6}$`)

// runIDOf returns the run id a file in STATE/runs belongs to
// (<run-id>.duckdb, <run-id>.manifest.json), or "".
func runIDOf(name string) string {
	const n = len("20060102T150405.000000Z-abcdef")
	if len(name) > n && name[n] == '.' && runIDRE.MatchString(name[:n]) {
		return name[:n]
	}
	return ""
}

// PruneOptions say what Prune keeps.
type PruneOptions struct {
	Out, State string
	Keep       int // the newest runs kept in OUT/runs, besides latest; at least 1
	Log        zerolog.Logger
}

// ErrKeep refuses to prune to nothing.
var ErrKeep = errors.New("keep at least one run")

// Prune removes old runs under the run lock: every run directory in
// OUT/runs but the Keep newest and the one `latest` shows, with the
// operator's files of those runs in STATE, and every failed run's report
// in STATE/failed but the Keep newest. It returns the run ids it removed.
func Prune(o PruneOptions) ([]string, error) {
	if o.Keep < 1 {
		return nil, fmt.Errorf("%w: --keep %d", ErrKeep, o.Keep)
	}
	if o.Out == "" || o.State == "" {
		return nil, fmt.Errorf("%w: prune needs the output and the state directory", ErrConfig)
	}
	if _, err := os.Stat(o.State); err != nil {
		return nil, fmt.Errorf("%w: state directory: %w", ErrConfig, err)
	}
	lk, err := acquireLock(o.State)
	if err != nil {
		return nil, err
	}
	defer lk.release()
	return prune(o.Out, o.State, o.Keep, o.Log), nil
}

// prune does what Prune says; the caller holds the lock.
func prune(out, state string, keep int, log zerolog.Logger) []string {
	latest, _ := LatestRunID(out)
	ids := runIDs(filepath.Join(out, "runs"))
	if latest != "" && !slices.Contains(ids, latest) { // Windows: latest is not in runs/, but it is a run
		ids = append(ids, latest)
		slices.Sort(ids)
		slices.Reverse(ids)
	}
	var removed []string
	for i, id := range ids {
		if i < keep || id == latest {
			continue
		}
		if err := os.RemoveAll(filepath.Join(out, "runs", id)); err != nil {
			log.Warn().Err(err).Str("run", id).Msg("old run not removed")
			continue
		}
		removeRunState(state, id)
		removed = append(removed, id)
	}
	pruneFailed(state, keep)
	if len(removed) > 0 {
		log.Info().Strs("runs", removed).Int("keep", keep).Msg("old runs removed")
	}
	return removed
}

// pruneFailed removes the reports of failed runs but the keep newest.
func pruneFailed(state string, keep int) {
	for i, id := range runIDs(filepath.Join(state, failedDir)) {
		if i >= keep {
			os.RemoveAll(filepath.Join(state, failedDir, id))
		}
	}
}

// runIDs lists the run ids in dir, newest first. Partial directories and
// anything else are left out.
func runIDs(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var ids []string
	for _, e := range entries {
		if e.IsDir() && runIDRE.MatchString(e.Name()) {
			ids = append(ids, e.Name())
		}
	}
	slices.Sort(ids)
	slices.Reverse(ids)
	return ids
}

// failedDir holds, per failed run, its quality report: STATE/failed/<run-id>/.
const failedDir = "failed"

// removeRunState removes the files a run keeps in STATE/runs: its store
// and the operator's files beside it.
func removeRunState(state, id string) {
	matches, _ := filepath.Glob(filepath.Join(state, "runs", id+".*"))
	for _, m := range matches {
		if strings.HasPrefix(filepath.Base(m), id+".") {
			os.RemoveAll(m)
		}
	}
}
