package ingest

import (
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
