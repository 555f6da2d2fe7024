package transform

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ivz-twente/jeugd/transform/geocode"
)

// MatchRate is how the locations of one kind (pleeg or woon) of one source
// were geocoded: the share placed in a CBS buurt is the figure a run
// checks against its threshold.
type MatchRate struct {
	Source   string // "bron-soort"
	Locatie  string // LocatiePleeg or LocatieWoon
	Rows     int    // rows that reached geocoding, quarantined KindNoLocation rows included
	Buurt    int    // rows placed in a buurt (geocode.Method.InBuurt)
	ByMethod map[geocode.Method]int
}

// Rate is the share of Rows placed in a buurt; 0 when there are no rows.
func (r MatchRate) Rate() float64 {
	if r.Rows == 0 {
		return 0
	}
	return float64(r.Buurt) / float64(r.Rows)
}

// String names the source and rate and how the rest was resolved, for a
// warning or error: "politie-verdachten woon 12.5% in a buurt (5 of 40;
// gemeente 30, onbekend 5)". It holds counts only.
func (r MatchRate) String() string {
	var rest []string
	for _, m := range geocode.Methods {
		if n := r.ByMethod[m]; n > 0 && !m.InBuurt() {
			rest = append(rest, fmt.Sprintf("%s %d", m, n))
		}
	}
	s := fmt.Sprintf("%s %s %.1f%% in a buurt (%d of %d", r.Source, r.Locatie, 100*r.Rate(), r.Buurt, r.Rows)
	if len(rest) > 0 {
		s += "; " + strings.Join(rest, ", ")
	}
	return s + ")"
}

// MatchRates returns one MatchRate per source and locatie that has rows,
// sorted by source and locatie.
func (s Stats) MatchRates() []MatchRate {
	type key struct{ source, locatie string }
	by := map[key]*MatchRate{}
	for k, n := range s.Geocode {
		if n == 0 {
			continue
		}
		r := by[key{k.Source, k.Locatie}]
		if r == nil {
			r = &MatchRate{Source: k.Source, Locatie: k.Locatie, ByMethod: map[geocode.Method]int{}}
			by[key{k.Source, k.Locatie}] = r
		}
		r.Rows += n
		r.ByMethod[k.Method] += n
		if k.Method.InBuurt() {
			r.Buurt += n
		}
	}
	out := make([]MatchRate, 0, len(by))
	for _, r := range by {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b MatchRate) int {
		return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Locatie, b.Locatie))
	})
	return out
}

// LowMatchRates returns the MatchRates whose Rate is below minRate: the
// sources and locations a run warns about, or fails on below its minimum.
func (s Stats) LowMatchRates(minRate float64) []MatchRate {
	var low []MatchRate
	for _, r := range s.MatchRates() {
		if r.Rate() < minRate {
			low = append(low, r)
		}
	}
	return low
}

// ErrLowMatchRate reports that too few rows of a source were placed in a
// buurt: the figures per buurt would silently undercount.
var ErrLowMatchRate = errors.New("geocode match rate below the minimum")

// MatchRateError lists the sources below the minimum, with their rates.
type MatchRateError struct {
	Min   float64
	Rates []MatchRate
}

func (e *MatchRateError) Error() string {
	parts := make([]string, len(e.Rates))
	for i, r := range e.Rates {
		parts[i] = r.String()
	}
	return fmt.Sprintf("%s (minimum %.1f%%): %v", strings.Join(parts, "; "), 100*e.Min, ErrLowMatchRate)
}

func (e *MatchRateError) Unwrap() error { return ErrLowMatchRate }

// CheckMatchRates returns a *MatchRateError (wrapping ErrLowMatchRate)
// naming every source and location whose buurt match rate is below
// minRate, or nil.
func (s Stats) CheckMatchRates(minRate float64) error {
	if low := s.LowMatchRates(minRate); len(low) > 0 {
		return &MatchRateError{Min: minRate, Rates: low}
	}
	return nil
}
