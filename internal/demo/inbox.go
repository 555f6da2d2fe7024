package demo

import (
	"fmt"
	"time"

	"github.com/ivz-twente/jeugd/internal/quarantine"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

// DefaultInboxRows is the size of the demo inbox on the fictional region.
const DefaultInboxRows = 20_000

// ReferenceRowsPerBuurt sizes the demo inbox on real reference data. About
// 20,000 rows a year for Twente's 526 buurten over the demo's four years,
// near what its police, OM, JGZ, leerplicht and Halt register together; the
// fictional region's 20,000 rows on 38 buurten are denser still. Spread over
// a real region, 20,000 rows would leave most gemeente months below k.
const ReferenceRowsPerBuurt = 150

// ReferenceRows is the default size of the demo inbox on ref.
func ReferenceRows(ref *geocode.Reference) int {
	return min(ReferenceRowsPerBuurt*len(ref.Buurten), MaxInboxRows)
}

// MaxInboxRows bounds InboxOptions.Rows; the BSN scheme gives every person
// of a population that size a distinct valid BSN.
const MaxInboxRows = 20_000_000

// maxFileRows splits large outputs into several files, as suppliers do.
const maxFileRows = 500_000

// InboxOptions configure WriteInbox. The zero value writes a clean inbox of
// DefaultInboxRows rows dated before today; the demo sets Messy.
type InboxOptions struct {
	Seed  int64     // same options, same bytes
	Rows  int       // approximate total over the seven sources; 0 means DefaultInboxRows
	Today time.Time // the run date; events fall in the three calendar years before it and the current year up to yesterday; zero means time.Now()
	// XLSXShare caps the share of rows written as XLSX (halt and jgz are
	// XLSX first, the rest CSV); 0 means 0.10, negative means no XLSX.
	XLSXShare float64
	// Messy plants a few percent of rows that must be quarantined (see
	// SourceStats.Bad) and writes accepted values in awkward forms: mixed date
	// formats, postcodes like "1234 ab", BSNs failing the elfproef.
	Messy bool
	// Canary makes every identifier and location value distinctive (names,
	// streets, schools and free text carry unique tokens; BSNs and case
	// numbers are unique per person and case; coordinates per row; postcodes
	// are those of the reference) and returns them in InboxStats.Canaries.
	// House numbers and dates are not canaries: small numbers and dates occur
	// legitimately in any output. Canary mode holds the canaries in memory,
	// so it is meant for small inboxes.
	Canary bool
	// PostcodeOnly gives every home as postcode and house number only: no
	// buurt code, coordinates, plaats or gemeente. Without a postcode table
	// in the reference such homes are placed nowhere, which is what the
	// geocoding threshold of a run is tested with.
	PostcodeOnly bool
	// Single, a source name, writes only that source: about Rows rows in
	// one CSV file styled like a large police export (Windows-1252, ';',
	// decimal comma, dd-mm-jjjj, CRLF), for benchmarking one large file.
	Single string
}

// InboxStats says what WriteInbox wrote.
type InboxStats struct {
	Files    []FileStats            // in write order
	Sources  map[string]SourceStats // by source name ("politie-incidenten")
	Canaries []string               // distinct, in planting order; nil unless Canary
}

// FileStats describes one written file.
type FileStats struct {
	Source string
	Path   string // relative to the inbox dir, slash separated
	XLSX   bool
	Rows   int // data rows, bad ones included; header and title rows excluded
	Bad    int // rows planted to be quarantined
}

// SourceStats counts the rows of one source.
type SourceStats struct {
	Rows int // data rows over all files
	// Bad counts the rows planted to be quarantined, by the Kind that ingest
	// (KindMissing, KindBadDate, KindFieldCount) or transform
	// (KindBirthAfter, KindNoLocation) should report. Each such row has
	// exactly one defect. Unknown codes and organisation victims are data,
	// not defects: they are accepted and counted in Organisaties and
	// UnknownCodes.
	Bad map[quarantine.Kind]int
	// Organisaties counts the victim rows of an organisation (a
	// rechtspersoon, or a row without any person data).
	Organisaties int
	// UnknownCodes counts the rows whose categorie value no rule of the
	// classificatie knows (a code such as V17, or free text).
	UnknownCodes int
	// InvalidBSN counts accepted rows whose BSN fails the elfproef; the
	// transform falls back to the name pseudonym for them.
	InvalidBSN int
}

// Total is the number of data rows written over all sources.
func (s InboxStats) Total() int {
	n := 0
	for _, src := range s.Sources {
		n += src.Rows
	}
	return n
}

// BadTotal is the number of rows planted to be quarantined.
func (s SourceStats) BadTotal() int {
	n := 0
	for _, v := range s.Bad {
		n += v
	}
	return n
}

// WriteInbox writes synthetic supplier exports for the seven sources into
// dir/<source>/, located in ref's region. It streams: memory does not grow
// with Rows (except the canary list in Canary mode).
func WriteInbox(dir string, ref *geocode.Reference, opts InboxOptions) (InboxStats, error) {
	g, err := newGen(ref, opts)
	if err != nil {
		return InboxStats{}, err
	}
	st := InboxStats{Sources: map[string]SourceStats{}}
	budget := int(g.xlsxShare * float64(g.rows))
	for i := range specs {
		sp := &specs[i]
		if g.single != "" && sp.name != g.single {
			continue
		}
		ss, files, err := g.writeSource(dir, sp, &budget)
		st.Files = append(st.Files, files...)
		if err != nil {
			return st, fmt.Errorf("demo inbox %s: %w", sp.name, err)
		}
		st.Sources[sp.name] = ss
	}
	st.Canaries = g.canaries
	return st, nil
}

// slot is a canonical field the generator can fill; the header text comes
// from the schema's name and aliases.
type slot uint8

const (
	sRegistratienummer slot = iota
	sParketnummer
	sBSN
	sAchternaam
	sVoornamen
	sGeboortedatum
	sGeslacht
	sWoonPostcode
	sWoonHuisnummer
	sWoonToevoeging
	sWoonStraat
	sWoonPlaats
	sWoonGemeente
	sPleegdatum
	sPleegtijd
	sIncidentcode
	sIncidentomschrijving
	sPleegStraat
	sPleegHuisnummer
	sPleegToevoeging
	sPleegPostcode
	sPleegPlaats
	sPleegGemeente
	sPleegX
	sPleegY
	sPleegLat
	sPleegLon
	sPleegBuurtcode
	sFeitcode
	sFeitomschrijving
	sWetsartikel
	sAfdoening
	sVerwijsdatum
	sVerwijzer
	sDelict
	sAfloop
	sSchool
	sBrin
	sVerzuimsoort
	sMeldingsdatum
	sAfhandeling
	sSignaaldatum
	sSignaaltype
	sWoonBuurtcode
	sWoonX
	sWoonY
	sWoonLat
	sWoonLon
	sSoortSlachtoffer
	nSlots
)

var slotNames = [nSlots]string{
	"registratienummer", "parketnummer", "bsn", "achternaam", "voornamen", "geboortedatum", "geslacht",
	"woon_postcode", "woon_huisnummer", "woon_huisnummertoevoeging", "woon_straat", "woon_plaats", "woon_gemeente",
	"pleegdatum", "pleegtijd", "incidentcode", "incidentomschrijving",
	"pleeg_straat", "pleeg_huisnummer", "pleeg_huisnummertoevoeging", "pleeg_postcode", "pleeg_plaats", "pleeg_gemeente",
	"pleeg_x", "pleeg_y", "pleeg_lat", "pleeg_lon", "pleeg_buurtcode",
	"feitcode", "feitomschrijving", "wetsartikel", "afdoening",
	"verwijsdatum", "verwijzer", "delict", "afloop",
	"school", "brin", "verzuimsoort", "meldingsdatum", "afhandeling",
	"signaaldatum", "signaaltype", "woon_buurtcode", "woon_x", "woon_y", "woon_lat", "woon_lon", "soort_slachtoffer",
}

// canarySlots are the identifier and location fields recorded in Canary
// mode (house numbers and dates excepted, see InboxOptions.Canary).
var canarySlots = func() (c [nSlots]bool) {
	for _, s := range []slot{sRegistratienummer, sParketnummer, sBSN, sAchternaam, sVoornamen,
		sWoonPostcode, sWoonStraat, sPleegStraat, sPleegPostcode, sPleegX, sPleegY, sPleegLat, sPleegLon,
		sWoonX, sWoonY, sWoonLat, sWoonLon,
		sIncidentomschrijving, sFeitomschrijving, sAfdoening, sAfloop, sSchool, sBrin, sAfhandeling} {
		c[s] = true
	}
	return c
}()

// col is a column a source's files may have; p is the chance a file has it
// (1 always); a pair column (pleeg_y, pleeg_lon) follows the column before.
type col struct {
	s    slot
	p    float64
	pair bool
}

type sourceSpec struct {
	name  string
	kind  uint8   // which generator loop
	share float64 // of InboxOptions.Rows
	xlsx  bool    // XLSX first, within the XLSX budget
	minF  int     // at least this many files when there are rows enough, for variety
	cols  []col
	bad   []quarantine.Kind
}

const (
	kIncidenten uint8 = iota
	kVerdachten
	kSlachtoffers
	kOM
	kHalt
	kLeerplicht
	kJGZ
)

// Shares: verdachten, slachtoffers and om-zaken follow from the number of
// police cases, sized from verdachten's share (1.4 suspects per case).
const verdachtenShare = 0.17

func personCols(extra ...col) []col {
	c := []col{{sBSN, 0.9, false}, {sAchternaam, 1, false}, {sVoornamen, 0.9, false}, {sGeboortedatum, 1, false},
		{sGeslacht, 0.9, false}, {sWoonPostcode, 1, false}, {sWoonHuisnummer, 1, false}, {sWoonToevoeging, 0.4, false},
		{sWoonPlaats, 0.5, false}, {sWoonGemeente, 1, false}, {sWoonBuurtcode, 1, false},
		{sWoonX, 0.7, false}, {sWoonY, 1, true}, {sWoonLat, 0.5, false}, {sWoonLon, 1, true}}
	return append(c, extra...)
}

func without(cols []col, s slot) []col {
	out := cols[:0:0]
	for _, c := range cols {
		if c.s != s {
			out = append(out, c)
		}
	}
	return out
}

var personBad = []quarantine.Kind{quarantine.KindMissing, quarantine.KindBadDate, quarantine.KindBirthAfter, quarantine.KindFieldCount}

var specs = []sourceSpec{
	{name: "halt-verwijzingen", kind: kHalt, share: 0.05, xlsx: true,
		cols: personCols(col{sVerwijsdatum, 1, false}, col{sVerwijzer, 0.8, false}, col{sDelict, 1, false}, col{sAfloop, 0.8, false}),
		bad:  personBad},
	{name: "jgz-signalen", kind: kJGZ, share: 0.10, xlsx: true,
		cols: personCols(col{sSignaaldatum, 1, false}, col{sSignaaltype, 1, false}),
		bad:  personBad},
	{name: "leerplicht-verzuim", kind: kLeerplicht, share: 0.15, minF: 2,
		cols: personCols(col{sSchool, 1, false}, col{sBrin, 0.7, false}, col{sVerzuimsoort, 1, false},
			col{sMeldingsdatum, 1, false}, col{sAfhandeling, 0.9, false}),
		bad: personBad},
	{name: "om-zaken", kind: kOM, share: 0.09,
		cols: personCols(col{sParketnummer, 1, false}, col{sRegistratienummer, 0.8, false}, col{sFeitcode, 0.8, false},
			col{sWetsartikel, 1, false}, col{sAfdoening, 1, false}, col{sPleegdatum, 1, false}),
		bad: personBad},
	{name: "politie-incidenten", kind: kIncidenten, share: 0.36, minF: 2,
		cols: []col{{sRegistratienummer, 1, false}, {sPleegdatum, 1, false}, {sPleegtijd, 0.7, false},
			{sIncidentcode, 1, false}, {sIncidentomschrijving, 1, false}, {sPleegStraat, 0.8, false},
			{sPleegHuisnummer, 1, false}, {sPleegToevoeging, 0.4, false}, {sPleegPostcode, 1, false},
			{sPleegPlaats, 0.7, false}, {sPleegGemeente, 1, false}, {sPleegX, 1, false}, {sPleegY, 1, true},
			{sPleegLat, 0.4, false}, {sPleegLon, 1, true}, {sPleegBuurtcode, 1, false}},
		bad: []quarantine.Kind{quarantine.KindMissing, quarantine.KindBadDate, quarantine.KindFieldCount, quarantine.KindNoLocation}},
	{name: "politie-slachtoffers", kind: kSlachtoffers, share: 0.08,
		cols: personCols(col{sRegistratienummer, 1, false}, col{sSoortSlachtoffer, 0.7, false}, col{sWoonStraat, 0.8, false},
			col{sPleegdatum, 1, false}),
		bad: personBad},
	{name: "politie-verdachten", kind: kVerdachten, share: verdachtenShare,
		cols: without(personCols(col{sRegistratienummer, 1, false}, col{sFeitcode, 1, false}, col{sFeitomschrijving, 0.8, false},
			col{sPleegdatum, 1, false}, col{sPleegPostcode, 1, false}, col{sPleegHuisnummer, 1, false},
			col{sPleegStraat, 0.7, false}, col{sPleegGemeente, 1, false}, col{sPleegX, 1, false}, col{sPleegY, 1, true},
			col{sPleegBuurtcode, 0.6, false}), sWoonPlaats),
		bad: personBad},
}
