package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/ivz-twente/jeugd/publish"
)

// LatestLink is the name in OUT under which the current publication is
// read: a symbolic link to runs/<run-id> on POSIX, the run directory
// itself on Windows.
const LatestLink = "latest"

// switchName is the journal of a switch by rename: it names the run being
// published until the switch is complete.
const switchName = LatestLink + ".switch"

// switchByRename selects how OUT/latest is switched. POSIX renames a fresh
// symbolic link over the old one: one atomic step. Windows cannot: creating
// a symbolic link needs a privilege the nightly task rarely has, and a
// directory (link or not) cannot be renamed over another. There the run
// directory itself becomes OUT/latest by two renames, journalled in
// OUT/latest.switch so that a run killed between them is completed by the
// next one (see finishSwitch). Readers keep the same paths on both.
var switchByRename = runtime.GOOS == "windows"

// switchLatest makes runs/<runID> in out the current publication.
func switchLatest(out, runID string) error {
	var err error
	if switchByRename {
		err = renameSwitch(out, runID)
	} else {
		err = symlinkSwitch(out, runID)
	}
	if err != nil {
		return fmt.Errorf("switch latest: %w", err)
	}
	return publish.SyncDir(out)
}

func symlinkSwitch(out, runID string) error {
	tmp := filepath.Join(out, LatestLink+".tmp-"+runID)
	os.Remove(tmp)
	if err := os.Symlink(filepath.Join("runs", runID), tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(out, LatestLink)); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

func renameSwitch(out, runID string) error {
	journal := filepath.Join(out, switchName)
	if err := os.WriteFile(journal, []byte(runID+"\n"), 0o600); err != nil {
		return err
	}
	latest := filepath.Join(out, LatestLink)
	prev, err := manifestRunID(latest)
	switch {
	case err == nil:
		// The previous publication goes back to runs/, where it came from.
		if err := os.Rename(latest, filepath.Join(out, "runs", prev)); err != nil {
			os.Remove(journal)
			return err
		}
	case !errors.Is(err, fs.ErrNotExist):
		os.Remove(journal)
		return err
	}
	if err := os.Rename(filepath.Join(out, "runs", runID), latest); err != nil {
		return err // the journal stays: the next run completes the switch
	}
	return os.Remove(journal)
}

// finishSwitch completes a switch by rename that a killed run left between
// its two renames, and otherwise drops a leftover journal. It runs under
// the lock, before anything else looks at OUT.
func finishSwitch(out string) {
	journal := filepath.Join(out, switchName)
	b, err := os.ReadFile(journal)
	if err != nil {
		return
	}
	id := strings.TrimSpace(string(b))
	latest := filepath.Join(out, LatestLink)
	if _, err := os.Lstat(latest); errors.Is(err, fs.ErrNotExist) && id != "" && !strings.ContainsAny(id, `/\`) {
		if os.Rename(filepath.Join(out, "runs", id), latest) != nil {
			return // keep the journal for the next attempt
		}
	}
	os.Remove(journal)
}

// LatestRunID returns the run id that OUT/latest shows.
func LatestRunID(out string) (string, error) {
	latest := filepath.Join(out, LatestLink)
	target, err := os.Readlink(latest)
	if err == nil {
		return filepath.Base(target), nil
	}
	id, merr := manifestRunID(latest)
	if merr != nil {
		return "", fmt.Errorf("no published run in %s: %w", out, err)
	}
	return id, nil
}

// manifestRunID reads the run id of the run directory dir.
func manifestRunID(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return "", err
	}
	var m struct {
		RunID string `json:"run_id"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return "", err
	}
	if m.RunID == "" || strings.ContainsAny(m.RunID, `/\`) {
		return "", fmt.Errorf("%s: no run id in manifest.json", dir)
	}
	return m.RunID, nil
}
