package pipeline

import (
	"maps"
	"slices"
	"time"

	"github.com/ivz-twente/jeugd/aggregate"
	"github.com/ivz-twente/jeugd/publish/report"
	"github.com/ivz-twente/jeugd/transform"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

// Manifest describes one run: what went in, what came out, and with which
// settings. It holds counts and file digests only, never a value from a row.
type Manifest struct {
	RunID      string    `json:"run_id"`
	Software   string    `json:"software_version"`
	ConfigHash string    `json:"config_hash"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	RunDate    string    `json:"run_date"` // periods that ended before this day are published
	Settings   Settings  `json:"settings"`

	Inputs  []ManifestInput        `json:"inputs"`
	Skipped []string               `json:"skipped,omitempty"`
	Bronnen map[string]*BronReport `json:"bronnen"`

	Events         int                        `json:"events"`
	InvalidBSN     int                        `json:"invalid_bsn"`     // rows whose BSN failed the elfproef; they used the name key
	MissingPersoon int                        `json:"missing_persoon"` // rows of person sources without any person key
	UnknownCodes   map[string]int             `json:"unknown_codes"`   // per classification lijst: rows that fell to its otherwise categorie
	Onderdrukking  map[string]SuppressedCount `json:"onderdrukking"`
	Outputs        []string                   `json:"outputs"`
}

// Settings are the run options that shape the published numbers; their hash
// is the manifest's config_hash. The key is deliberately absent.
type Settings struct {
	MinCount          int      `json:"min_count"`
	Policy            string   `json:"policy"`
	MaxQuarantineRate float64  `json:"max_quarantine_rate"`
	Recipients        []string `json:"recipients"`
	Regio             string   `json:"regio"`
	Schemas           string   `json:"schemas"`
	ReferenceDir      string   `json:"reference"`
	Reference         string   `json:"reference_digest"`
}

// ManifestInput is one inbox file.
type ManifestInput struct {
	Path        string `json:"path"` // relative to the inbox
	Bron        string `json:"bron"`
	SHA256      string `json:"sha256"`
	Size        int64  `json:"size"`
	Sheet       string `json:"sheet,omitempty"`
	Read        int    `json:"rows_read"`
	Accepted    int    `json:"rows_accepted"`
	Quarantined int    `json:"rows_quarantined"`
	Status      string `json:"status"` // ok, failed: reason, duplicate of PATH
}

// BronReport sums one source over its files.
type BronReport struct {
	Files          int                       `json:"files"`
	FailedFiles    int                       `json:"failed_files"`
	Read           int                       `json:"rows_read"`
	Accepted       int                       `json:"rows_accepted"`
	Quarantined    int                       `json:"rows_quarantined"`
	QuarantineRate float64                   `json:"quarantine_rate"`
	Events         int                       `json:"events"`
	Geocode        map[string]map[string]int `json:"geocode,omitempty"`            // pleeg|woon -> method -> events
	MatchRate      map[string]float64        `json:"geocode_match_rate,omitempty"` // pleeg|woon -> share resolved to a buurt
}

// SuppressedCount is the disclosure-control outcome of one indicator.
type SuppressedCount struct {
	Cells     int `json:"cells"`
	Primary   int `json:"primary"`
	Secondary int `json:"secondary"`
}

// addTransformStats folds the transform's counters into the per-source
// reports and computes the geocode match rate: the share of events placed
// in a buurt (not merely a gemeente) per location.
func addTransformStats(m *Manifest, st transform.Stats) {
	for k, n := range st.Geocode {
		br := m.bron(k.Source)
		if br.Geocode == nil {
			br.Geocode = map[string]map[string]int{}
		}
		if br.Geocode[k.Locatie] == nil {
			br.Geocode[k.Locatie] = map[string]int{}
		}
		br.Geocode[k.Locatie][string(k.Method)] += n
	}
	for _, br := range m.Bronnen {
		for loc, methods := range br.Geocode {
			total, buurt := 0, 0
			for method, n := range methods {
				total += n
				switch geocode.Method(method) {
				case geocode.MethodBuurtcode, geocode.MethodPostcodeHuisnummer, geocode.MethodCoordinaten, geocode.MethodPostcode:
					buurt += n
				}
			}
			if total > 0 {
				if br.MatchRate == nil {
					br.MatchRate = map[string]float64{}
				}
				br.MatchRate[loc] = float64(buurt) / float64(total)
			}
		}
	}
	m.InvalidBSN = st.InvalidBSN
	m.MissingPersoon = st.MissingPersoon
	m.UnknownCodes = st.Unknown
}

// ReportQuality is the part of m that the HTML report shows.
func ReportQuality(m *Manifest) report.Quality {
	q := report.Quality{
		RunID: m.RunID, Software: m.Software, ConfigHash: m.ConfigHash, RunDate: m.RunDate,
		Regio: m.Settings.Regio, MaxQuarantineRate: m.Settings.MaxQuarantineRate,
	}
	for _, name := range slices.Sorted(maps.Keys(m.Bronnen)) {
		br := m.Bronnen[name]
		q.Bronnen = append(q.Bronnen, report.Bron{Naam: name, Files: br.Files, FailedFiles: br.FailedFiles,
			Read: br.Read, Accepted: br.Accepted, Quarantined: br.Quarantined, Events: br.Events,
			QuarantineRate: br.QuarantineRate, MatchRate: br.MatchRate})
	}
	for _, ind := range aggregate.Indicators {
		if sc, ok := m.Onderdrukking[ind.Name]; ok {
			q.Onderdrukking = append(q.Onderdrukking, report.Onderdrukking{Indicator: ind.Name, Cells: sc.Cells, Primary: sc.Primary, Secondary: sc.Secondary})
		}
	}
	return q
}
