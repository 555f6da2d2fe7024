package quarantine

import (
	"cmp"
	"slices"
	"sync"
)

// Sink collects the rejected rows of a run or a check, from every file and
// stage, and counts them per file and per Kind. It keeps positions and
// reasons only, so keeping them all for the report is cheap and safe; Keep
// bounds that where a file full of bad rows must not exhaust memory. It is
// safe for concurrent use; the zero value is ready and keeps every row.
type Sink struct {
	Keep int // rows kept in memory; 0 keeps all (they are counted either way)

	mu      sync.Mutex
	errs    []RowError
	count   int
	perFile map[string]int
	byKind  map[Kind]int
}

var _ Rejecter = (*Sink)(nil)

// Reject records e; it copies e, so callers may reuse it.
func (s *Sink) Reject(e *RowError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Keep <= 0 || len(s.errs) < s.Keep {
		s.errs = append(s.errs, *e)
	}
	if s.perFile == nil {
		s.perFile, s.byKind = map[string]int{}, map[Kind]int{}
	}
	s.perFile[e.File]++
	s.byKind[e.Kind]++
	s.count++
}

// Count is the number of rejections received, kept or not. A row with
// several bad cells counts once per cell.
func (s *Sink) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// Dropped is the number of rejections counted but not kept.
func (s *Sink) Dropped() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count - len(s.errs)
}

// CountFile is the number of rejections received for one file.
func (s *Sink) CountFile(file string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.perFile[file]
}

// ByKind returns a copy of the counts per Kind.
func (s *Sink) ByKind() map[Kind]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := make(map[Kind]int, len(s.byKind))
	for k, n := range s.byKind {
		m[k] = n
	}
	return m
}

// Errors returns a copy of the kept rows by file, sheet and row, so that a
// report does not depend on which worker read which part first. The reasons
// of one row keep the order in which they were reported.
func (s *Sink) Errors() []RowError {
	s.mu.Lock()
	out := slices.Clone(s.errs)
	s.mu.Unlock()
	slices.SortStableFunc(out, func(a, b RowError) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Sheet, b.Sheet), cmp.Compare(a.Row, b.Row))
	})
	return out
}
