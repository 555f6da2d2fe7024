package aggregate

import (
	"errors"
	"fmt"

	"github.com/ivz-twente/jeugd/aggregate/sdc"
)

// ErrDisclosure means a protected table still reveals a small count. It
// should never happen: Verify is the independent last check before
// anything is published.
var ErrDisclosure = errors.New("disclosure check failed")

// Verify checks protected cells the way a privacy officer would, using only
// what will be published: no published value in 1..k-1, no additive group
// with exactly one suppressed cell, and no suppressed cell that Gaussian
// elimination over all groups can determine. The dashboard table and every
// municipality's table are slices of these same cells, so one check covers
// them all together.
func Verify(cells []Cell, p Policy) error {
	p, err := p.withDefaults()
	if err != nil {
		return err
	}
	if p.Name == PolicyRound5 {
		for i := range cells {
			if v := cells[i].Waarde; v%5 != 0 || cells[i].Onderdrukt {
				return fmt.Errorf("%w: %s is not rounded to a multiple of 5", ErrDisclosure, describe(&cells[i]))
			}
		}
		return nil
	}
	st := make([]sdc.Status, len(cells))
	values := make([]int64, len(cells))
	for i := range cells {
		c := &cells[i]
		if c.Onderdrukt {
			st[i] = sdc.Secondary
			continue
		}
		values[i] = c.Waarde
		if c.Waarde > 0 && c.Waarde < int64(p.MinCount) {
			return fmt.Errorf("%w: %s is published below k = %d", ErrDisclosure, describe(c), p.MinCount)
		}
	}
	t := &sdc.Table{Values: values, Groups: Groups(cells)}
	for _, g := range t.Groups {
		n := 0
		if st[g.Total].Suppressed() {
			n++
		}
		for _, part := range g.Parts {
			if st[part].Suppressed() {
				n++
			}
		}
		if n == 1 {
			return fmt.Errorf("%w: the group totalling %s has exactly one suppressed cell", ErrDisclosure, describe(&cells[g.Total]))
		}
	}
	if derivable := sdc.Audit(t, st); len(derivable) > 0 {
		return fmt.Errorf("%w: %d suppressed cells are derivable, e.g. %s", ErrDisclosure, len(derivable), describe(&cells[derivable[0]]))
	}
	return nil
}

func describe(c *Cell) string {
	return fmt.Sprintf("%s %s %s %s %s %s", c.Indicator, c.Gebiedsniveau, c.Gebiedscode, c.Periode, c.Uitsplitsing, c.Klasse)
}
