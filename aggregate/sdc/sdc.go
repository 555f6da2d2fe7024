// Package sdc is statistical disclosure control for count tables: primary
// and secondary cell suppression, rounding, and a linear audit that proves no
// suppressed cell can be derived from the published ones. It knows nothing of
// indicators or areas: a Table is counts plus additive relations.
package sdc

// Table is a set of count cells and the additive relations between them.
type Table struct {
	Values []int64 // true counts, >= 0
	Groups []Group // Values[Total] = sum of Values[Parts] (treated as exact, to stay on the safe side)
}

// Group is one additive relation: a published total and the cells that add
// up to it (the buurten of a wijk, the months of a quarter, the classes of a
// breakdown).
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

// CONTRACT STUB: the sdc work replaces the bodies below.

// Suppress returns the status of every cell: primary suppression of
// 0 < n < k, then secondary suppression until no group holds exactly one
// suppressed cell (counting its total), picking the smallest cells as
// complements; deterministic for equal input.
func Suppress(t *Table, k int) []Status { panic("sdc.Suppress: not implemented yet") }

// Audit returns the indexes of suppressed cells whose value is determined
// exactly by the published cells and the group equations (Gaussian
// elimination), in ascending order. Empty means the table is safe.
func Audit(t *Table, st []Status) []int { panic("sdc.Audit: not implemented yet") }

// Protect runs Suppress, then Audit, adding complements until the audit
// finds nothing. It fails with an *UnsafeError naming a cell when it cannot.
func Protect(t *Table, k int) ([]Status, error) { panic("sdc.Protect: not implemented yet") }

// Round5 rounds a count for the round5 policy: 0 stays 0, 1-7 become 5,
// otherwise to the nearest multiple of 5.
func Round5(n int64) int64 { panic("sdc.Round5: not implemented yet") }
