package demo

import ()

// generate runs the source's loop.
func (g *gen) generate(o *output) error {
	switch o.sp.kind {
	case kIncidenten:
		n := g.target(o.sp)
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
		n := g.target(o.sp)
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
		syntheticPostcode(&pp.pc, 7400+int(pp.buurt)*7%300, h.Uint64())
		pp.hn = int32(1 + h.intn(180))
	}
	pp.toev = ""
	if h.intn(12) == 0 {
		pp.toev = toevoegingen[h.intn(len(toevoegingen))]
	}
	pp.school = h.intn(len(scholen))
	pp.badBSNSalt = h.Uint64()
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

// orgVictim encodes organisation i (len(organisaties): the gemeente) as
// a victim of a policeCase; persons are 0 and up.
func orgVictim(i int) int { return -1 - i }

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
	if f := &feiten[c.feit]; f.victim {
		c.nVictims = 1 + b2i(h.intn(4) == 0)
		for k := range c.nVictims {
			c.victims[k] = g.drawPerson(&h, 0.35, 0.15)
			if h.float() < f.org {
				c.victims[k] = orgVictim(h.intn(len(organisaties) + 1))
			}
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
