package demo

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/ivz-twente/jeugd/internal/quarantine"
	"github.com/ivz-twente/jeugd/schemas"
)

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
	o.st.Bad = map[quarantine.Kind]int{}
	for _, f := range o.src.Fields {
		if f.Required {
			o.req = append(o.req, slotOf(f.Name))
		}
	}
	o.datum = slotOf(o.src.Datum)
	o.plans = planFiles(g.target(sp), sp.xlsx, budget, sp.minF)
	if g.single != "" {
		o.plans = []filePlan{{quota: math.MaxInt}}
	}
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
	if g.messy && !r.org {
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
	if k == quarantine.KindFieldCount && o.plans[o.cur].xlsx {
		k = quarantine.KindMissing
	}
	switch k {
	case quarantine.KindMissing:
		s := o.req[o.rng.intn(len(o.req))]
		r.c[s] = cell{}
	case quarantine.KindBadDate:
		s := o.datum
		if r.c[sGeboortedatum].kind == cDate && o.rng.intn(2) == 0 {
			s = sGeboortedatum
		}
		r.str(s, badDates[o.rng.intn(len(badDates))])
	case quarantine.KindBirthAfter:
		d := r.c[o.datum].d
		r.date(sGeboortedatum, d+1+int32(o.rng.intn(400)))
	case quarantine.KindFieldCount:
		r.extra = true
	case quarantine.KindNoLocation:
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
		verzuim:  uint8(o.rng.intn(3)),
		soort:    uint8(o.rng.intn(len(soortSpelling) - 1)),
	}
	for i, s := range o.cols {
		if s == sSoortSlachtoffer && schemas.Normalize(headers[i]) == schemas.Normalize("rechtspersoon") {
			o.row.style.soort = soortJaNee // a column "Rechtspersoon" holds ja or nee
		}
	}
	base := strings.ReplaceAll(o.sp.name, "-", "_") + "_" + strings.ReplaceAll(string(appendDate(nil, g.today, dfISO)), "-", "")
	if o.sp.kind == kLeerplicht {
		// Leerplicht declares the months its export covers in the file
		// name, as a delivery per period would: jeugd run reads it.
		base += "_" + g.periodFrom + "_" + g.periodTo
	}
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
	if g.single != "" {
		st = csvOpts{delim: ';', cp1252: true, crlf: true, df: dfDMY}
	}
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

// target is the number of rows a source's loop writes: its share of Rows,
// or all of them for InboxOptions.Single.
func (g *gen) target(sp *sourceSpec) int {
	if g.single != "" {
		return g.rows
	}
	return int(sp.share * float64(g.rows))
}
