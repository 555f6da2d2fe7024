// Package report writes one self-contained HTML report per municipality:
// per indicator the figure of the last full year, a trend chart, the
// buurten ranked and on a map, plus the run's data quality and how the
// figures are protected. The file makes no external request: CSS and SVG
// are inline and there is no script.
//
// The report shows published figures only. It receives protected cells
// and never reads the value of a suppressed one.
package report

import (
	"bufio"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ivz-twente/jeugd/aggregate"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

// Gemeente is the recipient of a report.
type Gemeente struct {
	Code, Naam string // GM0147, Borne
}

// Input is everything one report shows.
type Input struct {
	Gemeente Gemeente
	// Cells are the protected cells; those of other gemeenten and the regio
	// are ignored. A suppressed cell's Waarde is never read.
	Cells []aggregate.Cell
	// Buurten are the reference buurten; those of Gemeente are listed and
	// the ones with a polygon drawn on the map.
	Buurten   []geocode.Buurt
	Quality   Quality
	MinCount  int       // k of the protected indicators, for the texts; Quality.Onderdrukking has k per indicator
	Generated time.Time // the date printed as the report's date
	// Warnings about this gemeente's figures, shown at the top: buurt codes
	// of an older CBS indeling, for instance.
	Warnings []string
}

// Quality is the part of the run's manifest that the report shows. The
// pipeline fills it from its Manifest; this package cannot import the
// pipeline, which calls it.
type Quality struct {
	RunID, Software, ConfigHash string
	RunDate                     string // periods that ended before this day are published
	Regio                       string
	MaxQuarantineRate           float64
	Bronnen                     []Bron          // in display order
	Onderdrukking               []Onderdrukking // run-wide, per indicator
}

// Bron sums one source's files of the run.
type Bron struct {
	Naam                                            string
	Files, FailedFiles, Read, Accepted, Quarantined int
	Events                                          int
	QuarantineRate                                  float64
	MatchRate                                       map[string]float64 // pleeg|woon -> share resolved to a buurt
}

// Onderdrukking is the disclosure-control outcome of one indicator.
type Onderdrukking struct {
	Indicator       string
	K               int64 // its threshold; below 2 nothing is withheld
	Cells, Withheld int   // run-wide; which withheld cells are small is not published
}

var (
	errGemeente = errors.New("not a CBS gemeentecode (GMgggg)")
	gemeenteRE  = regexp.MustCompile(`^GM[0-9]{4}$`)
)

// Write renders the report of in.Gemeente to w.
func Write(w io.Writer, in Input) error {
	p, err := newPage(in)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	if err := page.Execute(bw, p); err != nil {
		return fmt.Errorf("report %s: %w", in.Gemeente.Code, err)
	}
	return bw.Flush()
}

// FileName is the name of a gemeente's report.
func FileName(gm string) string { return "report-" + gm + ".html" }

// WriteFile writes the report of in.Gemeente to dir/report-<code>.html,
// owner-only; the file appears complete or not at all.
func WriteFile(dir string, in Input) (err error) {
	gm := in.Gemeente.Code
	if !gemeenteRE.MatchString(gm) {
		return fmt.Errorf("report %q: %w", gm, errGemeente)
	}
	f, err := os.CreateTemp(dir, "."+FileName(gm)+".tmp-*")
	if err != nil {
		return fmt.Errorf("report %s: %w", gm, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := Write(f, in); err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil { // the publication is opened up as a whole
		return fmt.Errorf("report %s: %w", gm, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("report %s: %w", gm, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("report %s: %w", gm, err)
	}
	if err := os.Rename(f.Name(), filepath.Join(dir, FileName(gm))); err != nil {
		return fmt.Errorf("report %s: %w", gm, err)
	}
	return nil
}

//go:embed report.html.tmpl
var pageText string

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"add": func(a, b float64) float64 { return a + b },
	"sub": func(a, b float64) float64 { return a - b },
}).Parse(pageText))

// titels are the indicators' headings.
var titels = map[string]string{
	"jeugdoverlast":         "Jeugdoverlast",
	"minderjarige_daders":   "Minderjarige daders",
	"feiten_minderjarigen":  "Feiten met minderjarige verdachten",
	"slachtoffers":          "Slachtoffers van feiten door minderjarigen",
	"jeugdige_slachtoffers": "Jeugdige slachtoffers",
	"halt_verwijzingen":     "Halt-verwijzingen",
	"verzuimmeldingen":      "Verzuimmeldingen",
	"jgz_signalen":          "JGZ-signalen",
}

// pageData is what the template renders; every string in it is plain text
// that the template escapes.
type pageData struct {
	Gemeente    Gemeente
	Datum       string
	Jaar, Vorig string
	VorigNoot   string // why the comparison is weak, or ""
	Van, Tot    string
	Regio       string // the regio's name, for the comparison; "" without regio cells
	K           int
	Warnings    []string
	Drempels    []drempel // k per indicator, for the protection section
	Indicators  []indicatorView
	Quality     qualityView
	Buurten     int // buurten drawn on the map
}

// drempel says how one indicator is protected.
type drempel struct {
	Titel, Text string
}

type indicatorView struct {
	Anchor, Titel, Doc string
	K                  int // threshold: published counts are 0 or at least K (any count when K < 2)
	HasData            bool
	Head               headline
	Trend              *lineChart
	Bars               *barChart
	Onbekend           string // the figure of the unknown buurt, shown apart from the bars; "" without one
	Map                *choropleth
	NietOpKaart        []string // buurten with a figure but no polygon, "naam: waarde"
	Cellen, Onderdrukt int      // cells of this gemeente, and how many are suppressed
}

type qualityView struct {
	Software      string
	Run           [][2]string
	Bronnen       []bronView
	Onderdrukking []onderdrukkingView
}

type bronView struct {
	Naam, Files, Read, Accepted, Quarantined, Rate, Events, Pleeg, Woon string
}

type onderdrukkingView struct {
	Titel, Cells, Withheld, Gemeente string
}

func newPage(in Input) (*pageData, error) {
	gm := in.Gemeente.Code
	if !gemeenteRE.MatchString(gm) {
		return nil, fmt.Errorf("report %q: %w", gm, errGemeente)
	}
	if in.MinCount < 1 {
		return nil, fmt.Errorf("report %s: minimum count %d: must be at least 1", gm, in.MinCount)
	}
	ix := newIndex(gm, in.Cells)
	var buurten []geocode.Buurt
	for _, b := range in.Buurten {
		if b.Gemeentecode == gm {
			buurten = append(buurten, b)
		}
	}
	slices.SortFunc(buurten, func(a, b geocode.Buurt) int { return strings.Compare(a.Code, b.Code) })
	proj := project(buurten)

	p := &pageData{
		Gemeente: in.Gemeente,
		K:        in.MinCount,
		Buurten:  len(proj.Paths),
		Warnings: in.Warnings,
		Regio:    ix.regioNaam,
	}
	if p.Gemeente.Naam == "" {
		p.Gemeente.Naam = gm
	}
	if !in.Generated.IsZero() {
		p.Datum = formatDate(in.Generated)
	}
	if n := len(ix.allJaren); n > 0 {
		p.Jaar = ix.allJaren[n-1]
		if y, err := strconv.Atoi(p.Jaar); err == nil && slices.Contains(ix.allJaren, strconv.Itoa(y-1)) {
			p.Vorig = strconv.Itoa(y - 1)
		}
	}
	if len(ix.maanden) > 0 {
		first := ix.maanden[0]
		p.Van, p.Tot = periodeLabel(first), periodeLabel(ix.maanden[len(ix.maanden)-1])
		if p.Vorig != "" && first > p.Vorig+"-01" {
			p.VorigNoot = "De gegevens beginnen in " + p.Van + ": " + p.Vorig + " is niet volledig gedekt, dus de vergelijking is onzeker."
		}
	}

	names := make([]string, 0, len(aggregate.Indicators)+len(ix.extra))
	for _, ind := range aggregate.Indicators {
		names = append(names, ind.Name)
	}
	names = append(names, ix.extra...)
	ks := map[string]int64{}
	for _, o := range in.Quality.Onderdrukking {
		ks[o.Indicator] = o.K
	}
	for i, name := range names {
		k, ok := ks[name]
		if !ok {
			k = int64(in.MinCount)
		}
		v := ix.view(i, name, k, in, p, buurten, proj)
		p.Indicators = append(p.Indicators, v)
		if v.HasData {
			p.Drempels = append(p.Drempels, drempelOf(v.Titel, k))
		}
	}
	p.Quality = newQualityView(in.Quality, p.Indicators)
	return p, nil
}

// drempelOf says in the protection section how an indicator is protected.
func drempelOf(titel string, k int64) drempel {
	if k < 2 {
		return drempel{titel, "zonder drempel (k = 0): elk aantal wordt getoond, want dit zijn geen personen"}
	}
	return drempel{titel, "k = " + strconv.FormatInt(k, 10) + ": aantallen van 1 tot en met " + strconv.FormatInt(k-1, 10) + " worden niet getoond"}
}

// view is the section of indicator name, the i-th on the page.
func (ix *index) view(i int, name string, k int64, in Input, p *pageData, buurten []geocode.Buurt, proj projection) indicatorView {
	gm := in.Gemeente.Code
	v := indicatorView{Anchor: name, Titel: titel(name), K: int(k), HasData: ix.hasData[name]}
	if ind, ok := aggregate.IndicatorByName(name); ok {
		v.Doc = ind.Doc
	}
	v.Cellen, v.Onderdrukt = countCells(in.Cells, gm, name)
	if v.HasData {
		v.Head = ix.headline(name, gm, p.Jaar, p.Vorig)
		pt, pts := ix.trend(name, gm)
		if len(pts) > 0 {
			v.Trend = newLineChart("c"+strconv.Itoa(i)+"t", pt, pts)
		}
		if p.Jaar != "" {
			_, hasYear := ix.yearFigure(name, gm, p.Jaar)
			rows, onbekend := splitOnbekend(ix.buurten(name, p.Jaar, buurten))
			if hasYear && len(rows) > 0 {
				v.Bars = newBarChart("c"+strconv.Itoa(i)+"b", rows)
			}
			if hasYear && onbekend != nil {
				v.Onbekend = figureValue(onbekend.figure)
			}
			if len(proj.Paths) > 0 {
				figs := make(map[string]figure, len(rows))
				for _, r := range rows {
					figs[r.Code] = r.figure
				}
				v.Map = newChoropleth("c"+strconv.Itoa(i)+"m", proj, figs, hasYear, k)
			}
			if hasYear {
				v.NietOpKaart = offMap(rows, proj)
			}
		}
	}
	return v
}

// splitOnbekend takes the unknown buurt (events placed in the gemeente
// only) out of the ranked buurten: it is no place, and often the largest
// figure, so it is shown apart from the bars.
func splitOnbekend(rows []buurtFigure) (known []buurtFigure, onbekend *buurtFigure) {
	for i := range rows {
		if strings.HasSuffix(rows[i].Code, "XXXX") {
			r := rows[i]
			onbekend = &r
			continue
		}
		known = append(known, rows[i])
	}
	return known, onbekend
}

func figureValue(f figure) string {
	switch {
	case !f.Present:
		return "0"
	case f.Onderdrukt:
		return "onderdrukt"
	case f.Geen:
		return "geen gegevens"
	}
	return formatInt(f.Waarde)
}

func titel(name string) string {
	if t, ok := titels[name]; ok {
		return t
	}
	return name
}

// countCells counts the gemeente's cells of one indicator, all breakdowns
// and levels, and how many of them are suppressed.
func countCells(cells []aggregate.Cell, gm, ind string) (n, onderdrukt int) {
	for i := range cells {
		if cells[i].Gemeentecode == gm && cells[i].Indicator == ind {
			n++
			if cells[i].Onderdrukt {
				onderdrukt++
			}
		}
	}
	return n, onderdrukt
}

// offMap lists the buurten with a figure that the map cannot show, such
// as the unknown buurt.
func offMap(rows []buurtFigure, proj projection) []string {
	drawn := make(map[string]bool, len(proj.Paths))
	for _, p := range proj.Paths {
		drawn[p.Code] = true
	}
	var out []string
	for _, r := range rows {
		if drawn[r.Code] || !r.Present {
			continue
		}
		v := figureValue(r.figure)
		out = append(out, r.Naam+": "+v)
	}
	return out
}

func newQualityView(q Quality, inds []indicatorView) qualityView {
	v := qualityView{Software: q.Software}
	add := func(k, val string) {
		if val != "" {
			v.Run = append(v.Run, [2]string{k, val})
		}
	}
	add("Run", q.RunID)
	add("Rundatum", q.RunDate)
	add("Software", q.Software)
	add("Configuratie (hash)", q.ConfigHash)
	add("Regio", q.Regio)
	if q.MaxQuarantineRate > 0 {
		add("Maximaal quarantaine-aandeel per bron", formatPercent(q.MaxQuarantineRate))
	}
	for _, b := range q.Bronnen {
		bv := bronView{
			Naam: b.Naam, Files: formatInt(int64(b.Files)),
			Read: formatInt(int64(b.Read)), Accepted: formatInt(int64(b.Accepted)),
			Quarantined: formatInt(int64(b.Quarantined)), Rate: formatPercent(b.QuarantineRate),
			Events: formatInt(int64(b.Events)), Pleeg: "–", Woon: "–",
		}
		if b.FailedFiles > 0 {
			bv.Files += " (" + formatInt(int64(b.FailedFiles)) + " mislukt)"
		}
		if r, ok := b.MatchRate["pleeg"]; ok {
			bv.Pleeg = formatPercent(r)
		}
		if r, ok := b.MatchRate["woon"]; ok {
			bv.Woon = formatPercent(r)
		}
		v.Bronnen = append(v.Bronnen, bv)
	}
	run := make(map[string]Onderdrukking, len(q.Onderdrukking))
	for _, o := range q.Onderdrukking {
		run[o.Indicator] = o
	}
	for _, ind := range inds {
		ov := onderdrukkingView{
			Titel:    ind.Titel,
			Gemeente: formatInt(int64(ind.Onderdrukt)) + " van " + formatInt(int64(ind.Cellen)),
			Cells:    "–", Withheld: "–",
		}
		if o, ok := run[ind.Anchor]; ok {
			ov.Cells, ov.Withheld = formatInt(int64(o.Cells)), formatInt(int64(o.Withheld))
		}
		v.Onderdrukking = append(v.Onderdrukking, ov)
	}
	return v
}
