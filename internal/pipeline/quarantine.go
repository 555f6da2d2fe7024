package pipeline

import (
	"sort"
	"sync"

	"github.com/ivz-twente/jeugd/ingest"
)

// quarantine collects the rejected rows of every file, from ingest and
// transform alike, and counts them per file for the quarantine rate. It
// holds positions and reasons only, never values, so keeping them all for
// the report is cheap and safe.
type quarantine struct {
	mu      sync.Mutex
	errs    []*ingest.RowError
	perFile map[string]int
}

func newQuarantine() *quarantine { return &quarantine{perFile: map[string]int{}} }

func (q *quarantine) Reject(e *ingest.RowError) {
	c := *e // the caller may reuse e
	q.mu.Lock()
	q.errs = append(q.errs, &c)
	q.perFile[c.File]++
	q.mu.Unlock()
}

func (q *quarantine) count(file string) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.perFile[file]
}

// sorted returns the errors by file, sheet and row, so the report does not
// depend on which worker read which file first.
func (q *quarantine) sorted() []*ingest.RowError {
	q.mu.Lock()
	defer q.mu.Unlock()
	sort.SliceStable(q.errs, func(i, j int) bool {
		a, b := q.errs[i], q.errs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Sheet != b.Sheet {
			return a.Sheet < b.Sheet
		}
		return a.Row < b.Row
	})
	return q.errs
}
