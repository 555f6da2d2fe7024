package aggregate

import (
	"context"
	"errors"
	"fmt"
)

// ErrNotReproduced means the store, counted and protected again, does not
// give the publication it is said to belong to: another plan, another
// reference or another run.
var ErrNotReproduced = errors.New("the internal store does not reproduce the publication")

// Stricter answers a question under a stricter policy than the publication
// was made with. It counts the store under q as the run did, protects it
// under pub and checks that exactly the cells withheld says the
// publication withheld are withheld, then protects it again under strict
// (Counts.Reprotect). Every cell it publishes the publication published
// with the same value, so the answer and the publication together reveal
// no more than the publication, and the answer stands on its own under
// strict. The whole table is protected, so answers about different areas
// cannot be combined either; the caller filters afterwards.
func (s *Store) Stricter(ctx context.Context, q Query, pub, strict Policy, withheld func(*Cell) bool) ([]Cell, error) {
	if err := strict.Validate(); err != nil {
		return nil, err
	}
	if !pub.Stricter(strict) {
		return nil, fmt.Errorf("%w: the answer's k must be at least the publication's", ErrPolicy)
	}
	c, err := s.Count(ctx, pub.Plan, q)
	if err != nil {
		return nil, err
	}
	if _, err := c.Protect(ctx, pub); err != nil {
		return nil, err
	}
	for i := range c.Cells {
		if cell := &c.Cells[i]; cell.Onderdrukt != withheld(cell) {
			return nil, fmt.Errorf("%w: %s", ErrNotReproduced, describe(cell))
		}
	}
	if _, err := c.Reprotect(ctx, pub, strict); err != nil {
		return nil, err
	}
	if err := c.Verify(strict); err != nil {
		return nil, err
	}
	return c.Cells, nil
}
