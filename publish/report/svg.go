package report

import (
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"github.com/ivz-twente/jeugd/transform/geocode"
)

// The charts are computed here and drawn by the template, so that every
// text that reaches the page (buurt names above all) goes through
// html/template's escaping. Only numbers and path strings are built in Go.

// Colours of the sequential scale (light to dark blue), the zero class,
// buurten without data and the hatching of suppressed figures.
var schaal = [...]string{"#c6dbef", "#6baed6", "#2171b5", "#08306b"}

const (
	kleurNul         = "#f7fbff"
	kleurGeenGegeven = "#d9d9d9"
	kleurLijn        = "#2171b5"
)

// tick is one grid line of an axis.
type tick struct {
	Pos   float64 // x or y in the chart's user units
	Label string
}

// niceTop returns an axis maximum of at least max and its step, both
// whole numbers: a step of 1, 2 or 5 times a power of ten that gives at
// most about n intervals.
func niceTop(max int64, n int) (top, step int64) {
	if max <= 0 {
		return 1, 1
	}
	raw := float64(max) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step = 1
	for _, f := range []float64{1, 2, 5, 10} {
		if s := f * mag; s >= raw {
			step = int64(math.Max(1, math.Ceil(s)))
			break
		}
	}
	top = (max + step - 1) / step * step
	return top, step
}

// lineChart is a trend over periods; published points are joined by
// lines, suppressed ones leave a gap and get a hatched marker on the axis.
type lineChart struct {
	ID                       string // prefix of the chart's element ids
	W, H                     float64
	Left, Right, Top, Bottom float64
	YTicks                   []tick
	XTicks                   []tick
	Lines                    []string // polyline points, one per run of published periods
	Points                   []marker
	Gaps                     []marker
	XTitle                   string
}

// marker is one period of a trend chart.
type marker struct {
	X, Y  float64
	Title string
}

func newLineChart(id, periodetype string, pts []point) *lineChart {
	c := &lineChart{ID: id, W: 760, H: 240, Left: 52, Right: 748, Top: 26, Bottom: 200, XTitle: periodetype}
	var max int64
	for _, p := range pts {
		if !p.Onderdrukt && p.Waarde > max {
			max = p.Waarde
		}
	}
	top, step := niceTop(max, 4)
	h := c.Bottom - c.Top
	for v := int64(0); v <= top; v += step {
		c.YTicks = append(c.YTicks, tick{Pos: round1(c.Bottom - float64(v)/float64(top)*h), Label: formatInt(v)})
	}
	n := len(pts)
	if n == 0 {
		return c
	}
	dx := (c.Right - c.Left) / float64(n)
	every := (n + 11) / 12
	var run []byte
	for i, p := range pts {
		x := round1(c.Left + (float64(i)+0.5)*dx)
		if i%every == 0 {
			c.XTicks = append(c.XTicks, tick{Pos: x, Label: periodeLabel(p.Periode)})
		}
		if p.Onderdrukt {
			c.Gaps = append(c.Gaps, marker{X: x, Y: c.Bottom, Title: periodeLabel(p.Periode) + ": onderdrukt"})
			c.Lines, run = appendRun(c.Lines, run)
			continue
		}
		if p.Geen { // no figure: the line stops, without a marker
			c.Lines, run = appendRun(c.Lines, run)
			continue
		}
		y := round1(c.Bottom - float64(p.Waarde)/float64(top)*h)
		c.Points = append(c.Points, marker{X: x, Y: y, Title: periodeLabel(p.Periode) + ": " + formatInt(p.Waarde)})
		if len(run) > 0 {
			run = append(run, ' ')
		}
		run = appendNum(run, x)
		run = append(run, ',')
		run = appendNum(run, y)
	}
	c.Lines, _ = appendRun(c.Lines, run)
	return c
}

// appendRun closes a run of joined points; a single point needs no line.
func appendRun(lines []string, run []byte) ([]string, []byte) {
	if len(run) > 0 && containsByte(run, ' ') {
		lines = append(lines, string(run))
	}
	return lines, run[:0]
}

func containsByte(b []byte, c byte) bool {
	for _, x := range b {
		if x == c {
			return true
		}
	}
	return false
}

// barChart ranks the buurten of one year.
type barChart struct {
	ID          string
	W, H        float64
	LabelW      float64 // the bars start here
	Axis        float64 // y of the value axis
	Ticks       []tick
	Rows        []bar
	HatchW      float64
	RowH, BarH  float64
	ValueOffset float64
}

type bar struct {
	Y          float64 // top of the row
	Label      string  // buurtnaam, shortened
	Title      string  // full name and figure
	W          float64 // bar length; 0 for a suppressed bar
	Value      string
	Onderdrukt bool
}

const maxLabel = 32 // runes of a buurtnaam shown next to its bar

func newBarChart(id string, rows []buurtFigure) *barChart {
	c := &barChart{ID: id, W: 760, LabelW: 240, RowH: 20, BarH: 14, HatchW: 40, ValueOffset: 6}
	var max int64
	for _, r := range rows {
		if !r.Onderdrukt && r.Waarde > max {
			max = r.Waarde
		}
	}
	top, step := niceTop(max, 5)
	span := c.W - c.LabelW - 90
	for i, r := range rows {
		b := bar{Y: float64(i)*c.RowH + 4, Label: shorten(r.Naam, maxLabel), Onderdrukt: r.Onderdrukt}
		if r.Onderdrukt {
			b.Value, b.W = "onderdrukt", c.HatchW
		} else if r.Geen {
			b.Value = "geen gegevens"
		} else {
			b.Value = formatInt(r.Waarde)
			b.W = round1(float64(r.Waarde) / float64(top) * span)
		}
		b.Title = r.Naam + ": " + b.Value
		c.Rows = append(c.Rows, b)
	}
	c.Axis = float64(len(rows))*c.RowH + 8
	c.H = c.Axis + 24
	for v := int64(0); v <= top; v += step {
		c.Ticks = append(c.Ticks, tick{Pos: round1(c.LabelW + float64(v)/float64(top)*span), Label: formatInt(v)})
	}
	return c
}

// shorten cuts s to n runes, marking the cut with an ellipsis.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for k := range s {
		if i == n-1 {
			return s[:k] + "…"
		}
		i++
	}
	return s
}

// buurtPath is one buurt's outline projected into the map's user units.
type buurtPath struct {
	Code, Naam string
	D          string
}

// projection holds the gemeente's buurten as SVG paths: RD metres scaled
// so that the longer side is mapSize units, with y flipped because RD
// northing grows upwards and SVG y downwards.
type projection struct {
	W, H  float64
	Paths []buurtPath
}

const (
	mapSize   = 1000.0
	mapMargin = 10.0
)

func project(buurten []geocode.Buurt) projection {
	var bound orb.Bound
	first := true
	for _, b := range buurten {
		if len(b.Geometry) == 0 {
			continue
		}
		if first {
			bound, first = b.Geometry.Bound(), false
		} else {
			bound = bound.Union(b.Geometry.Bound())
		}
	}
	dx, dy := bound.Max[0]-bound.Min[0], bound.Max[1]-bound.Min[1]
	if first || dx <= 0 || dy <= 0 {
		return projection{}
	}
	s := (mapSize - 2*mapMargin) / math.Max(dx, dy)
	p := projection{W: round1(dx*s + 2*mapMargin), H: round1(dy*s + 2*mapMargin)}
	var buf []byte
	for _, b := range buurten {
		if len(b.Geometry) == 0 {
			continue
		}
		buf = buf[:0]
		for _, poly := range b.Geometry {
			for _, ring := range poly {
				buf = appendRing(buf, ring, bound, s)
			}
		}
		naam := b.Naam
		if naam == "" {
			naam = b.Code
		}
		p.Paths = append(p.Paths, buurtPath{Code: b.Code, Naam: naam, D: string(buf)})
	}
	return p
}

// appendRing writes one closed ring as "M x y L x y ... Z", dropping
// points that round onto the previous one.
func appendRing(buf []byte, ring orb.Ring, bound orb.Bound, s float64) []byte {
	if len(ring) > 1 && ring[0] == ring[len(ring)-1] {
		ring = ring[:len(ring)-1] // Z closes it
	}
	var px, py float64
	n := 0
	for _, pt := range ring {
		x := round1((pt[0]-bound.Min[0])*s + mapMargin)
		y := round1((bound.Max[1]-pt[1])*s + mapMargin)
		if n > 0 && x == px && y == py {
			continue
		}
		if n == 0 {
			buf = append(buf, 'M')
		} else {
			buf = append(buf, 'L')
		}
		buf = appendNum(buf, x)
		buf = append(buf, ' ')
		buf = appendNum(buf, y)
		px, py = x, y
		n++
	}
	if n > 0 {
		buf = append(buf, 'Z')
	}
	return buf
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

func appendNum(buf []byte, f float64) []byte {
	return strconv.AppendFloat(buf, f, 'f', -1, 64)
}

// choropleth colours the projected buurten by one year's figures.
type choropleth struct {
	ID     string
	W, H   float64 // the map area; the legend is drawn right of it
	VW     float64 // viewBox width including the legend
	VH     float64
	Paths  []mapPath
	Legend []legendItem
	LX     float64 // x of the legend
}

type mapPath struct {
	D, Fill, Title string
	Onderdrukt     bool
}

type legendItem struct {
	Y     float64
	Fill  string // a colour or the hatch pattern
	Label string
}

// klasse is one class of the colour scale.
type klasse struct {
	Lo, Hi int64
	Fill   string
}

// klassen divides 0..max into a zero class and up to four classes of
// equal, round width. With a threshold k of 2 or more a published figure
// is 0 or at least k, so the first class starts at k: a legend class of
// 1-2 would promise figures that cannot occur.
func klassen(max, k int64) []klasse {
	out := []klasse{{0, 0, kleurNul}}
	first := k
	if first < 1 {
		first = 1
	}
	if max < first {
		return out
	}
	_, step := niceTop(max-first+1, len(schaal))
	for i, lo := 0, first; lo <= max && i < len(schaal); i++ {
		hi := lo + step - 1
		if i == len(schaal)-1 && hi < max {
			hi = max
		}
		out = append(out, klasse{lo, hi, schaal[i]})
		lo = hi + 1
	}
	return out
}

func (k klasse) label() string {
	if k.Lo == k.Hi {
		return formatInt(k.Lo)
	}
	return formatInt(k.Lo) + "–" + formatInt(k.Hi)
}

// newChoropleth colours proj by figs, in classes that suit the threshold
// k; hasYear false greys every buurt out.
func newChoropleth(id string, proj projection, figs map[string]figure, hasYear bool, k int64) *choropleth {
	legendW := 260.0
	c := &choropleth{ID: id, W: proj.W, H: proj.H, LX: proj.W + 20}
	c.VW = proj.W + legendW
	var max int64
	for _, f := range figs {
		if !f.Onderdrukt && f.Waarde > max {
			max = f.Waarde
		}
	}
	ks := klassen(max, k)
	for _, bp := range proj.Paths {
		f := figs[bp.Code]
		mp := mapPath{D: bp.D}
		switch {
		case !hasYear:
			mp.Fill, mp.Title = kleurGeenGegeven, bp.Naam+": geen gegevens"
		case f.Onderdrukt:
			mp.Onderdrukt, mp.Fill, mp.Title = true, hatchFill(id), bp.Naam+": onderdrukt"
		case f.Geen:
			mp.Fill, mp.Title = kleurGeenGegeven, bp.Naam+": geen gegevens"
		default:
			mp.Title = bp.Naam + ": " + formatInt(f.Waarde)
			for _, k := range ks {
				if f.Waarde >= k.Lo && f.Waarde <= k.Hi {
					mp.Fill = k.Fill
				}
			}
		}
		c.Paths = append(c.Paths, mp)
	}
	y := 30.0
	if hasYear {
		for _, k := range ks {
			c.Legend = append(c.Legend, legendItem{Y: y, Fill: k.Fill, Label: k.label()})
			y += 34
		}
		c.Legend = append(c.Legend, legendItem{Y: y, Fill: hatchFill(id), Label: "onderdrukt"})
		y += 34
	}
	c.Legend = append(c.Legend, legendItem{Y: y, Fill: kleurGeenGegeven, Label: "geen gegevens"})
	c.VH = math.Max(proj.H, y+40)
	return c
}

// hatchFill is the fill of a suppressed area: the hatch pattern that the
// chart with this id defines.
func hatchFill(id string) string { return "url(#" + id + "-hatch)" }
