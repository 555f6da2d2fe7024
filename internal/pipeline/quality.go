package pipeline

import "errors"

// Geocoding thresholds: the share of a source's locations (pleeg or woon)
// placed in a CBS buurt. With a current CBS postcode-huisnummer table and
// ordinary exports it is 95-100%; what goes wrong in practice (a missing or
// stale postcode table, a supplier that dropped its address or coordinate
// columns) brings it far below one half.
const (
	// DefaultMinMatchRate is the minimum below which a run publishes
	// nothing (exit 3), like the quarantine threshold: buurt figures would
	// silently undercount by more than half.
	DefaultMinMatchRate = 0.50
	// WarnMatchRate is the rate below which a run warns per source and
	// location but still publishes.
	WarnMatchRate = 0.90
)

// checkQuality fails the run when a source lost too many rows to the
// quarantine or placed too few of its locations in a buurt; it warns about
// every source whose match rate is below WarnMatchRate. Both failures are
// reported together, so one run names every problem.
func (r *run) checkQuality() error {
	qErr := checkQuarantine(r.o, r.m)
	for _, mr := range r.stats.LowMatchRates(max(WarnMatchRate, r.o.MinMatchRate)) {
		r.log.Warn().Str("bron", mr.Source).Str("locatie", mr.Locatie).Float64("match_rate", mr.Rate()).
			Int("rows", mr.Rows).Int("in_buurt", mr.Buurt).Float64("min_match_rate", r.o.MinMatchRate).
			Msg("few locations placed in a buurt: check the postcode table in --reference and the location columns of the export")
	}
	return errors.Join(qErr, r.stats.CheckMatchRates(r.o.MinMatchRate))
}
