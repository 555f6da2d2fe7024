package demo

import (
	"math"

	"github.com/ivz-twente/jeugd/transform/geocode"
)

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

// Ways a pleeglocatie is given, in loc method order: police exports
// mostly carry an address or RD coordinates; some only a gemeente.
// Without a postcode table (../shared/data) the address rows become RD
// coordinates and buurt codes, so the demo publishes on the real buurten.
var (
	locWeightsPC   = []int{40, 25, 5, 12, 12, 6}
	locWeightsNoPC = []int{0, 58, 0, 22, 12, 8}
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
	if p < 0 {
		g.orgRow(r, o, c, -1-p, &h)
		return
	}
	g.person(p, &g.p)
	woon := g.writePerson(r, o, &g.p, &h)
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
		if o.has[sWoonStraat] && (woon == locPCHN || woon == locBuurtcode) {
			g.homeStreet(r, &g.p)
		}
		if h.intn(20) > 0 {
			r.str(sSoortSlachtoffer, soortSpelling[r.style.soort][0])
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
	// Transform quarantines an age outside the source's range (Halt 12-17,
	// JGZ 0-17, leerplicht 5-22 with RMC at 18-22), so draw someone who has
	// such an age in the period, on a day when they have it.
	var vz *verzuimSoort
	minAge, maxAge, wA, wB := 0, 17, 0.2, 0.8 // jgz
	switch o.sp.kind {
	case kHalt:
		minAge, wA, wB = 12, 0.97, 0
	case kLeerplicht:
		vz = &verzuimSoorten[pickWeighted(&h, verzuimWeights)]
		minAge, wA, wB = 5, 0.4, 0.6
		if vz.rmc {
			minAge, maxAge, wA, wB = 18, 22, 0.95, 0
		}
	}
	g.person(g.drawPerson(&h, wA, wB), &g.p)
	lo, hi, ok := g.ageWindow(minAge, maxAge, g.p.birth)
	for try := 0; !ok && try < 8; try++ {
		g.person(g.drawPerson(&h, wA, wB), &g.p)
		lo, hi, ok = g.ageWindow(minAge, maxAge, g.p.birth)
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
		delict := haltDelicten[pickWeighted(&h, haltWeights)]
		if haltUnknown[delict] {
			o.st.UnknownCodes++
		}
		r.str(sDelict, delict)
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
		if vz.unknown {
			o.st.UnknownCodes++
		}
		r.str(sVerzuimsoort, vz.spelling[r.style.verzuim])
		g.freeText(r, sAfhandeling, afhandelingen[h.intn(len(afhandelingen))], 'l')
	case kJGZ:
		r.str(sSignaaltype, signaaltypen[h.intn(len(signaaltypen))])
	}
}

// orgRow writes organisation i (len(organisaties): the gemeente) as a
// victim of case c, without an address (transform does not locate an
// organisation: it counts in no person figure). A file without a soort_slachtoffer column, and one row
// in ten of a file with one, gives no person data at all, which transform
// recognises as an organisation too.
func (g *gen) orgRow(r *row, o *output, c *policeCase, i int, h *stream) {
	r.org = true
	o.st.Organisaties++
	r.bytes(sRegistratienummer, c.regnr[:c.regnrLen])
	r.date(sPleegdatum, c.date)
	if !o.has[sSoortSlachtoffer] || h.intn(10) == 0 {
		return
	}
	r.str(sSoortSlachtoffer, soortSpelling[r.style.soort][1])
	switch {
	case g.canary:
		lo := len(r.arena)
		r.arena = appendToken(r.arena, 'o', g.tokenN[2])
		g.tokenN[2]++
		r.buf(sAchternaam, lo)
	case i == len(organisaties):
		r.str(sAchternaam, "Gemeente "+g.buurten[c.loc.buurt].gmNaam)
	default:
		r.str(sAchternaam, organisaties[i])
	}
}

// ageWindow returns the days from g.start to g.today on which someone born
// on birth is minAge to maxAge years old; ok is false when there is none.
func (g *gen) ageWindow(minAge, maxAge int, birth int32) (lo, hi int32, ok bool) {
	y, m, d := civil(birth)
	if m == 2 && d == 29 {
		m, d = 3, 1 // a leap-day birthday is reached on 1 March
	}
	lo = max(g.start, daysFromCivil(y+minAge, m, d), birth+1)
	hi = min(g.today-1, daysFromCivil(y+maxAge+1, m, d)-1)
	return lo, hi, lo <= hi
}

// writePerson fills the identity and home cells, and returns how the home
// is given (a loc method).
func (g *gen) writePerson(r *row, o *output, pp *person, h *stream) uint8 {
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
	b := &g.buurten[pp.buurt]
	m := g.woonMethod(h, o, b)
	switch m {
	case locPCHN, locBuurtcode:
		g.postcode(r, o, sWoonPostcode, &pp.pc)
		g.houseNumber(r, o, pp)
		if m == locBuurtcode {
			if pp.id%2 == 0 {
				r.str(sWoonBuurtcode, b.code)
			} else {
				r.str(sWoonBuurtcode, b.code[2:]) // without the BU prefix
			}
		}
		if g.postcodeOnly {
			break
		}
		r.str(sWoonPlaats, b.gmNaam)
		g.gemeente(r, sWoonGemeente, b)
	case locPC6:
		g.postcode(r, o, sWoonPostcode, &pp.pc)
		r.str(sWoonPlaats, b.gmNaam)
		g.gemeente(r, sWoonGemeente, b)
	case locRD, locWGS84:
		x, y := g.homePoint(h, b)
		if m == locRD {
			r.dec(sWoonX, x, 2)
			r.dec(sWoonY, y, 2)
			break
		}
		lat, lon := geocode.RDToWGS84(float64(x)/100, float64(y)/100)
		r.dec(sWoonLat, int64(math.Round(lat*1e6)), 6)
		r.dec(sWoonLon, int64(math.Round(lon*1e6)), 6)
	case locGemeente:
		r.str(sWoonPlaats, b.gmNaam)
		g.gemeente(r, sWoonGemeente, b)
	}
	return m
}

// Ways a home is given, in loc method order (PCHN, RD, PC6, buurtcode,
// gemeente, WGS84). With a postcode table most homes come as postcode and
// house number, as police and municipal exports give them. The real CBS
// data of ../shared/data has no postcode table: there postcode and house
// number reach the gemeente only, and the buurt code that municipal
// systems deliver carries most homes, so the demo still publishes (about
// 70% of homes in a buurt, above the run's default minimum of 50% but below
// its warning level of 90%: the warning says what is missing).
var (
	woonWeightsPC   = []int{62, 10, 3, 12, 5, 8}
	woonWeightsNoPC = []int{22, 15, 3, 48, 4, 8}
)

// woonMethod draws how a home in buurt b is given, within the columns of
// the file.
func (g *gen) woonMethod(h *stream, o *output, b *buurtInfo) uint8 {
	w := woonWeightsNoPC
	if len(g.adressen) > 0 {
		w = woonWeightsPC
	}
	m := uint8(pickWeighted(h, w))
	if g.postcodeOnly {
		return locPCHN
	}
	// A file without the coordinate columns, or a buurt without a polygon,
	// gives the home the way the file gives most homes.
	fallback := locPCHN
	if len(g.adressen) == 0 {
		fallback = locBuurtcode
	}
	if m == locWGS84 && !o.has[sWoonLat] {
		m = locRD
	}
	if m == locRD && !o.has[sWoonX] || (m == locRD || m == locWGS84) && len(b.pts) == 0 {
		m = fallback
	}
	return m
}

// homePoint is a point in buurt b in RD centimetres; in Canary mode one
// of its own per row.
func (g *gen) homePoint(h *stream, b *buurtInfo) (x, y int64) {
	if g.canary {
		pt := interiorPoint(h, geocode.Buurt{Code: b.code, Geometry: b.geom})
		return pt[0], pt[1]
	}
	pt := b.pts[h.intn(len(b.pts))]
	return pt[0], pt[1]
}

// houseNumber writes the house number with its toevoeging, in a column of
// its own or attached.
func (g *gen) houseNumber(r *row, o *output, pp *person) {
	if pp.toev != "" && !o.has[sWoonToevoeging] {
		lo := len(r.arena)
		r.arena = appendInt(r.arena, int(pp.hn), 0)
		r.arena = append(r.arena, pp.toev...)
		r.buf(sWoonHuisnummer, lo)
		return
	}
	r.int(sWoonHuisnummer, int64(pp.hn))
	r.str(sWoonToevoeging, pp.toev)
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
