package pipeline

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/ivz-twente/jeugd/aggregate"
	"github.com/ivz-twente/jeugd/internal/dekking"
	"github.com/ivz-twente/jeugd/internal/quarantine"
	"github.com/ivz-twente/jeugd/publish/report"
	"github.com/ivz-twente/jeugd/transform"
)

// Manifest describes one run as published: with which software and
// settings, per source how many rows went in and how they were placed, and
// per table how many cells were withheld. It holds counts only, never a
// value from a row. Per-file figures stay in STATE (Operator).
type Manifest struct {
	RunID      string    `json:"run_id"`
	Software   string    `json:"software_version"`
	Build      *Software `json:"software_build,omitempty"` // the VCS revision; absent when the build recorded none
	ConfigHash string    `json:"config_hash"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	RunDate    string    `json:"run_date"` // periods that ended before this day are published
	Settings   Settings  `json:"settings"`

	Bronnen map[string]*BronReport `json:"bronnen"`

	Events         int            `json:"events"`
	InvalidBSN     int            `json:"invalid_bsn"`     // rows whose BSN failed the elfproef; they used the name key
	MissingPersoon int            `json:"missing_persoon"` // rows of person sources without any person key
	UnknownCodes   map[string]int `json:"unknown_codes"`   // per classification lijst: rows that fell to its otherwise categorie
	Onderdrukking  []Disclosure   `json:"onderdrukking"`
	Outputs        []string       `json:"outputs"`

	Operator Operator `json:"-"` // written to STATE only (StateManifest)
}

// Settings are the run options that shape the published numbers; their hash
// is the manifest's config_hash. The key is deliberately absent.
type Settings struct {
	MinCount          int      `json:"min_count"` // 0: each indicator's k from the table plan
	Margin            int64    `json:"margin"`
	Plan              string   `json:"plan"`
	MaxQuarantineRate float64  `json:"max_quarantine_rate"`
	MinMatchRate      float64  `json:"min_match_rate"`
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
	Files          int     `json:"files"`
	FailedFiles    int     `json:"failed_files"`
	Read           int     `json:"rows_read"`
	Accepted       int     `json:"rows_accepted"`
	Quarantined    int     `json:"rows_quarantined"`
	QuarantineRate float64 `json:"quarantine_rate"`
	Events         int     `json:"events"` // accepted rows minus organisaties
	// Organisaties are accepted victim rows of an organisation (a
	// rechtspersoon) or without any person data: counted, not quarantined,
	// and in no person figure.
	Organisaties int `json:"organisaties"`
	// OnbekendeCodes counts the rows whose categorie value no rule of the
	// classificatie knows, per supplier code ("V17"; a value that is not a
	// code is "(omschrijving)"): they count as overig. Codes only, never a
	// value of a person.
	OnbekendeCodes map[string]int `json:"onbekende_codes,omitempty"`
	// Dekking says which months the source covers: first and last month,
	// the months without a delivery, and how that was known.
	Dekking   *dekking.Bron             `json:"dekking,omitempty"`
	Geocode   map[string]map[string]int `json:"geocode,omitempty"`            // pleeg|woon -> method -> events
	MatchRate map[string]float64        `json:"geocode_match_rate,omitempty"` // pleeg|woon -> share resolved to a buurt
}

// Disclosure is the protection of one indicator: its rule and, per table,
// how many cells it has and how many are withheld.
type Disclosure struct {
	Indicator string       `json:"indicator"`
	Telt      string       `json:"telt"`
	K         int64        `json:"k"`
	Tabellen  []TableCells `json:"tabellen"`
}

// TableCells counts the cells of one table. Primary, Secondary and the
// share of safe cells withheld are only in the operator's copy in STATE:
// published, "every withheld cell of this small table is a small count"
// would tell an analyst that each is at least 1.
type TableCells struct {
	Niveau       string   `json:"niveau"`
	Periodetype  string   `json:"periodetype"`
	Uitsplitsing string   `json:"uitsplitsing"`
	Cells        int      `json:"cellen"`
	Withheld     int      `json:"onderdrukt"`
	Primary      *int     `json:"primair,omitempty"`
	Secondary    *int     `json:"secundair,omitempty"`
	SafeWithheld *float64 `json:"aandeel_veilig_onderdrukt,omitempty"` // secondary / (cells - primary)
	// AtLeastK counts the cells of k or more (1 or more without a
	// threshold), AtLeastKWithheld those of them withheld.
	AtLeastK         *int `json:"vanaf_k,omitempty"`
	AtLeastKWithheld *int `json:"vanaf_k_onderdrukt,omitempty"`
}

// Withheld sums the withheld cells of every table.
func (d Disclosure) Withheld() (cells, withheld int) {
	for _, t := range d.Tabellen {
		cells, withheld = cells+t.Cells, withheld+t.Withheld
	}
	return cells, withheld
}

// addTransformStats folds the transform's counters into the per-source
// reports: how locations were geocoded and the match rate (the share placed
// in a buurt, not merely a gemeente, per location), organisation victims
// and unknown codes.
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
	for src, n := range st.Organisaties {
		br := m.bron(src)
		br.Organisaties += n
		br.Events -= n // organisaties are accepted but become no event
	}
	for k, n := range st.UnknownCodes {
		br := m.bron(k.Source)
		if br.OnbekendeCodes == nil {
			br.OnbekendeCodes = map[string]int{}
		}
		br.OnbekendeCodes[k.Code] += n
	}
	for _, mr := range st.MatchRates() {
		br := m.bron(mr.Source)
		if br.MatchRate == nil {
			br.MatchRate = map[string]float64{}
		}
		br.MatchRate[mr.Locatie] = mr.Rate()
	}
	m.InvalidBSN = st.InvalidBSN
	m.MissingPersoon = st.MissingPersoon
	m.UnknownCodes = st.Unknown
}

// ReportQuality is the part of m that the HTML report shows.
func ReportQuality(m *Manifest) report.Quality {
	q := report.Quality{
		RunID: m.RunID, Software: m.SoftwareText(), ConfigHash: m.ConfigHash, RunDate: m.RunDate,
		Regio: m.Settings.Regio, MaxQuarantineRate: m.Settings.MaxQuarantineRate,
	}
	for _, name := range slices.Sorted(maps.Keys(m.Bronnen)) {
		br := m.Bronnen[name]
		q.Bronnen = append(q.Bronnen, report.Bron{Naam: name, Files: br.Files, FailedFiles: br.FailedFiles,
			Read: br.Read, Accepted: br.Accepted, Quarantined: br.Quarantined, Events: br.Events,
			QuarantineRate: br.QuarantineRate, MatchRate: br.MatchRate})
	}
	for _, d := range m.Onderdrukking {
		cells, withheld := d.Withheld()
		q.Onderdrukking = append(q.Onderdrukking, report.Onderdrukking{Indicator: d.Indicator, K: d.K, Cells: cells, Withheld: withheld})
	}
	return q
}

func (m *Manifest) bron(name string) *BronReport {
	br := m.Bronnen[name]
	if br == nil {
		br = &BronReport{}
		m.Bronnen[name] = br
	}
	return br
}

// addInputs records every input file in the manifest and its source's
// report, logs one line per file and returns how many files were usable.
// Quarantined counts the rows rejected by ingest and by transform.
func (m *Manifest) addInputs(files []InputFile, results []fileResult, q *quarantine.Sink, log zerolog.Logger) (usable int) {
	for i, f := range files {
		in := ManifestInput{Path: f.Path, Bron: f.Bron, SHA256: f.SHA256, Size: f.Size, Status: "ok"}
		br := m.bron(f.Bron)
		br.Files++
		if f.Duplicat != "" {
			in.Status = "duplicate of " + f.Duplicat
			log.Warn().Str("file", f.Path).Str("same_as", f.Duplicat).Msg("duplicate export skipped")
			m.Operator.Inputs = append(m.Operator.Inputs, in)
			continue
		}
		r := results[i]
		in.Sheet, in.Read, in.Quarantined = r.sheet, r.stats.Read, q.CountFile(f.Path)
		in.Accepted = in.Read - in.Quarantined
		if r.err != nil {
			in.Status = "failed: " + r.err.Error()
			br.FailedFiles++
			log.Error().Str("bron", f.Bron).Str("file", f.Path).Err(r.err).Msg("file failed")
		} else {
			usable++
			log.Info().Str("bron", f.Bron).Str("file", f.Path).Int("rows_read", in.Read).
				Int("rows_quarantined", in.Quarantined).Msg("file ingested")
		}
		br.Read += in.Read
		br.Accepted += in.Accepted
		br.Events += in.Accepted // every accepted row becomes one event
		br.Quarantined += in.Quarantined
		m.Operator.Inputs = append(m.Operator.Inputs, in)
	}
	return usable
}

// checkQuarantine fails the run when a source lost too many rows: better no
// publication than one that silently undercounts.
func checkQuarantine(o Options, m *Manifest) error {
	var over []string
	for _, name := range slices.Sorted(maps.Keys(m.Bronnen)) {
		br := m.Bronnen[name]
		if br.Read > 0 {
			br.QuarantineRate = float64(br.Quarantined) / float64(br.Read)
		}
		if br.QuarantineRate > o.MaxQuarantineRate {
			over = append(over, fmt.Sprintf("%s %.1f%%", name, 100*br.QuarantineRate))
		}
	}
	if len(over) > 0 {
		return fmt.Errorf("%s (threshold %.1f%%): %w", strings.Join(over, ", "), 100*o.MaxQuarantineRate, ErrQuarantineRate)
	}
	return nil
}

// disclosure turns a protection summary into the manifest's form; with
// split it keeps the operator's fields.
func disclosure(sum *aggregate.Summary, p aggregate.Policy, split bool) []Disclosure {
	var out []Disclosure
	for _, l := range sum.Tables {
		if len(out) == 0 || out[len(out)-1].Indicator != l.Indicator {
			out = append(out, Disclosure{Indicator: l.Indicator, Telt: p.Plan.Indicator(l.Indicator).Telt, K: l.K})
		}
		t := TableCells{Niveau: aggregate.Niveaus[l.Table.Niveau], Periodetype: aggregate.Periodetypes[l.Table.Periodetype],
			Uitsplitsing: aggregate.Uitsplitsingen[l.Table.Uitsplitsing], Cells: l.Cells, Withheld: l.Primary + l.Secondary}
		if split {
			share := float64(l.Secondary) / float64(max(l.Safe(), 1))
			t.Primary, t.Secondary, t.SafeWithheld = &l.Primary, &l.Secondary, &share
			t.AtLeastK, t.AtLeastKWithheld = &l.AtLeastK, &l.AtLeastKWithheld
		}
		out[len(out)-1].Tabellen = append(out[len(out)-1].Tabellen, t)
	}
	return out
}
