// Package dekking says which months each source covers, so that a month
// without a delivery is published as "geen gegevens" and not as 0.
//
// Coverage is known, per source and in this order, from
//
//   - the dekking setting of the source in the config (van, tot and the
//     months known to be missing);
//   - the period each delivery declares: in a title row above the header
//     ("Periode: januari t/m juni 2025"), in the sheet name or in the file
//     name (verzuim_2024-08_2025-07.csv, jgz_2025-06.xlsx);
//   - for a delivery that declares nothing: the months from its source's
//     first to its last month with rows. A month without rows inside that
//     range is a true 0, not a missing delivery.
//
// Dekking implements aggregate.Dekking.
package dekking

import (
	"errors"
	"fmt"
	"time"
)

// Maand is a calendar month as a number: year*12 + month-1.
type Maand int32

// MaandOf is the month of t.
func MaandOf(t time.Time) Maand { return Maand(t.Year()*12 + int(t.Month()) - 1) }

func maand(year, month int) Maand { return Maand(year*12 + month - 1) }

// ErrMaand reports a month that is not YYYY-MM.
var ErrMaand = errors.New("not a month (YYYY-MM)")

// ParseMaand reads "2024-01".
func ParseMaand(s string) (Maand, error) {
	var y, m int
	if len(s) != 7 || s[4] != '-' {
		return 0, fmt.Errorf("%q: %w", s, ErrMaand)
	}
	if _, err := fmt.Sscanf(s, "%4d-%2d", &y, &m); err != nil || y < 1900 || m < 1 || m > 12 {
		return 0, fmt.Errorf("%q: %w", s, ErrMaand)
	}
	return maand(y, m), nil
}

// String is YYYY-MM.
func (m Maand) String() string { return fmt.Sprintf("%04d-%02d", int(m)/12, int(m)%12+1) }

// Periode is a span of months, both ends included.
type Periode struct{ Van, Tot Maand }

func (p Periode) String() string {
	if p.Van == p.Tot {
		return p.Van.String()
	}
	return p.Van.String() + ".." + p.Tot.String()
}
