package transform

import (
	"maps"

	"github.com/ivz-twente/jeugd/internal/quarantine"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

// Locaties of an event, as used in Stats.
const (
	LocatiePleeg = "pleeg"
	LocatieWoon  = "woon"
)

// GeocodeKey groups geocoding counts.
type GeocodeKey struct {
	Source  string // "bron-soort"
	Locatie string // LocatiePleeg or LocatieWoon
	Method  geocode.Method
}

// Stats counts what the transform did, over all stages of a Transformer.
// Nothing in it identifies a row.
type Stats struct {
	Events      int                     // rows written as events
	Quarantined map[quarantine.Kind]int // rows rejected, by reason
	// Geocode counts, per source and location, how each row that reached
	// geocoding was resolved (quarantined KindNoLocation rows included), so
	// match rates can be reported per source.
	Geocode map[GeocodeKey]int
	// InvalidBSN counts rows whose BSN failed the elfproef; they fall back to
	// the name key. A run report shows it as a warning.
	InvalidBSN int
	// MissingPersoon counts rows of person sources with neither a valid BSN
	// nor both achternaam and geboortedatum: their persoon is null.
	MissingPersoon int
	// Unknown counts, per lijst, rows whose values matched no rule and so got
	// the list's otherwise categorie (empty values included).
	Unknown map[string]int
}

func (s *Stats) clone() Stats {
	c := *s
	c.Quarantined = maps.Clone(s.Quarantined)
	c.Geocode = maps.Clone(s.Geocode)
	c.Unknown = maps.Clone(s.Unknown)
	return c
}

func newStats() Stats {
	return Stats{Quarantined: map[quarantine.Kind]int{}, Geocode: map[GeocodeKey]int{}, Unknown: map[string]int{}}
}

// batchStats are a stage's counters for one batch: arrays, not maps, since
// they change per row. flush turns them into Stats once per batch.
type batchStats struct {
	events, invalidBSN, missingPersoon, unknown int
	quarantined                                 [16]int
	geocode                                     [2][len(methods)]int // by locatie, method
}

// methods index geocode counts; MethodNone is not counted.
var methods = [...]geocode.Method{geocode.MethodBuurtcode, geocode.MethodPostcodeHuisnummer, geocode.MethodCoordinaten,
	geocode.MethodPostcode, geocode.MethodGemeente, geocode.MethodOnbekend}

func methodIndex(m geocode.Method) int {
	switch m {
	case geocode.MethodBuurtcode:
		return 0
	case geocode.MethodPostcodeHuisnummer:
		return 1
	case geocode.MethodCoordinaten:
		return 2
	case geocode.MethodPostcode:
		return 3
	case geocode.MethodGemeente:
		return 4
	}
	return 5
}

func (b *batchStats) add(o *batchStats) {
	b.events += o.events
	b.invalidBSN += o.invalidBSN
	b.missingPersoon += o.missingPersoon
	b.unknown += o.unknown
	for i, v := range o.quarantined {
		b.quarantined[i] += v
	}
	for l := range o.geocode {
		for m, v := range o.geocode[l] {
			b.geocode[l][m] += v
		}
	}
}

func (b *batchStats) quarantinedTotal() int {
	n := 0
	for _, v := range b.quarantined {
		n += v
	}
	return n
}
