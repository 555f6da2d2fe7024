package transform

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/rs/zerolog"

	"github.com/ivz-twente/jeugd/internal/quarantine"
	"github.com/ivz-twente/jeugd/schemas"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

// Locator resolves a location to CBS codes. *geocode.Geocoder implements
// it; it must be safe for concurrent use.
type Locator interface {
	Locate(*geocode.Location) geocode.Result
}

// Options configure a Transformer.
type Options struct {
	Key           []byte                 // at least MinKeyLen bytes; see LoadKey
	Locator       Locator                // required
	Classificatie *schemas.Classificatie // required; its lists are compiled once
	Quarantine    quarantine.Rejecter    // receives rejected rows; nil discards them (they are still counted)
	Mem           memory.Allocator       // default memory.DefaultAllocator
	Log           zerolog.Logger         // default (the zero value) logs nothing
	// Workers transform the batches of one file in parallel in Events;
	// 0 or 1 means one goroutine.
	Workers int
	// Today is the run date: an event after it is quarantined as
	// quarantine.KindFutureDate. The zero value disables the check.
	Today time.Time
}

// ErrNoLocator and ErrNoClassificatie are configuration errors of New.
var (
	ErrNoLocator       = errors.New("transform: no Locator")
	ErrNoClassificatie = errors.New("transform: no Classificatie")
	ErrSchema          = errors.New("batch does not have the source's raw schema")
)

// Transformer maps raw batches of any source to EventSchema batches. It is
// safe for concurrent use; each FileStage is not.
type Transformer struct {
	opts        Options
	key         []byte
	classifiers map[string]*Classifier
	today       int32 // days since the epoch; -1<<31 when unchecked
	hasToday    bool

	mu              sync.Mutex
	stats           Stats
	unknownDistinct map[[2]string]int // distinct codes in stats.UnknownCodes per source and lijst
}

// New validates opts and compiles the classification lists, reporting every
// problem it finds.
func New(opts Options) (*Transformer, error) {
	var errs []error
	if len(opts.Key) < MinKeyLen {
		errs = append(errs, ErrShortKey)
	}
	if opts.Locator == nil {
		errs = append(errs, ErrNoLocator)
	}
	t := &Transformer{opts: opts, key: append([]byte(nil), opts.Key...), classifiers: map[string]*Classifier{}, stats: newStats(),
		unknownDistinct: map[[2]string]int{}}
	if opts.Classificatie == nil {
		errs = append(errs, ErrNoClassificatie)
	} else {
		for i := range opts.Classificatie.Lijsten {
			l := &opts.Classificatie.Lijsten[i]
			c, err := NewClassifier(l, opts.Classificatie.Categorieen)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			t.classifiers[l.Naam] = c
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if t.opts.Mem == nil {
		t.opts.Mem = memory.DefaultAllocator
	}
	if !opts.Today.IsZero() {
		y, m, d := opts.Today.Date()
		t.today = int32(arrow.Date32FromTime(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)))
		t.hasToday = true
	}
	return t, nil
}

// Stats returns a copy of the counts so far, over all stages.
func (t *Transformer) Stats() Stats {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.stats.clone()
}

// Canonical field names the stage reads.
const (
	fieldBSN               = "bsn"
	fieldAchternaam        = "achternaam"
	fieldVoornamen         = "voornamen"
	fieldGeboortedatum     = "geboortedatum"
	fieldGeslacht          = "geslacht"
	fieldRegistratienummer = "registratienummer"
	fieldParketnummer      = "parketnummer"
	// fieldSoortSlachtoffer tells a natural person from an organisation
	// among victims; its codes are soortPersoon and soortRechtspersoon.
	fieldSoortSlachtoffer = "soort_slachtoffer"
	soortPersoon          = "persoon"
	soortRechtspersoon    = "rechtspersoon"
	rolSlachtoffer        = "slachtoffer"
)

// classCacheMax bounds a stage's cache of classified values: codes repeat a
// lot, free-text descriptions may not.
const classCacheMax = 4096

// FileStage transforms the batches of one file. It holds per-goroutine state
// (the HMAC, buffers), so it is not safe for concurrent use; use one per
// goroutine.
type FileStage struct {
	t           *Transformer
	src         *schemas.Source
	file, sheet string
	name        string // src.Name()
	log         zerolog.Logger

	ps         *pseudonymiser
	classifier *Classifier // nil without a lijst
	velden     []string    // categorie fields, in order
	cache      map[string]valueClass
	vals       []valueClass // per categorie field, reused per row
	buf        []byte
	hexbuf     [PseudonymLen]byte
	loc        geocode.Location // reused: a pointer to a local would escape per row
	hasPersoon bool
	victims    bool // rol slachtoffer: organisations are recognised
	delict     bool // events are offences and carry a delictsoort
	hasPleeg   bool
	hasWoon    bool
	bs         batchStats
	total      batchStats // totals of this file, for its log line
	// unknownCodes counts this batch's unclassified rows by code;
	// fileUnknown the file's, for its warning.
	unknownCodes, fileUnknown map[string]int
}

// Stage returns the stage for one file of src; file and sheet are reported
// in quarantined rows.
func (t *Transformer) Stage(src *schemas.Source, file, sheet string) *FileStage {
	s := &FileStage{
		t: t, src: src, file: file, sheet: sheet, name: src.Name(),
		log:          t.opts.Log.With().Str("bron", src.Bron).Str("soort", src.Soort).Str("stage", "transform").Logger(),
		ps:           newPseudonymiser(t.key),
		cache:        map[string]valueClass{},
		unknownCodes: map[string]int{}, fileUnknown: map[string]int{},
		buf: make([]byte, 0, 256),
	}
	if c := src.Categorie; c != nil {
		s.classifier = t.classifiers[c.Lijst]
		s.velden = c.Velden
		s.vals = make([]valueClass, len(c.Velden))
	}
	s.hasPersoon = src.Has(fieldBSN) || src.Has(fieldAchternaam)
	s.delict = delictRol(src.Rol)
	s.victims = src.Rol == rolSlachtoffer
	for _, f := range src.Fields {
		if f.Role != schemas.RoleLocation {
			continue
		}
		s.hasPleeg = s.hasPleeg || strings.HasPrefix(f.Name, "pleeg_")
		s.hasWoon = s.hasWoon || strings.HasPrefix(f.Name, "woon_")
	}
	return s
}

// out holds the typed builders of EventSchema, in field order.
type out struct {
	rb                                  *array.RecordBuilder
	bron, soort                         *array.StringBuilder
	datum                               *array.Date32Builder
	pleegGM, pleegWK, pleegBU, pleegGeo *array.StringBuilder
	woonGM, woonWK, woonBU, woonGeo     *array.StringBuilder
	persoon, zaak                       *array.StringBuilder
	leeftijd                            *array.Int16Builder
	klasse, geslacht, categorie, rol    *array.StringBuilder
	delictsoort                         *array.StringBuilder
}

// eventWidths are typical value widths in bytes of EventSchema's string
// columns, by field index.
var eventWidths = [...]int{0: 10, 1: 12, 3: 6, 4: 8, 5: 10, 6: 19, 7: 6, 8: 8, 9: 10, 10: 19,
	11: PseudonymLen, 12: PseudonymLen, 14: 5, 15: 1, 16: 16, 17: 10, 18: 8}

func newOut(mem memory.Allocator, n int) *out {
	rb := array.NewRecordBuilder(mem, EventSchema)
	rb.Reserve(n)
	s := func(i int) *array.StringBuilder { return rb.Field(i).(*array.StringBuilder) }
	// Reserve the value bytes too, so that no column regrows within a batch
	// for the fixed-width pseudonyms and (nearly always) not for the codes.
	for i, w := range eventWidths {
		if w > 0 {
			s(i).ReserveData(n * w)
		}
	}
	return &out{
		rb: rb, bron: s(0), soort: s(1), datum: rb.Field(2).(*array.Date32Builder),
		pleegGM: s(3), pleegWK: s(4), pleegBU: s(5), pleegGeo: s(6),
		woonGM: s(7), woonWK: s(8), woonBU: s(9), woonGeo: s(10),
		persoon: s(11), zaak: s(12), leeftijd: rb.Field(13).(*array.Int16Builder),
		klasse: s(14), geslacht: s(15), categorie: s(16), rol: s(17), delictsoort: s(18),
	}
}

// Apply maps the raw rows of in to events. Rejected rows go to the
// Quarantine. It does not keep in; the caller releases in and the result.
// An error means the batch does not fit the source (a bug or a wrong
// source), not a bad row.
func (s *FileStage) Apply(ctx context.Context, in arrow.RecordBatch) (arrow.RecordBatch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c, err := s.bind(in)
	if err != nil {
		return nil, err
	}
	n := int(in.NumRows())
	o := newOut(s.t.opts.Mem, n)
	defer o.rb.Release()
	for i := 0; i < n; i++ {
		s.row(c, o, i)
	}
	rec := o.rb.NewRecordBatch()
	s.flush()
	return rec, nil
}

// reject quarantines row i, naming the column as the supplier delivered it
// where ingest recorded that header.
func (s *FileStage) reject(c *cols, i int, column string, k quarantine.Kind) {
	s.bs.quarantined[k]++
	if h, ok := c.headers[column]; ok {
		column = h
	}
	if q := s.t.opts.Quarantine; q != nil {
		q.Reject(&quarantine.RowError{File: s.file, Sheet: s.sheet, Row: int(c.rij.Value(i)), Column: column, Kind: k})
	}
}

func (s *FileStage) row(c *cols, o *out, i int) {
	if s.victims && s.organisatie(c, i) {
		s.bs.organisaties++
		return
	}
	if c.datum.IsNull(i) {
		s.reject(c, i, s.src.Datum, quarantine.KindMissing)
		return
	}
	datum := c.datum.Value(i)
	if s.t.hasToday && int32(datum) > s.t.today {
		s.reject(c, i, s.src.Datum, quarantine.KindFutureDate)
		return
	}
	age, geboren, hasGeboren, ok := s.age(c, i, datum)
	if !ok {
		return
	}
	if s.victims && !hasGeboren {
		// A natural person must have a birth date; an organisation was
		// recognised above.
		s.reject(c, i, fieldGeboortedatum, quarantine.KindMissing)
		return
	}
	var pleeg, woon geocode.Result
	if s.hasPleeg {
		pleeg = s.locate(&c.pleeg, i)
		s.bs.geocode[0][methodIndex(pleeg.Method)]++
	}
	if s.hasWoon {
		woon = s.locate(&c.woon, i)
		s.bs.geocode[1][methodIndex(woon.Method)]++
	}
	if (s.hasPleeg || s.hasWoon) && pleeg.Gemeentecode == "" && woon.Gemeentecode == "" {
		s.reject(c, i, "", quarantine.KindNoLocation)
		return
	}

	o.bron.Append(s.src.Bron)
	o.soort.Append(s.src.Soort)
	o.datum.Append(datum)
	appendResult(o.pleegGM, o.pleegWK, o.pleegBU, o.pleegGeo, &pleeg)
	appendResult(o.woonGM, o.woonWK, o.woonBU, o.woonGeo, &woon)
	s.appendPersoon(c, o, i, geboren, hasGeboren)
	s.appendZaak(c, o, i)
	if age >= 0 {
		o.leeftijd.Append(int16(age))
	} else {
		o.leeftijd.AppendNull()
	}
	o.klasse.Append(Leeftijdsklasse(age))
	o.geslacht.Append(geslacht(c.geslacht, i))
	categorie, soort := s.categorie(c, i)
	o.categorie.Append(categorie)
	o.rol.Append(s.src.Rol)
	switch {
	case !s.delict:
		o.delictsoort.Append("")
	case soort == "":
		o.delictsoort.Append(Onbekend)
	default:
		o.delictsoort.Append(soort)
	}
	s.bs.events++
}

// age checks the birth date of row i against its event date: the age (-1
// without a birth date), or ok false when the row was rejected.
func (s *FileStage) age(c *cols, i int, datum arrow.Date32) (age int, geboren arrow.Date32, has, ok bool) {
	if c.geboren == nil || !c.geboren.IsValid(i) {
		return -1, 0, false, true
	}
	geboren = c.geboren.Value(i)
	age = Age(geboren, datum)
	switch {
	case age < 0:
		s.reject(c, i, fieldGeboortedatum, quarantine.KindBirthAfter)
		return age, geboren, true, false
	case age > MaxLeeftijd:
		s.reject(c, i, fieldGeboortedatum, quarantine.KindTooOld)
		return age, geboren, true, false
	case s.src.Leeftijd != nil && !s.src.Leeftijd.Contains(age):
		// Halt 12-17, JGZ 0-17, leerplicht 5-22 (see the schemas): an
		// implausible age is a data error, never published.
		s.reject(c, i, fieldGeboortedatum, quarantine.KindAgeRange)
		return age, geboren, true, false
	}
	return age, geboren, true, true
}

// organisatie reports whether victim row i is an organisation (a
// rechtspersoon: a shop, company, school or gemeente), which becomes no
// event: an organisation counts in no person indicator, and the offence
// itself is counted through its suspects. It is one when soort_slachtoffer
// says so, or, when that says nothing, when the row has no person data at
// all (no BSN, name or birth date).
func (s *FileStage) organisatie(c *cols, i int) bool {
	switch value(c.soortSlachtoffer, i) {
	case soortRechtspersoon:
		return true
	case soortPersoon:
		return false
	}
	return value(c.bsn, i) == "" && value(c.achternaam, i) == "" && value(c.voornamen, i) == "" &&
		(c.geboren == nil || c.geboren.IsNull(i))
}

func appendResult(gm, wk, bu, geo *array.StringBuilder, r *geocode.Result) {
	gm.Append(r.Gemeentecode)
	wk.Append(r.Wijkcode)
	bu.Append(r.Buurtcode)
	geo.Append(string(r.Method))
}

// locate resolves the location in lc of row i; a row that gives nothing
// about a location the source declares is MethodOnbekend.
func (s *FileStage) locate(lc *locCols, i int) geocode.Result {
	l := &s.loc
	*l = geocode.Location{}
	if a := lc.buurtcode; a != nil && a.IsValid(i) {
		l.Buurtcode = a.Value(i)
	}
	if a := lc.postcode; a != nil && a.IsValid(i) {
		l.Postcode = a.Value(i)
	}
	if a := lc.huisnummer; a != nil && a.IsValid(i) {
		l.Huisnummer = a.Value(i)
	}
	if lc.x != nil && lc.y != nil && lc.x.IsValid(i) && lc.y.IsValid(i) {
		l.X, l.Y, l.HasRD = lc.x.Value(i), lc.y.Value(i), true
	}
	if lc.lat != nil && lc.lon != nil && lc.lat.IsValid(i) && lc.lon.IsValid(i) {
		l.Lat, l.Lon, l.HasWGS84 = lc.lat.Value(i), lc.lon.Value(i), true
	}
	if a := lc.gemeente; a != nil && a.IsValid(i) {
		l.Gemeente = a.Value(i)
	}
	if l.Empty() {
		return geocode.Result{Method: geocode.MethodOnbekend}
	}
	r := s.t.opts.Locator.Locate(l)
	*l = geocode.Location{} // hold no address between rows
	return r
}

func value(a *array.String, i int) string {
	if a == nil || a.IsNull(i) {
		return ""
	}
	return a.Value(i)
}

func (s *FileStage) appendPersoon(c *cols, o *out, i int, geboren arrow.Date32, hasGeboren bool) {
	if !s.hasPersoon {
		o.persoon.AppendNull()
		return
	}
	k, badBSN := s.ps.persoon(s.hexbuf[:], value(c.bsn, i), value(c.achternaam, i), value(c.voornamen, i), int32(geboren), hasGeboren)
	if badBSN {
		s.bs.invalidBSN++
	}
	if k == keyNone {
		s.bs.missingPersoon++
		o.persoon.AppendNull()
		return
	}
	o.persoon.BinaryBuilder.Append(s.hexbuf[:])
}

// appendZaak pseudonymises the case: the police registratienummer, which OM
// rows also carry when the case came from the police, else the parketnummer.
func (s *FileStage) appendZaak(c *cols, o *out, i int) {
	if v := value(c.registratie, i); v != "" && s.ps.zaak(s.hexbuf[:], prefixZaak, v) {
		o.zaak.BinaryBuilder.Append(s.hexbuf[:])
		return
	}
	if v := value(c.parket, i); v != "" && s.ps.zaak(s.hexbuf[:], prefixParket, v) {
		o.zaak.BinaryBuilder.Append(s.hexbuf[:])
		return
	}
	o.zaak.AppendNull()
}

func geslacht(a *array.String, i int) string {
	switch value(a, i) {
	case "m":
		return "m"
	case "v":
		return "v"
	case "x":
		return "x"
	}
	return Onbekend
}

// categorie classifies row i (see Classifier.ClassifyRow) and returns its
// categorie and delictsoort ("" when unknown).
func (s *FileStage) categorie(c *cols, i int) (string, string) {
	if s.classifier == nil {
		return "", ""
	}
	for k, a := range c.velden {
		v := value(a, i)
		if v == "" {
			s.vals[k] = noClass
			continue
		}
		vc, ok := s.cache[v]
		if !ok {
			vc, s.buf = s.classifier.classify(s.buf, v)
			if len(s.cache) < classCacheMax {
				s.cache[strings.Clone(v)] = vc // v points into the batch's buffer
			}
		}
		s.vals[k] = vc
	}
	regel, soort := s.classifier.decide(s.vals)
	if regel < 0 {
		s.bs.unknown++
		code := CodeLeeg
		for k := range s.vals {
			if s.vals[k].unknown != "" && s.vals[k].unknown != CodeLeeg {
				code = s.vals[k].unknown // the first non-empty value
				break
			}
		}
		s.unknownCodes[code]++
		return s.classifier.otherwise, soort
	}
	return s.classifier.categorieen[regel], soort
}

// flush adds the batch's counts to the Transformer's Stats.
func (s *FileStage) flush() {
	b := &s.bs
	t := s.t
	t.mu.Lock()
	st := &t.stats
	st.Events += b.events
	st.InvalidBSN += b.invalidBSN
	st.MissingPersoon += b.missingPersoon
	if b.organisaties > 0 {
		st.Organisaties[s.name] += b.organisaties
	}
	if b.unknown > 0 {
		st.Unknown[s.classifier.naam] += b.unknown
		for code, n := range s.unknownCodes {
			k := UnknownKey{s.name, s.classifier.naam, code}
			if _, seen := st.UnknownCodes[k]; !seen && t.unknownDistinct[[2]string{s.name, s.classifier.naam}] >= maxUnknownCodes {
				k.Code = CodeMeer
			} else if !seen {
				t.unknownDistinct[[2]string{s.name, s.classifier.naam}]++
			}
			st.UnknownCodes[k] += n
			if _, seen := s.fileUnknown[code]; seen || len(s.fileUnknown) < maxUnknownCodes {
				s.fileUnknown[code] += n
			}
		}
		clear(s.unknownCodes)
	}
	for k, v := range b.quarantined {
		if v > 0 {
			st.Quarantined[quarantine.Kind(k)] += v
		}
	}
	for l, byMethod := range b.geocode {
		for m, v := range byMethod {
			if v > 0 {
				loc := LocatiePleeg
				if l == 1 {
					loc = LocatieWoon
				}
				st.Geocode[GeocodeKey{s.name, loc, methods[m]}] += v
			}
		}
	}
	t.mu.Unlock()
	s.total.add(b)
	*b = batchStats{}
}
