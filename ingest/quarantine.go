package ingest

import (
	"encoding/csv"
	"io"
	"strconv"
	"sync"
)

// DefaultKeep is how many row errors a Collector keeps when Keep is 0.
const DefaultKeep = 10000

// Collector is a Quarantine that keeps the first Keep row errors and counts
// all of them per Kind, so that a file full of bad rows cannot exhaust
// memory. It is safe for concurrent use; the zero value is ready.
type Collector struct {
	Keep int // errors kept in memory; 0 means DefaultKeep

	mu     sync.Mutex
	errs   []RowError
	count  int
	byKind map[Kind]int
}

// Reject records e; it copies e, so callers may reuse it.
func (c *Collector) Reject(e *RowError) {
	c.mu.Lock()
	defer c.mu.Unlock()
	keep := c.Keep
	if keep == 0 {
		keep = DefaultKeep
	}
	if len(c.errs) < keep {
		c.errs = append(c.errs, *e)
	}
	if c.byKind == nil {
		c.byKind = make(map[Kind]int)
	}
	c.byKind[e.Kind]++
	c.count++
}

// Errors returns a copy of the kept errors in arrival order.
func (c *Collector) Errors() []RowError {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]RowError(nil), c.errs...)
}

// Count is the number of errors received, kept or not.
func (c *Collector) Count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.count
}

// Dropped is the number of errors counted but not kept.
func (c *Collector) Dropped() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.count - len(c.errs)
}

// ByKind returns a copy of the counts per Kind.
func (c *Collector) ByKind() map[Kind]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := make(map[Kind]int, len(c.byKind))
	for k, n := range c.byKind {
		m[k] = n
	}
	return m
}

// WriteCSV writes a quarantine report with the columns file, sheet, row,
// column and reason. File names, sheet names and headers come from the
// supplier, so a cell that a spreadsheet would run as a formula is
// neutralised with a leading quote.
func WriteCSV(w io.Writer, errs []RowError) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"file", "sheet", "row", "column", "reason"}); err != nil {
		return err
	}
	for i := range errs {
		e := &errs[i]
		rec := [5]string{neutralise(e.File), neutralise(e.Sheet), strconv.Itoa(e.Row), neutralise(e.Column), e.Kind.String()}
		if err := cw.Write(rec[:]); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// neutralise prefixes text a spreadsheet would treat as a formula
// (= + - @, and tab or CR, which some apps strip first) with a quote.
func neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
