package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gofrs/flock"
)

// ErrLocked means another run holds the state directory.
var ErrLocked = errors.New("another jeugd run holds the lock")

// lockName is the lock file in the state directory.
const lockName = "jeugd.lock"

// lock is an exclusive lock on STATE/jeugd.lock: flock(2) on POSIX,
// LockFileEx on Windows. The operating system drops it when the holder
// dies, however it dies, so a stale lock file from a killed run is simply
// taken over; the PID inside is only for the message (Windows keeps the
// locked file unreadable to others, so there it says "unknown").
type lock struct {
	fl   *flock.Flock
	path string
}

func acquireLock(stateDir string) (*lock, error) {
	path := filepath.Join(stateDir, lockName)
	fl := flock.New(path, flock.SetPermissions(0o600))
	ok, err := fl.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if !ok {
		pid := "unknown"
		if holder, err := os.ReadFile(path); err == nil {
			if p := strings.TrimSpace(string(holder)); p != "" {
				if _, err := strconv.Atoi(p); err == nil {
					pid = p
				}
			}
		}
		return nil, fmt.Errorf("state directory is in use (pid %s, lock file %s): %w", pid, path, ErrLocked)
	}
	_ = os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600) // best effort, for the message
	return &lock{fl: fl, path: path}, nil
}

func (l *lock) release() {
	_ = os.Truncate(l.path, 0)
	_ = l.fl.Unlock()
}
