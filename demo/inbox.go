package demo

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	xtransform "golang.org/x/text/transform"

	"github.com/ivz-twente/jeugd/ingest"
	"github.com/ivz-twente/jeugd/schemas"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

// DefaultInboxRows is the size of the demo inbox.
const DefaultInboxRows = 20_000

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
	// (KindMissing, KindBadDate, KindUnknownCode, KindFieldCount) or
	// transform (KindBirthAfter, KindNoLocation) should report. Each such
	// row has exactly one defect.
	Bad map[ingest.Kind]int
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
	"signaaldatum", "signaaltype", "woon_buurtcode",
}

// canarySlots are the identifier and location fields recorded in Canary
// mode (house numbers and dates excepted, see InboxOptions.Canary).
var canarySlots = func() (c [nSlots]bool) {
	for _, s := range []slot{sRegistratienummer, sParketnummer, sBSN, sAchternaam, sVoornamen,
		sWoonPostcode, sWoonStraat, sPleegStraat, sPleegPostcode, sPleegX, sPleegY, sPleegLat, sPleegLon,
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
	bad   []ingest.Kind
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
		{sWoonPlaats, 0.5, false}, {sWoonGemeente, 1, false}, {sWoonBuurtcode, 1, false}}
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

var personBad = []ingest.Kind{ingest.KindMissing, ingest.KindBadDate, ingest.KindBirthAfter, ingest.KindFieldCount}

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
		bad: append([]ingest.Kind{ingest.KindUnknownCode}, personBad...)},
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
		bad: []ingest.Kind{ingest.KindMissing, ingest.KindBadDate, ingest.KindFieldCount, ingest.KindNoLocation}},
	{name: "politie-slachtoffers", kind: kSlachtoffers, share: 0.08,
		cols: personCols(col{sRegistratienummer, 1, false}, col{sWoonStraat, 0.8, false}, col{sPleegdatum, 1, false}),
		bad:  personBad},
	{name: "politie-verdachten", kind: kVerdachten, share: verdachtenShare,
		cols: without(personCols(col{sRegistratienummer, 1, false}, col{sFeitcode, 1, false}, col{sFeitomschrijving, 0.8, false},
			col{sPleegdatum, 1, false}, col{sPleegPostcode, 1, false}, col{sPleegHuisnummer, 1, false},
			col{sPleegStraat, 0.7, false}, col{sPleegGemeente, 1, false}, col{sPleegX, 1, false}, col{sPleegY, 1, true},
			col{sPleegBuurtcode, 0.6, false}), sWoonPlaats),
		bad: personBad},
}

// ---- the generator ----

type buurtInfo struct {
	code, gmCode, gmNaam string
	pts                  [][2]int64 // interior points in RD centimetres
	geom                 orb.MultiPolygon
}

type adres struct {
	pc    [6]byte
	hn    int32
	buurt int32
}

type gen struct {
	seed      uint64
	rows      int
	messy     bool
	canary    bool
	xlsxShare float64
	today     int32 // days since 1970-01-01
	start     int32 // first event day
	todayText string

	set      *schemas.Set
	buurten  []buurtInfo
	adressen []adres

	nA, nB, nC int // population segments: jeugd, kinderen, volwassenen
	nCases     int

	canaries   []string
	canarySeen map[string]struct{}
	tokenN     [8]int // per-row canary token counters

	p person // scratch
}

func newGen(ref *geocode.Reference, opts InboxOptions) (*gen, error) {
	if ref == nil || len(ref.Buurten) == 0 {
		return nil, errors.New("demo inbox: reference has no buurten")
	}
	g := &gen{seed: uint64(opts.Seed), rows: opts.Rows, messy: opts.Messy, canary: opts.Canary, xlsxShare: opts.XLSXShare}
	if g.rows == 0 {
		g.rows = DefaultInboxRows
	}
	if g.rows < 0 || g.rows > MaxInboxRows {
		return nil, fmt.Errorf("demo inbox: rows %d outside 0..%d", g.rows, MaxInboxRows)
	}
	switch {
	case g.xlsxShare == 0:
		g.xlsxShare = 0.10
	case g.xlsxShare < 0:
		g.xlsxShare = 0
	case g.xlsxShare > 1:
		g.xlsxShare = 1
	}
	today := opts.Today
	if today.IsZero() {
		today = time.Now()
	}
	g.today = daysFromCivil(today.Year(), int(today.Month()), today.Day())
	g.start = daysFromCivil(today.Year()-3, 1, 1)
	g.todayText = string(appendDate(nil, g.today, dfDMY))
	if g.canary {
		g.canarySeen = map[string]struct{}{}
	}
	g.set = schemas.Builtin()
	for _, sp := range specs {
		src := g.set.Source(sp.name)
		if src == nil {
			return nil, fmt.Errorf("demo inbox: source %s not in the schemas", sp.name)
		}
		for _, c := range sp.cols {
			if !src.Has(slotNames[c.s]) {
				return nil, fmt.Errorf("demo inbox: source %s has no field %s", sp.name, slotNames[c.s])
			}
		}
	}

	idx := make(map[string]int32, len(ref.Buurten))
	perBuurt := 4 + g.rows/(8*len(ref.Buurten))
	perBuurt = min(perBuurt, 64)
	h := newStream(g.seed, saltBuurt, 0)
	for i, b := range ref.Buurten {
		bi := buurtInfo{code: b.Code, gmCode: b.Gemeentecode, gmNaam: b.Gemeentenaam, geom: b.Geometry}
		if len(b.Geometry) > 0 {
			bi.pts = make([][2]int64, 0, perBuurt)
			for range perBuurt {
				bi.pts = append(bi.pts, interiorPoint(&h, b))
			}
		}
		idx[b.Code] = int32(i)
		g.buurten = append(g.buurten, bi)
	}
	ref.Adressen(func(pc string, hn int, buurtcode string) bool {
		bi, ok := idx[buurtcode]
		if !ok || len(pc) != 6 {
			return true
		}
		var a adres
		copy(a.pc[:], pc)
		a.hn, a.buurt = int32(hn), bi
		g.adressen = append(g.adressen, a)
		return true
	})

	g.nA = max(300, g.rows/8)
	g.nB = max(300, g.rows/6)
	g.nC = max(300, g.rows/5)
	g.nCases = max(1, int(math.Round(verdachtenShare*float64(g.rows)/1.4)))
	return g, nil
}

// interiorPoint jitters the buurt's PointOnSurface inside its polygon and
// rounds to centimetres, keeping the rounded point inside.
func interiorPoint(h *stream, b geocode.Buurt) [2]int64 {
	c := geocode.PointOnSurface(b)
	bound := b.Geometry.Bound()
	r := math.Max(bound.Max[0]-bound.Min[0], bound.Max[1]-bound.Min[1]) / 2
	for try := 0; try < 12; try++ {
		p := orb.Point{c[0] + (h.float()*2-1)*r, c[1] + (h.float()*2-1)*r}
		cm := [2]int64{int64(math.Round(p[0] * 100)), int64(math.Round(p[1] * 100))}
		if planar.MultiPolygonContains(b.Geometry, orb.Point{float64(cm[0]) / 100, float64(cm[1]) / 100}) {
			return cm
		}
		r /= 1.5
	}
	return [2]int64{int64(math.Round(c[0] * 100)), int64(math.Round(c[1] * 100))}
}

// Salts separate the hash streams of different entities.
const (
	saltBuurt uint64 = iota + 1
	saltPerson
	saltCase
	saltIncident
	saltOMOnly
	saltRow
	saltFile
)

// ---- one source ----

type output struct {
	g       *gen
	sp      *sourceSpec
	src     *schemas.Source
	dir     string
	plans   []filePlan
	cur     int
	w       rowWriter
	fs      FileStats
	files   []FileStats
	st      SourceStats
	rng     stream // messy decisions and file styles
	row     row
	has     [nSlots]bool
	cols    []slot
	datum   slot
	req     []slot
	canSkip bool
}

type filePlan struct {
	xlsx  bool
	quota int // rows; the last file takes the rest
}

func (g *gen) writeSource(dir string, sp *sourceSpec, budget *int) (SourceStats, []FileStats, error) {
	o := &output{g: g, sp: sp, src: g.set.Source(sp.name), dir: dir, rng: newStream(g.seed, saltFile, uint64(sp.kind))}
	o.st.Bad = map[ingest.Kind]int{}
	for _, f := range o.src.Fields {
		if f.Required {
			o.req = append(o.req, slotOf(f.Name))
		}
	}
	o.datum = slotOf(o.src.Datum)
	target := int(sp.share * float64(g.rows))
	o.plans = planFiles(target, sp.xlsx, budget, sp.minF)
	if err := os.MkdirAll(filepath.Join(dir, sp.name), 0o755); err != nil {
		return o.st, nil, err
	}
	err := g.generate(o)
	if cerr := o.close(); err == nil {
		err = cerr
	}
	return o.st, o.files, err
}

func slotOf(name string) slot {
	for s, n := range slotNames {
		if n == name {
			return slot(s)
		}
	}
	return nSlots
}

// planFiles splits target rows into files: XLSX first while the budget
// lasts, then CSV, each at most maxFileRows.
func planFiles(target int, xlsx bool, budget *int, minFiles int) []filePlan {
	var plans []filePlan
	split := func(n int, x bool, minF int) {
		k := max(minF, (n+maxFileRows-1)/maxFileRows)
		for i := range k {
			plans = append(plans, filePlan{xlsx: x, quota: n/k + b2i(i < n%k)})
		}
	}
	if xlsx && *budget > 0 && target > 0 {
		x := min(target, *budget)
		*budget -= x
		split(x, true, 1)
		target -= x
		minFiles = 0
	}
	if target > 0 || len(plans) == 0 {
		if target < 1000 {
			minFiles = 1
		}
		split(target, false, max(1, minFiles))
	}
	return plans
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// next prepares the row for the next record, opening the next file when
// the current one has its quota.
func (o *output) next() (*row, error) {
	if o.w == nil || (o.fs.Rows >= o.plans[o.cur].quota && o.cur+1 < len(o.plans)) {
		if o.w != nil {
			if err := o.closeFile(); err != nil {
				return nil, err
			}
			o.cur++
		}
		if err := o.open(); err != nil {
			return nil, err
		}
	}
	o.row.reset()
	return &o.row, nil
}

// commit plants a defect (Messy), records canaries and writes the row.
func (o *output) commit() error {
	r := &o.row
	g := o.g
	if g.messy {
		if o.rng.float() < 0.025 {
			o.plant(r)
		} else if r.invalidBSN && o.has[sBSN] {
			o.st.InvalidBSN++
		}
	}
	if err := o.w.writeRow(r); err != nil {
		return err
	}
	o.fs.Rows++
	o.st.Rows++
	return nil
}

// plant gives the row exactly one defect of the source's kinds.
func (o *output) plant(r *row) {
	kinds := o.sp.bad
	k := kinds[o.rng.intn(len(kinds))]
	if k == ingest.KindFieldCount && o.plans[o.cur].xlsx {
		k = ingest.KindMissing
	}
	switch k {
	case ingest.KindMissing:
		s := o.req[o.rng.intn(len(o.req))]
		r.c[s] = cell{}
	case ingest.KindBadDate:
		s := o.datum
		if r.c[sGeboortedatum].kind == cDate && o.rng.intn(2) == 0 {
			s = sGeboortedatum
		}
		r.str(s, badDates[o.rng.intn(len(badDates))])
	case ingest.KindBirthAfter:
		d := r.c[o.datum].d
		r.date(sGeboortedatum, d+1+int32(o.rng.intn(400)))
	case ingest.KindFieldCount:
		r.extra = true
	case ingest.KindUnknownCode:
		// Since issue 12 an unknown verzuim kind is data, not a defect:
		// transform maps it to overig and counts it, so the row is written
		// as before but not counted as planted for the quarantine.
		r.str(sVerzuimsoort, unknownVerzuim[o.rng.intn(len(unknownVerzuim))])
		return
	case ingest.KindNoLocation:
		for s := sPleegStraat; s <= sPleegBuurtcode; s++ {
			r.c[s] = cell{}
		}
		if o.rng.intn(2) == 0 {
			// Amsterdam: well outside any Twente buurt.
			r.dec(sPleegX, 12100000+int64(o.rng.intn(200000)), 2)
			r.dec(sPleegY, 48700000+int64(o.rng.intn(200000)), 2)
		} else {
			r.str(sPleegGemeente, "Buitenland")
		}
	}
	o.st.Bad[k]++
	o.fs.Bad++
}

var badDates = []string{"onbekend", "32-13-2023", "n.v.t.", "2023-02-30x", "00-00-0000"}

var unknownVerzuim = []string{"schoolziek", "overig", "onbekend", "vrijstelling"}

func (o *output) open() error {
	p := o.plans[o.cur]
	g := o.g
	fi := o.cur
	// Column set and header spelling for this file.
	o.cols = o.cols[:0]
	o.has = [nSlots]bool{}
	prev := false
	for _, c := range o.sp.cols {
		in := c.p >= 1 || g.canary || o.rng.float() < c.p
		if c.pair {
			in = prev
		}
		prev = in
		if in {
			o.cols = append(o.cols, c.s)
			o.has[c.s] = true
		}
	}
	// Suppliers differ in column order; the first file keeps schema order.
	if fi > 0 || o.rng.intn(3) == 0 {
		for i := len(o.cols) - 1; i > 0; i-- {
			j := o.rng.intn(i + 1)
			o.cols[i], o.cols[j] = o.cols[j], o.cols[i]
		}
	}
	caseStyle := o.rng.intn(5)
	headers := make([]string, len(o.cols))
	for i, s := range o.cols {
		f := o.src.Field(slotNames[s])
		names := append([]string{f.Name}, f.Aliases...)
		headers[i] = headerCase(names[o.rng.intn(len(names))], caseStyle)
	}
	o.row.style = fileStyle{
		gemeente: uint8(o.rng.intn(3)),
		geslacht: uint8(o.rng.intn(len(geslachtSpelling))),
		verzuim:  uint8(o.rng.intn(len(verzuimSpelling))),
	}
	base := strings.ReplaceAll(o.sp.name, "-", "_") + "_" + strings.ReplaceAll(string(appendDate(nil, g.today, dfISO)), "-", "")
	if len(o.plans) > 1 {
		base += fmt.Sprintf("_deel%d", fi+1)
	}
	o.fs = FileStats{Source: o.sp.name, XLSX: p.xlsx}
	var err error
	if p.xlsx {
		o.fs.Path = o.sp.name + "/" + base + ".xlsx"
		// The first halt file has two title rows above its header.
		titles := 0
		if o.sp.kind == kHalt && fi == 0 {
			titles = 2
		}
		o.w, err = newXLSXWriter(filepath.Join(o.dir, filepath.FromSlash(o.fs.Path)), g, o, headers, titles)
		return err
	}
	st := csvStyle(o.sp.kind, fi, &o.rng)
	o.fs.Path = o.sp.name + "/" + base + ".csv"
	o.w, err = newCSVWriter(filepath.Join(o.dir, filepath.FromSlash(o.fs.Path)), g, o, headers, st)
	return err
}

func (o *output) closeFile() error {
	err := o.w.close()
	o.w = nil
	o.files = append(o.files, o.fs)
	return err
}

func (o *output) close() error {
	if o.w == nil {
		return nil
	}
	return o.closeFile()
}

// record notes a canary value once.
func (g *gen) record(b []byte) {
	if _, ok := g.canarySeen[string(b)]; ok {
		return
	}
	s := string(b)
	g.canarySeen[s] = struct{}{}
	g.canaries = append(g.canaries, s)
}

// csvStyle fixes the first file of each source so that the demo always
// shows every variant; later files draw one.
func csvStyle(kind uint8, fi int, rng *stream) csvOpts {
	if fi == 0 {
		switch kind {
		case kIncidenten:
			return csvOpts{delim: ';', bom: true, crlf: true, df: dfDMY}
		case kVerdachten:
			return csvOpts{delim: ',', cp1252: true, crlf: true, df: dfDMY}
		case kSlachtoffers:
			return csvOpts{delim: ';', cp1252: true, df: dfShort}
		case kOM:
			return csvOpts{delim: ',', df: dfISO, decDot: true}
		case kLeerplicht:
			return csvOpts{delim: ';', df: dfSlash}
		case kJGZ:
			return csvOpts{delim: '\t', bom: true, df: dfDMY}
		}
	}
	return csvOpts{
		delim:  ";,\t"[rng.intn(3)],
		bom:    rng.intn(3) == 0,
		cp1252: rng.intn(4) == 0,
		crlf:   rng.intn(2) == 0,
		df:     []dateFmt{dfDMY, dfDMY, dfISO, dfSlash}[rng.intn(4)],
		decDot: rng.intn(5) == 0,
	}
}

// headerCase spells a header the way some supplier does.
func headerCase(s string, style int) string {
	words := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '_' })
	switch style {
	case 1: // Title Case
		for i, w := range words {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
		return strings.Join(words, " ")
	case 2:
		return strings.ToUpper(strings.Join(words, " "))
	case 3:
		return strings.Join(words, "_")
	case 4: // CamelCase
		for i, w := range words {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
		return strings.Join(words, "")
	}
	return strings.Join(words, " ")
}

// ---- the records ----

// generate runs the source's loop.
func (g *gen) generate(o *output) error {
	switch o.sp.kind {
	case kIncidenten:
		n := int(o.sp.share * float64(g.rows))
		for i := range n {
			r, err := o.next()
			if err != nil {
				return err
			}
			g.incident(r, o, i)
			if err := o.commit(); err != nil {
				return err
			}
		}
	case kVerdachten, kSlachtoffers, kOM:
		var c policeCase
		for i := range g.nCases {
			g.policeCase(&c, i)
			var people []int
			switch o.sp.kind {
			case kVerdachten:
				people = c.suspects[:c.nSuspects]
			case kSlachtoffers:
				people = c.victims[:c.nVictims]
			case kOM:
				if c.om {
					people = c.suspects[:c.nSuspects]
				}
			}
			for _, p := range people {
				r, err := o.next()
				if err != nil {
					return err
				}
				g.caseRow(r, o, &c, p)
				if err := o.commit(); err != nil {
					return err
				}
			}
		}
		if o.sp.kind == kOM {
			// Cases that reached the OM without a police registration here.
			n := max(1, g.rows/50)
			for i := range n {
				g.omOnlyCase(&c, i)
				r, err := o.next()
				if err != nil {
					return err
				}
				g.caseRow(r, o, &c, c.suspects[0])
				if err := o.commit(); err != nil {
					return err
				}
			}
		}
	default:
		n := int(o.sp.share * float64(g.rows))
		for i := range n {
			r, err := o.next()
			if err != nil {
				return err
			}
			g.personRow(r, o, i)
			if err := o.commit(); err != nil {
				return err
			}
		}
	}
	return nil
}

// person is one member of the synthetic population, derived from its index
// alone so that nothing is held in memory.
type person struct {
	id         int
	bsn        [9]byte
	sex        uint8 // 0 m, 1 v, 2 x, 3 unknown
	first      string
	last       string
	birth      int32
	buurt      int32
	pc         [6]byte
	hn         int32
	toev       string
	school     int
	badBSNSalt uint64
}

const bsnBlocks = 12_000_000 // persons with distinct BSNs; see bsnOf

func (g *gen) person(p int, pp *person) {
	h := newStream(g.seed, saltPerson, uint64(p))
	pp.id = p
	bsnOf(p, &pp.bsn)
	var minAge, span float64
	switch {
	case p < g.nA: // jeugd: 14-21 today, so mostly 12-17 at the event
		minAge, span = 14, 8
	case p < g.nA+g.nB: // kinderen: 5-17
		minAge, span = 5, 13
	default: // volwassenen
		minAge, span = 22, 50
	}
	age := minAge + h.float()*span
	pp.birth = g.today - int32(age*365.25)
	u := h.float()
	switch {
	case p < g.nA && u < 0.75, p >= g.nA && u < 0.49:
		pp.sex = 0
	case u < 0.97:
		pp.sex = 1
	case u < 0.98:
		pp.sex = 2
	default:
		pp.sex = 3
	}
	switch pp.sex {
	case 0:
		pp.first = voornamenM[h.intn(len(voornamenM))]
	case 1:
		pp.first = voornamenV[h.intn(len(voornamenV))]
	default:
		pp.first = voornamenX[h.intn(len(voornamenX))]
	}
	pp.last = achternamen[h.intn(len(achternamen))]
	if len(g.adressen) > 0 {
		ai := h.intn(len(g.adressen))
		if g.canary {
			ai = p % len(g.adressen)
		}
		a := g.adressen[ai]
		pp.pc, pp.hn, pp.buurt = a.pc, a.hn, a.buurt
	} else {
		// No postcode table (the real CBS one is not shipped): a
		// well-formed postcode the geocoder will not find, plus the buurt
		// code a municipal system would deliver, so homes still resolve.
		pp.buurt = int32(h.intn(len(g.buurten)))
		syntheticPostcode(&pp.pc, 7400+int(pp.buurt)*7%300, h.next())
		pp.hn = int32(1 + h.intn(180))
	}
	pp.toev = ""
	if h.intn(12) == 0 {
		pp.toev = toevoegingen[h.intn(len(toevoegingen))]
	}
	pp.school = h.intn(len(scholen))
	pp.badBSNSalt = h.next()
}

// bsnOf gives person p a valid (elfproef) BSN unique among persons: an
// affine bijection spreads p over blocks of seven 8-digit prefixes, and the
// first prefix of the block whose check digit is below 10 is used.
func bsnOf(p int, b *[9]byte) {
	block := (uint64(p)*7_654_321 + 1_234_567) % bsnBlocks
	prefix := 10_000_000 + 7*block
	for k := uint64(0); ; k++ {
		n := prefix + k
		sum := 0
		for i := 7; i >= 0; i-- {
			d := byte(n % 10)
			n /= 10
			b[i] = '0' + d
			sum += (9 - i) * int(d)
		}
		if c := sum % 11; c < 10 {
			b[8] = '0' + byte(c)
			return
		}
	}
}

func syntheticPostcode(pc *[6]byte, digits int, h uint64) {
	pc[0] = '0' + byte(digits/1000%10)
	pc[1] = '0' + byte(digits/100%10)
	pc[2] = '0' + byte(digits/10%10)
	pc[3] = '0' + byte(digits%10)
	// Postcodes avoid F, I, O, Q, U and Y, and the pairs SA, SD and SS.
	const letters = "ABCDEGHJKLMNPRTVWXZS"
	pc[4] = letters[h%19] // no S first
	pc[5] = letters[(h>>8)%20]
}

// drawPerson picks a person from segment weights; low indices recur most,
// so the same young people show up in police, OM and Halt records.
func (g *gen) drawPerson(h *stream, wA, wB float64) int {
	u := h.float()
	v := h.float()
	switch {
	case u < wA:
		return int(float64(g.nA) * v * v)
	case u < wA+wB:
		return g.nA + int(float64(g.nB)*v)
	default:
		return g.nA + g.nB + int(float64(g.nC)*v)
	}
}

type policeCase struct {
	seq        int
	regnr      [24]byte
	regnrLen   int
	parket     [16]byte
	parketLen  int
	date       int32
	feit       int
	om         bool
	suspects   [3]int
	nSuspects  int
	victims    [2]int
	nVictims   int
	loc        location
	afdoening  int
	hasPolitie bool
}

func (g *gen) policeCase(c *policeCase, i int) {
	h := newStream(g.seed, saltCase, uint64(i))
	c.seq = i
	c.hasPolitie = true
	c.date = g.start + int32(h.intn(int(g.today-g.start)))
	c.regnrLen = len(appendRegnr(c.regnr[:0], c.date, i))
	c.feit = pickWeighted(&h, feitWeights)
	u := h.float()
	c.nSuspects = 1 + b2i(u > 0.7) + b2i(u > 0.9)
	for k := range c.nSuspects {
		c.suspects[k] = g.drawPerson(&h, 0.8, 0)
	}
	c.nVictims = 0
	if feiten[c.feit].victim {
		c.nVictims = 1 + b2i(h.intn(4) == 0)
		for k := range c.nVictims {
			c.victims[k] = g.drawPerson(&h, 0.35, 0.15)
		}
	}
	c.om = h.float() < 0.45
	c.parketLen = len(appendParket(c.parket[:0], c.date, i))
	c.afdoening = h.intn(len(afdoeningen))
	g.pleegLocation(&h, &c.loc, false)
}

func (g *gen) omOnlyCase(c *policeCase, i int) {
	h := newStream(g.seed, saltOMOnly, uint64(i))
	c.seq = 5_000_000 + i
	c.hasPolitie = false
	c.date = g.start + int32(h.intn(int(g.today-g.start)))
	c.feit = pickWeighted(&h, feitWeights)
	c.nSuspects = 1
	c.suspects[0] = g.drawPerson(&h, 0.6, 0)
	c.parketLen = len(appendParket(c.parket[:0], c.date, c.seq))
	c.afdoening = h.intn(len(afdoeningen))
}

// appendRegnr writes a BVH-style registratienummer, unique per seq.
func appendRegnr(b []byte, d int32, seq int) []byte {
	y, _, _ := civil(d)
	b = append(b, "PL0600-"...)
	b = appendInt(b, y, 4)
	return appendInt(b, seq, 7)
}

// appendParket writes an OM parketnummer, unique per seq.
func appendParket(b []byte, d int32, seq int) []byte {
	y, _, _ := civil(d)
	b = append(b, "05/"...)
	b = appendInt(b, seq, 7)
	b = append(b, '-')
	return appendInt(b, y%100, 2)
}

// location is a pleeglocatie resolved by one geocode method.
type location struct {
	method  uint8
	buurt   int32
	adres   int32
	x, y    int64 // RD cm
	street  int
	timeMin int
}

const (
	locPCHN uint8 = iota
	locRD
	locPC6
	locBuurtcode
	locGemeente
	locWGS84
)

var (
	locWeightsPC   = []int{40, 25, 5, 12, 15, 3}
	locWeightsNoPC = []int{0, 55, 0, 20, 22, 3}
)

func (g *gen) pleegLocation(h *stream, l *location, canaryPoint bool) {
	w := locWeightsNoPC
	if len(g.adressen) > 0 {
		w = locWeightsPC
	}
	l.method = uint8(pickWeighted(h, w))
	l.buurt = int32(h.intn(len(g.buurten)))
	if l.method == locPCHN || l.method == locPC6 {
		l.adres = int32(h.intn(len(g.adressen)))
		l.buurt = g.adressen[l.adres].buurt
	}
	b := &g.buurten[l.buurt]
	if l.method == locRD || l.method == locWGS84 {
		if len(b.pts) == 0 {
			l.method = locBuurtcode
		} else if g.canary {
			pt := interiorPoint(h, geocode.Buurt{Code: b.code, Geometry: b.geom})
			l.x, l.y = pt[0], pt[1]
		} else {
			pt := b.pts[h.intn(len(b.pts))]
			l.x, l.y = pt[0], pt[1]
		}
	}
	l.street = h.intn(len(straten))
	l.timeMin = h.intn(24 * 60)
}

// writeLocation fills the pleeg_* cells of r for l.
func (g *gen) writeLocation(r *row, o *output, l *location) {
	b := &g.buurten[l.buurt]
	method := l.method
	if method == locWGS84 && !o.has[sPleegLat] {
		method = locRD
	}
	if method == locBuurtcode && !o.has[sPleegBuurtcode] {
		method = locGemeente
	}
	switch method {
	case locPCHN:
		a := &g.adressen[l.adres]
		g.postcode(r, o, sPleegPostcode, &a.pc)
		r.int(sPleegHuisnummer, int64(a.hn))
		g.street(r, sPleegStraat, l.street)
		r.str(sPleegPlaats, b.gmNaam)
	case locPC6:
		g.postcode(r, o, sPleegPostcode, &g.adressen[l.adres].pc)
		r.str(sPleegPlaats, b.gmNaam)
	case locRD:
		r.dec(sPleegX, l.x, 2)
		r.dec(sPleegY, l.y, 2)
		if l.street%3 == 0 {
			g.street(r, sPleegStraat, l.street)
		}
	case locWGS84:
		lat, lon := geocode.RDToWGS84(float64(l.x)/100, float64(l.y)/100)
		r.dec(sPleegLat, int64(math.Round(lat*1e6)), 6)
		r.dec(sPleegLon, int64(math.Round(lon*1e6)), 6)
	case locBuurtcode:
		if l.street%2 == 0 {
			r.str(sPleegBuurtcode, b.code)
		} else {
			r.str(sPleegBuurtcode, b.code[2:]) // without the BU prefix
		}
	}
	if method == locGemeente || l.street%4 == 0 {
		g.gemeente(r, sPleegGemeente, b)
	}
}

func (g *gen) incident(r *row, o *output, i int) {
	h := newStream(g.seed, saltIncident, uint64(i))
	d := g.start + int32(h.intn(int(g.today-g.start)))
	lo := len(r.arena)
	r.arena = appendRegnr(r.arena, d, 5_000_000+i)
	r.buf(sRegistratienummer, lo)
	r.date(sPleegdatum, d)
	var l location
	g.pleegLocation(&h, &l, true)
	lo = len(r.arena)
	r.arena = appendInt(r.arena, l.timeMin/60, 2)
	r.arena = append(r.arena, ':')
	r.arena = appendInt(r.arena, l.timeMin%60, 2)
	r.buf(sPleegtijd, lo)
	k := &incidentKlassen[pickWeighted(&h, incidentWeights)]
	switch u := h.intn(10); {
	case u < 7:
		r.str(sIncidentcode, k.code)
		g.freeText(r, sIncidentomschrijving, k.omschrijving[h.intn(len(k.omschrijving))], 'i')
	case u < 9 || len(k.omschrijving) == 0:
		r.str(sIncidentcode, k.code)
	default:
		g.freeText(r, sIncidentomschrijving, k.omschrijving[h.intn(len(k.omschrijving))], 'i')
	}
	g.writeLocation(r, o, &l)
}

// caseRow writes person p of case c for verdachten, slachtoffers or OM.
func (g *gen) caseRow(r *row, o *output, c *policeCase, p int) {
	h := newStream(g.seed, saltRow, uint64(c.seq)<<8|uint64(p&0xff)^uint64(o.sp.kind)<<60)
	g.person(p, &g.p)
	g.writePerson(r, o, &g.p, &h)
	r.date(sPleegdatum, c.date)
	f := &feiten[c.feit]
	switch o.sp.kind {
	case kVerdachten:
		r.bytes(sRegistratienummer, c.regnr[:c.regnrLen])
		if o.has[sFeitomschrijving] {
			r.str(sFeitcode, f.code)
			g.freeText(r, sFeitomschrijving, f.omschrijving, 'f')
		} else {
			r.str(sFeitcode, f.code+" "+f.omschrijving)
		}
		g.writeLocation(r, o, &c.loc)
	case kSlachtoffers:
		r.bytes(sRegistratienummer, c.regnr[:c.regnrLen])
		if o.has[sWoonStraat] {
			g.homeStreet(r, &g.p)
		}
	case kOM:
		r.bytes(sParketnummer, c.parket[:c.parketLen])
		if c.hasPolitie {
			r.bytes(sRegistratienummer, c.regnr[:c.regnrLen])
		}
		r.str(sFeitcode, f.omschrijving)
		r.str(sWetsartikel, f.artikel)
		g.freeText(r, sAfdoening, afdoeningen[c.afdoening], 'a')
	}
}

// personRow writes record i of halt, leerplicht or jgz.
func (g *gen) personRow(r *row, o *output, i int) {
	h := newStream(g.seed, saltRow, uint64(i)|uint64(o.sp.kind)<<56)
	var p int
	switch o.sp.kind {
	case kHalt:
		p = g.drawPerson(&h, 0.97, 0)
	case kLeerplicht:
		p = g.drawPerson(&h, 0.4, 0.6)
	default: // jgz
		p = g.drawPerson(&h, 0.2, 0.8)
	}
	g.person(p, &g.p)
	// Transform quarantines an age outside the source's range (Halt 12-17,
	// JGZ 0-17, leerplicht 5-22), so draw someone who has such an age in
	// the period, on a day when they have it.
	lo, hi, ok := g.ageWindow(o.sp.kind, g.p.birth)
	for try := 0; !ok && try < 8; try++ {
		g.person(g.drawPerson(&h, 0.5, 0.5), &g.p)
		lo, hi, ok = g.ageWindow(o.sp.kind, g.p.birth)
	}
	g.writePerson(r, o, &g.p, &h)
	d := g.start + int32(h.intn(int(g.today-g.start)))
	if d <= g.p.birth { // the event follows birth; BirthAfter is planted on purpose only
		d = g.p.birth + 1 + int32(h.intn(int(g.today-g.p.birth)))
	}
	if ok && (d < lo || d > hi) {
		d = lo + int32(h.intn(int(hi-lo)+1))
	}
	r.date(o.datum, d)
	switch o.sp.kind {
	case kHalt:
		r.str(sDelict, haltDelicten[pickWeighted(&h, haltWeights)])
		r.str(sVerwijzer, verwijzers[h.intn(len(verwijzers))])
		g.freeText(r, sAfloop, haltAfloop[h.intn(len(haltAfloop))], 'h')
	case kLeerplicht:
		lo := len(r.arena)
		if g.canary {
			r.arena = appendToken(r.arena, 'd', g.p.id)
			r.arena = append(r.arena, " College"...)
		} else {
			r.arena = append(r.arena, scholen[g.p.school]...)
		}
		r.buf(sSchool, lo)
		lo = len(r.arena)
		if g.canary {
			r.arena = appendToken(r.arena, 'e', g.p.id)
		} else {
			r.arena = appendInt(r.arena, 10+g.p.school*7%89, 2)
			r.arena = append(r.arena, 'A'+byte(g.p.school%26), 'B'+byte(g.p.school*3%25))
		}
		r.buf(sBrin, lo)
		v := pickWeighted(&h, verzuimWeights)
		r.str(sVerzuimsoort, verzuimSpelling[o.row.style.verzuim][v])
		g.freeText(r, sAfhandeling, afhandelingen[h.intn(len(afhandelingen))], 'l')
	case kJGZ:
		r.str(sSignaaltype, signaaltypen[h.intn(len(signaaltypen))])
	}
}

// ageWindow returns the days from g.start to g.today on which someone born
// on birth has an age the source kind serves (see the leeftijd of its
// schema); ok is false when there is none or the kind has no range.
func (g *gen) ageWindow(kind uint8, birth int32) (lo, hi int32, ok bool) {
	var minAge, maxAge int
	switch kind {
	case kHalt:
		minAge, maxAge = 12, 17
	case kJGZ:
		minAge, maxAge = 0, 17
	case kLeerplicht:
		minAge, maxAge = 5, 22
	default:
		return 0, 0, false
	}
	y, m, d := civil(birth)
	if m == 2 && d == 29 {
		m, d = 3, 1 // a leap-day birthday is reached on 1 March
	}
	lo = max(g.start, daysFromCivil(y+minAge, m, d), birth+1)
	hi = min(g.today-1, daysFromCivil(y+maxAge+1, m, d)-1)
	return lo, hi, lo <= hi
}

// writePerson fills the identity and home cells.
func (g *gen) writePerson(r *row, o *output, pp *person, h *stream) {
	bsnMissing := h.intn(40) == 0 && o.sp.kind != kJGZ && o.sp.kind != kLeerplicht
	if !bsnMissing {
		lo := len(r.arena)
		r.arena = append(r.arena, pp.bsn[:]...)
		if g.messy && pp.badBSNSalt%60 == 0 {
			// A typing error: the check digit no longer fits.
			r.arena[len(r.arena)-1] = '0' + (r.arena[len(r.arena)-1]-'0'+1+byte(pp.badBSNSalt>>8%8))%10
			r.invalidBSN = true
		}
		r.buf(sBSN, lo)
	}
	if g.canary {
		lo := len(r.arena)
		r.arena = appendToken(r.arena, 'a', pp.id)
		r.buf(sAchternaam, lo)
		lo = len(r.arena)
		r.arena = appendToken(r.arena, 'b', pp.id)
		r.buf(sVoornamen, lo)
	} else {
		r.str(sAchternaam, pp.last)
		r.str(sVoornamen, pp.first)
	}
	r.date(sGeboortedatum, pp.birth)
	r.str(sGeslacht, geslachtSpelling[r.style.geslacht][pp.sex])
	g.postcode(r, o, sWoonPostcode, &pp.pc)
	if pp.toev != "" && !o.has[sWoonToevoeging] {
		lo := len(r.arena)
		r.arena = appendInt(r.arena, int(pp.hn), 0)
		r.arena = append(r.arena, pp.toev...)
		r.buf(sWoonHuisnummer, lo)
	} else {
		r.int(sWoonHuisnummer, int64(pp.hn))
		r.str(sWoonToevoeging, pp.toev)
	}
	b := &g.buurten[pp.buurt]
	r.str(sWoonPlaats, b.gmNaam)
	g.gemeente(r, sWoonGemeente, b)
	if len(g.adressen) == 0 {
		r.str(sWoonBuurtcode, b.code)
	}
}

func (g *gen) homeStreet(r *row, pp *person) {
	lo := len(r.arena)
	if g.canary {
		r.arena = appendToken(r.arena, 'g', pp.id)
		r.arena = append(r.arena, "straat"...)
	} else {
		r.arena = append(r.arena, straten[pp.id%len(straten)]...)
	}
	r.buf(sWoonStraat, lo)
}

func (g *gen) street(r *row, s slot, i int) {
	if !g.canary {
		r.str(s, straten[i])
		return
	}
	lo := len(r.arena)
	r.arena = appendToken(r.arena, 'c', g.tokenN[0])
	g.tokenN[0]++
	r.arena = append(r.arena, "weg"...)
	r.buf(s, lo)
}

// freeText writes a supplier's free text; in Canary mode it carries a
// unique kenmerk, as real free text often names people and places.
func (g *gen) freeText(r *row, s slot, text string, k byte) {
	if !g.canary {
		r.str(s, text)
		return
	}
	lo := len(r.arena)
	r.arena = append(r.arena, text...)
	r.arena = append(r.arena, " (kenmerk "...)
	r.arena = appendToken(r.arena, k, g.tokenN[1])
	g.tokenN[1]++
	r.arena = append(r.arena, ')')
	r.buf(s, lo)
}

// postcode writes pc, in Messy mode sometimes as "1234 ab" or "1234_AB";
// canaries stay canonical so that the recorded value is the written one.
func (g *gen) postcode(r *row, o *output, s slot, pc *[6]byte) {
	lo := len(r.arena)
	r.arena = append(r.arena, pc[:4]...)
	if g.messy && !g.canary {
		switch o.rng.intn(25) {
		case 0:
			r.arena = append(r.arena, ' ', pc[4]|0x20, pc[5]|0x20)
			r.buf(s, lo)
			return
		case 1:
			r.arena = append(r.arena, '_', pc[4], pc[5])
			r.buf(s, lo)
			return
		case 2:
			r.arena = append(r.arena, ' ', pc[4], pc[5])
			r.buf(s, lo)
			return
		}
	}
	r.arena = append(r.arena, pc[4:]...)
	r.buf(s, lo)
}

func (g *gen) gemeente(r *row, s slot, b *buurtInfo) {
	switch r.style.gemeente {
	case 0:
		r.str(s, b.gmNaam)
	case 1:
		r.str(s, b.gmCode)
	default:
		lo := len(r.arena)
		for i := 0; i < len(b.gmNaam); i++ {
			c := b.gmNaam[i]
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			r.arena = append(r.arena, c)
		}
		r.buf(s, lo)
	}
}

// appendToken writes a canary token: 'Q', the kind letter and seven
// letters from n, fixed width so that no token contains another.
func appendToken(b []byte, kind byte, n int) []byte {
	b = append(b, 'Q', kind)
	var t [7]byte
	for i := 6; i >= 0; i-- {
		t[i] = 'a' + byte(n%26)
		n /= 26
	}
	return append(b, t[:]...)
}

// ---- rows and cells ----

type cellKind uint8

const (
	cEmpty cellKind = iota
	cStr            // s
	cBuf            // arena[lo:hi]
	cInt            // n
	cDate           // d, days since 1970-01-01; df overrides the file's format
	cDec            // n / 10^prec
)

type dateFmt uint8

const (
	dfFile   dateFmt = iota // the file's format
	dfDMY                   // dd-mm-jjjj
	dfISO                   // jjjj-mm-dd
	dfSlash                 // dd/mm/jjjj
	dfShort                 // d-m-jjjj
	dfSerial                // Excel serial (XLSX only)
)

type cell struct {
	kind   cellKind
	df     dateFmt
	prec   uint8
	d      int32
	lo, hi int32
	n      int64
	s      string
}

type fileStyle struct {
	gemeente, geslacht, verzuim uint8
}

type row struct {
	c          [nSlots]cell
	arena      []byte
	extra      bool
	invalidBSN bool
	style      fileStyle
}

func (r *row) reset() {
	r.c = [nSlots]cell{}
	r.arena = r.arena[:0]
	r.extra = false
	r.invalidBSN = false
}

func (r *row) str(s slot, v string) {
	if v == "" {
		r.c[s] = cell{}
		return
	}
	r.c[s] = cell{kind: cStr, s: v}
}
func (r *row) buf(s slot, lo int) { r.c[s] = cell{kind: cBuf, lo: int32(lo), hi: int32(len(r.arena))} }
func (r *row) bytes(s slot, b []byte) {
	lo := len(r.arena)
	r.arena = append(r.arena, b...)
	r.buf(s, lo)
}
func (r *row) int(s slot, n int64)          { r.c[s] = cell{kind: cInt, n: n} }
func (r *row) date(s slot, d int32)         { r.c[s] = cell{kind: cDate, d: d} }
func (r *row) dec(s slot, n int64, p uint8) { r.c[s] = cell{kind: cDec, n: n, prec: p} }

// text renders a non-date cell.
func (r *row) text(b []byte, c *cell, decComma bool) []byte {
	switch c.kind {
	case cStr:
		return append(b, c.s...)
	case cBuf:
		return append(b, r.arena[c.lo:c.hi]...)
	case cInt:
		return appendInt(b, int(c.n), 0)
	case cDec:
		return appendFixed(b, c.n, c.prec, decComma)
	}
	return b
}

type rowWriter interface {
	writeRow(r *row) error
	close() error
}

// ---- CSV ----

type csvOpts struct {
	delim  byte
	bom    bool
	cp1252 bool
	crlf   bool
	decDot bool
	df     dateFmt
}

type csvWriter struct {
	g    *gen
	o    *output
	opts csvOpts
	f    *os.File
	enc  io.WriteCloser // Windows-1252 encoder, or nil
	w    *bufio.Writer
	line []byte
	scr  []byte
	rng  stream
}

func newCSVWriter(path string, g *gen, o *output, headers []string, opts csvOpts) (*csvWriter, error) {
	f, err := createExport(path)
	if err != nil {
		return nil, err
	}
	c := &csvWriter{g: g, o: o, opts: opts, f: f, rng: newStream(g.seed, saltFile, uint64(o.sp.kind)<<8|uint64(o.cur)+100)}
	var dst io.Writer = f
	if opts.cp1252 {
		c.enc = xtransform.NewWriter(f, charmap.Windows1252.NewEncoder())
		dst = c.enc
	}
	c.w = bufio.NewWriterSize(dst, 256<<10)
	if opts.bom && !opts.cp1252 {
		c.w.WriteString("\ufeff")
	}
	for i, h := range headers {
		if i > 0 {
			c.line = append(c.line, opts.delim)
		}
		c.line = c.field(c.line, []byte(h))
	}
	c.endLine()
	_, err = c.w.Write(c.line)
	return c, err
}

func (c *csvWriter) endLine() {
	if c.opts.crlf {
		c.line = append(c.line, '\r')
	}
	c.line = append(c.line, '\n')
}

// field appends v, quoted when it holds the delimiter, a quote or a line break.
func (c *csvWriter) field(b, v []byte) []byte {
	quote := false
	for _, ch := range v {
		if ch == c.opts.delim || ch == '"' || ch == '\n' || ch == '\r' {
			quote = true
			break
		}
	}
	if !quote {
		return append(b, v...)
	}
	b = append(b, '"')
	for _, ch := range v {
		if ch == '"' {
			b = append(b, '"')
		}
		b = append(b, ch)
	}
	return append(b, '"')
}

func (c *csvWriter) writeRow(r *row) error {
	c.line = c.line[:0]
	for i, s := range c.o.cols {
		if i > 0 {
			c.line = append(c.line, c.opts.delim)
		}
		cl := &r.c[s]
		c.scr = c.scr[:0]
		if cl.kind == cDate {
			df := cl.df
			if df == dfFile {
				df = c.opts.df
				if c.g.messy && c.rng.intn(20) == 0 {
					df = []dateFmt{dfShort, dfISO, dfDMY, dfSlash}[c.rng.intn(4)]
				}
			}
			c.scr = appendDate(c.scr, cl.d, df)
		} else {
			c.scr = r.text(c.scr, cl, !c.opts.decDot)
		}
		if c.g.canary && canarySlots[s] && len(c.scr) > 0 {
			c.g.record(c.scr)
		}
		c.line = c.field(c.line, c.scr)
	}
	if r.extra {
		c.line = append(c.line, c.opts.delim)
		c.line = append(c.line, "zie opmerking"...)
	}
	c.endLine()
	_, err := c.w.Write(c.line)
	return err
}

func (c *csvWriter) close() error {
	err := c.w.Flush()
	if c.enc != nil {
		if cerr := c.enc.Close(); err == nil {
			err = cerr
		}
	}
	if cerr := c.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// ---- XLSX ----

type xlsxWriter struct {
	g         *gen
	o         *output
	path      string
	f         *excelize.File
	sw        *excelize.StreamWriter
	next      int // next sheet row
	dateStyle int
	vals      []any
	scr       []byte
	rng       stream
}

func newXLSXWriter(path string, g *gen, o *output, headers []string, titles int) (*xlsxWriter, error) {
	f := excelize.NewFile()
	sheet := "Export"
	if o.sp.kind == kHalt {
		sheet = "Verwijzingen"
	}
	x := &xlsxWriter{g: g, o: o, path: path, f: f, next: 1, rng: newStream(g.seed, saltFile, uint64(o.sp.kind)<<8|uint64(o.cur)+200)}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		f.Close()
		return nil, err
	}
	numFmt := "dd-mm-yyyy"
	var err error
	if x.dateStyle, err = f.NewStyle(&excelize.Style{CustomNumFmt: &numFmt}); err != nil {
		f.Close()
		return nil, err
	}
	if x.sw, err = f.NewStreamWriter(sheet); err != nil {
		f.Close()
		return nil, err
	}
	if titles > 0 {
		rows := [][]any{{"Halt Nederland - verwijzingen regio Twente"}, {"Peildatum " + g.todayText}}
		for _, t := range rows[:titles] {
			if err := x.setRow(t); err != nil {
				f.Close()
				return nil, err
			}
		}
	}
	hv := make([]any, len(headers))
	for i, h := range headers {
		hv[i] = h
	}
	if err := x.setRow(hv); err != nil {
		f.Close()
		return nil, err
	}
	return x, nil
}

func (x *xlsxWriter) setRow(v []any) error {
	name, err := excelize.CoordinatesToCellName(1, x.next)
	if err != nil {
		return err
	}
	x.next++
	return x.sw.SetRow(name, v)
}

func (x *xlsxWriter) writeRow(r *row) error {
	x.vals = x.vals[:0]
	for _, s := range x.o.cols {
		cl := &r.c[s]
		var v any
		switch cl.kind {
		case cEmpty:
		case cDate:
			df := cl.df
			if df == dfFile && x.g.messy && x.rng.intn(25) == 0 {
				df = dfShort // typed in as text
			}
			if df == dfFile || df == dfSerial {
				v = excelize.Cell{StyleID: x.dateStyle, Value: float64(cl.d) + excelEpochOffset}
			} else {
				v = string(appendDate(nil, cl.d, df))
			}
		case cInt:
			v = cl.n
		case cDec:
			v = float64(cl.n) / math.Pow10(int(cl.prec))
		default:
			x.scr = r.text(x.scr[:0], cl, false)
			if x.g.canary && canarySlots[s] {
				x.g.record(x.scr)
			}
			v = string(x.scr)
		}
		x.vals = append(x.vals, v)
	}
	return x.setRow(x.vals)
}

// excelEpochOffset is the Excel serial of 1970-01-01.
const excelEpochOffset = 25569

func (x *xlsxWriter) close() error {
	err := x.sw.Flush()
	if err == nil {
		err = x.save()
	}
	if cerr := x.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// save writes the workbook owner-only; excelize's SaveAs would create it
// world-readable.
func (x *xlsxWriter) save() error {
	f, err := createExport(x.path)
	if err != nil {
		return err
	}
	if _, err := x.f.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// createExport creates an inbox file owner-only: exports hold personal
// data (fictional here, but handled like the real thing).
func createExport(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
}

// ---- small helpers ----

// stream is a splitmix64 generator; seeding one per entity keeps every
// record independent of the others and of the order they are written in.
type stream uint64

func newStream(seed, salt, i uint64) stream {
	return stream(mix64(seed ^ mix64(salt<<56^i)))
}

func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func (h *stream) next() uint64 {
	*h += 0x9e3779b97f4a7c15
	x := uint64(*h)
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// intn returns a number in [0, n); n must be positive.
func (h *stream) intn(n int) int { return int((h.next() >> 32) * uint64(n) >> 32) }

func (h *stream) float() float64 { return float64(h.next()>>11) / (1 << 53) }

func pickWeighted(h *stream, w []int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	u := h.intn(total)
	for i, x := range w {
		if u < x {
			return i
		}
		u -= x
	}
	return len(w) - 1
}

// appendInt appends n (not negative) zero-padded to width digits.
func appendInt(b []byte, n, width int) []byte {
	var t [20]byte
	i := len(t)
	for {
		i--
		t[i] = '0' + byte(n%10)
		n /= 10
		width--
		if n == 0 && width <= 0 {
			break
		}
	}
	return append(b, t[i:]...)
}

func appendFixed(b []byte, n int64, prec uint8, comma bool) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	p := int64(math.Pow10(int(prec)))
	b = appendInt(b, int(n/p), 0)
	if prec == 0 {
		return b
	}
	if comma {
		b = append(b, ',')
	} else {
		b = append(b, '.')
	}
	return appendInt(b, int(n%p), int(prec))
}

func appendDate(b []byte, d int32, f dateFmt) []byte {
	y, m, dd := civil(d)
	switch f {
	case dfISO:
		b = appendInt(b, y, 4)
		b = append(b, '-')
		b = appendInt(b, m, 2)
		b = append(b, '-')
		return appendInt(b, dd, 2)
	case dfSlash:
		b = appendInt(b, dd, 2)
		b = append(b, '/')
		b = appendInt(b, m, 2)
		b = append(b, '/')
		return appendInt(b, y, 4)
	case dfShort:
		b = appendInt(b, dd, 0)
		b = append(b, '-')
		b = appendInt(b, m, 0)
		b = append(b, '-')
		return appendInt(b, y, 4)
	}
	b = appendInt(b, dd, 2)
	b = append(b, '-')
	b = appendInt(b, m, 2)
	b = append(b, '-')
	return appendInt(b, y, 4)
}

// civil and daysFromCivil convert between days since 1970-01-01 and the
// proleptic Gregorian calendar (H. Hinnant's algorithms), cheaper per row
// than time.Time.
func civil(z32 int32) (y, m, d int) {
	z := int(z32) + 719468
	era := z / 146097
	if z < 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

func daysFromCivil(y, m, d int) int32 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int32(era*146097 + doe - 719468)
}

// ---- word lists ----

var (
	voornamenM = []string{"Daan", "Sem", "Lucas", "Milan", "Levi", "Luuk", "Bram", "Finn", "Noah", "Jesse",
		"Thijs", "Stijn", "Ruben", "Mohamed", "Ömer", "José", "André", "Joël", "Tygo", "Gijs"}
	voornamenV = []string{"Emma", "Julia", "Mila", "Tess", "Sophie", "Zoë", "Chloë", "Noëlle", "Anaïs", "Fenna",
		"Sara", "Lotte", "Eva", "Yasmina", "Renée", "Inès", "Nora", "Fleur", "Liv", "Isa"}
	voornamenX  = []string{"Robin", "Sam", "Kim", "Alex", "Noa", "Charlie"}
	achternamen = []string{"de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser", "Smit",
		"Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "Dekker", "Brouwer",
		"Nijhuis", "Oude Nijhuis", "Kleinsman", "Wolters", "ter Horst", "Lammerink", "Pothof", "Bruggink",
		"Haverkamp", "Schuurman", "Ten Dam", "Özdemir", "Müller", "Sánchez", "Çelik", "Öztürk", "Gonçalves",
		"Lefèvre", "Kraaijenbrink", "Roelofs", "Hofstede", "Olde Hengel"}
	toevoegingen = []string{"A", "B", "C", "-1", "-2", "bis", "a"}
	straten      = []string{"Dorpsstraat", "Kerkstraat", "Molenstraat", "Stationsstraat", "Schoolstraat",
		"Marktstraat", "Grotestraat", "Oldenzaalsestraat", "Enschedesestraat", "Deldenerstraat",
		"Hengelosestraat", "Parallelweg", "Kanaalweg", "Tuinstraat", "Beatrixstraat", "Julianastraat",
		"Wilhelminastraat", "Prins Bernhardstraat", "Nieuwstraat", "Haaksbergerstraat", "Essenlaan",
		"Eschweg", "Veldkampweg", "De Höfte", "Boekelosestraat"}
	scholen = []string{"OBS De Regenboog", "CBS Het Kompas", "De Zonnebloem", "Het Anker", "KBS De Wegwijzer",
		"College Noordoost", "Twentse Scholengemeenschap", "Lyceum aan de Es", "Vakcollege Twente",
		"ROC Oost", "Praktijkschool De Brug", "Montessorischool Het Palet", "OBS Het Veldhuis",
		"Christelijk College Zuid", "Openbare Scholengemeenschap Oost"}
)

type feit struct {
	code, omschrijving string
	artikel            string // as the OM writes it
	victim             bool   // the offence has a person as victim
}

var feiten = []feit{
	{"300 Sr", "Mishandeling", "art. 300 lid 1 Sr", true},
	{"310 Sr", "Diefstal", "art. 310 Sr", true},
	{"311 Sr", "Diefstal met braak", "art. 311 lid 1 sub 5 Sr", true},
	{"312 Sr", "Straatroof", "art. 312 lid 1 Sr", true},
	{"350 Sr", "Vernieling", "art. 350 Sr", false},
	{"285 Sr", "Bedreiging", "art. 285 lid 1 Sr", true},
	{"141 Sr", "Openlijke geweldpleging", "art. 141 lid 1 Sr", true},
	{"Opiumwet 3", "Bezit softdrugs", "art. 3 Opiumwet", false},
	{"Opiumwet 2", "Handel harddrugs", "art. 2 Opiumwet", false},
	{"WVW 8", "Rijden onder invloed", "art. 8 WVW 1994", false},
	{"WVW 7", "Doorrijden na ongeval", "art. 7 WVW 1994", true},
	{"416 Sr", "Heling", "art. 416 Sr", false},
	{"424 Sr", "Baldadigheid", "art. 424 Sr", false},
	{"461 Sr", "Verboden toegang", "art. 461 Sr", false},
}

var feitWeights = []int{14, 16, 6, 4, 14, 8, 5, 8, 3, 5, 2, 4, 6, 5}

var afdoeningen = []string{"Transactie", "Strafbeschikking", "Dagvaarding", "Voorwaardelijk sepot",
	"Onvoorwaardelijk sepot", "Taakstraf", "Verwezen naar Halt", "Voeging ad informandum"}

type incidentKlasse struct {
	code         string
	omschrijving []string
}

var incidentKlassen = []incidentKlasse{
	{"E35", []string{"Melding overlast jeugd", "Overlast jeugd", "Jeugdoverlast", "Overlast door jeugd"}},
	{"E33", []string{"Overlast verward/overspannen persoon", "Verward/overspannen persoon"}},
	{"E37", []string{"Geluidsoverlast"}},
	{"E30", []string{"Burengerucht (relatieproblemen)"}},
	{"E34", []string{"Overlast i.v.m. alcohol/drugs"}},
	{"E38", []string{"Overlast zwervers"}},
	{"F10", []string{"Diefstal/inbraak woning"}},
	{"F32", []string{"Diefstal van brom-, snor-, fietsen"}},
	{"F41", []string{"Winkeldiefstal"}},
	{"F50", []string{"Mishandeling"}},
	{"F53", []string{"Bedreiging"}},
	{"F71", []string{"Vernieling cq. zaakbeschadiging"}},
	{"F72", []string{"Baldadigheid", "Vuurwerkoverlast"}},
	{"A20", []string{"Verkeersongeval met letsel"}},
}

var incidentWeights = []int{22, 8, 10, 6, 5, 2, 6, 8, 6, 5, 4, 10, 4, 4}

var (
	haltDelicten = []string{"Winkeldiefstal", "Vernieling", "Vuurwerk", "Spijbelen", "Baldadigheid",
		"Openlijke geweldpleging", "Diefstal", "Graffiti", "Heling", "Belediging", "Brandstichting", "Schoolverzuim"}
	haltWeights = []int{22, 16, 12, 10, 9, 5, 8, 5, 3, 4, 2, 4}
	verwijzers  = []string{"Politie", "Boa", "Leerplicht", "OM", "Politie Oost-Nederland"}
	haltAfloop  = []string{"Positief afgerond", "Negatief afgerond", "Lopend", "Terug naar verwijzer"}
)

var (
	verzuimSpelling = [][4]string{
		{"absoluut", "relatief", "luxe", "signaal"},
		{"Absoluut verzuim", "Relatief verzuim", "Luxe verzuim", "Signaalverzuim"},
		{"ABS", "REL", "luxeverzuim", "zorgwekkend verzuim"},
	}
	verzuimWeights = []int{8, 60, 12, 20}
	afhandelingen  = []string{"Gesprek met ouders", "Waarschuwing", "Proces-verbaal", "Doorverwezen naar Halt",
		"Zorgmelding", "Geen actie nodig", "Verzuim gestopt"}
	signaaltypen = []string{"Opvoedingsproblemen", "Psychosociale problemen", "Vermoeden verwaarlozing",
		"Huiselijk geweld", "Overgewicht", "Ontwikkelingsachterstand", "Schoolverzuim", "Middelengebruik"}
	// geslachtSpelling per supplier: m, v, x, unknown.
	geslachtSpelling = [][4]string{
		{"M", "V", "X", "O"},
		{"man", "vrouw", "anders", "onbekend"},
		{"1", "2", "3", "0"},
		{"m", "v", "x", ""},
	}
)
