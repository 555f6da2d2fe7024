// Package sdc is statistical disclosure control for count tables: primary
// and secondary cell suppression, rounding, and a linear audit that proves no
// suppressed cell can be derived from the published ones. It knows nothing of
// indicators or areas: a Table is counts plus additive relations.
//
// The suppression policy that Protect carries out:
//
//  1. Every Primary cell (0 < n < k) is suppressed and stays so, and no
//     Primary cell is derivable (Audit, exact elimination over all groups).
//  2. A Secondary cell that the audit finds derivable is released: published
//     again, since what is published already fixes its value. Releasing a
//     derivable cell makes no other cell derivable, so the audit is re-run
//     on what changed until it is stable. Protect releases only in linked
//     sets of suppressed cells where no Primary cell is derivable; where one
//     is, the derivable complements get complements too, as the Primary may
//     need them. At the end Audit is empty for all suppressed cells, so "no
//     suppressed cell can be derived" is literally true, and no group holds
//     exactly one suppressed cell (that cell would be derivable).
//  3. A derivable Primary cell gets a complement from its own groups, or,
//     when none is left, from the nearest groups breadth-first through
//     suppressed cells (smallest value first, then the cell that is the total
//     of fewest groups, then the lower index). As a
//     last resort every cell of its connected component is suppressed; only
//     a Primary cell derivable even then is an *UnsafeError.
//  4. Once the audit is clean, complements that later ones made redundant
//     are released, largest first, alone or with the complements they
//     paired with, when no suppressed cell becomes derivable (cleanup).
//     Then a bounded number of the largest remaining complements (>= 2k)
//     are swapped for smaller cells in the groups they leave alone, kept
//     only when the audit of what changed is clean (swap). Both keep 1-3:
//     they end with an audit, and undo what it rejects.
//
// Sparse tables need 2 and 3: with few events many groups have one part (a
// wijk with one buurt, a quarter with one month, one gemeente in the regio),
// so a total equals its part and complements are pinned by each other.
// Suppressing more never makes a cell derivable that was not, so the last
// resort decides whether a safe pattern exists at all.
package sdc

import (
	"errors"
	"fmt"
)

// Table is a set of count cells and the additive relations between them.
type Table struct {
	Values []int64 // true counts, >= 0
	Groups []Group // Values[Total] = sum of Values[Parts] (treated as exact, to stay on the safe side)
}

// Group is one additive relation: a published total and the cells that add
// up to it (the buurten of a wijk, the months of a quarter, the classes of a
// breakdown). A cell appears at most once in a group.
type Group struct {
	Total int
	Parts []int
}

// Status is the fate of one cell.
type Status uint8

const (
	Published Status = iota
	Primary          // 0 < n < k
	Secondary        // complement, so that no Primary cell can be derived
)

// Suppressed reports whether the cell is withheld.
func (s Status) Suppressed() bool { return s != Published }

// ErrBadTable marks a Table whose groups do not fit its cells.
var ErrBadTable = errors.New("invalid table")

// UnsafeError reports a primary cell that stays derivable even when every
// cell linked to it through groups is suppressed. Cell is an index into
// Table.Values; the caller translates it to a name.
type UnsafeError struct {
	Cell int
}

func (e *UnsafeError) Error() string {
	return fmt.Sprintf("cell %d cannot be protected: derivable with every linked cell suppressed", e.Cell)
}

// validate checks what Suppress and Audit rely on: member indexes in range,
// no cell twice in one group, no negative count. Errors name positions only.
func validate(t *Table) error {
	n := len(t.Values)
	for i, v := range t.Values {
		if v < 0 {
			return fmt.Errorf("cell %d: negative count: %w", i, ErrBadTable)
		}
	}
	seen := make([]int32, n) // group index + 1 that last saw the cell
	for g, gr := range t.Groups {
		mark := int32(g + 1)
		for j := -1; j < len(gr.Parts); j++ {
			c := gr.Total
			if j >= 0 {
				c = gr.Parts[j]
			}
			if c < 0 || c >= n {
				return fmt.Errorf("group %d: cell index out of range: %w", g, ErrBadTable)
			}
			if seen[c] == mark {
				return fmt.Errorf("group %d: cell %d listed twice: %w", g, c, ErrBadTable)
			}
			seen[c] = mark
		}
	}
	return nil
}
