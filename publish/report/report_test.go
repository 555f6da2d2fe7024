package report

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"
	"golang.org/x/net/html"

	"github.com/ivz-twente/jeugd/aggregate"
	"github.com/ivz-twente/jeugd/internal/golden"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

// Planted values of suppressed cells: none may appear in a report.
const (
	geheimMaand = 987654 // jeugdoverlast, GM0147, 2025-03
	geheimBuurt = 424242 // jeugdoverlast, Zenderen, 2025
	geheimJaar  = 313131 // halt_verwijzingen, GM0147, 2025
	andereGM    = 777777 // a published figure of another gemeente
	regioJaar   = 3456   // the regio's jeugdoverlast in 2025: shown for comparison
)

const scriptNaam = "<script>alert(1)</script>"

// square is a w×w metre RD square with its south-west corner at x, y.
func square(x, y, w float64) orb.Ring {
	return orb.Ring{{x, y}, {x + w, y}, {x + w, y + w}, {x, y + w}, {x, y}}
}

func testBuurten() []geocode.Buurt {
	const x, y = 250000.0, 480000.0
	b := func(code, naam string, geom orb.MultiPolygon) geocode.Buurt {
		return geocode.Buurt{Code: code, Naam: naam, Wijkcode: code[:8], Gemeentecode: "GM" + code[2:6], Geometry: geom}
	}
	return []geocode.Buurt{
		b("BU01470101", "Centrum", orb.MultiPolygon{{square(x, y, 1000)}}),
		b("BU01470102", scriptNaam, orb.MultiPolygon{{square(x+1000, y, 1000)}}),
		b("BU01470103", "Zenderen", orb.MultiPolygon{{square(x, y+1000, 1000)}}),
		// a ring with a hole, as CBS draws a buurt around another
		b("BU01470104", "Hertme", orb.MultiPolygon{{square(x+1000, y+1000, 1000), square(x+1400, y+1400, 200)}}),
		b("BU01470105", "Zonder kaart", nil),
		b("BU01530101", "Enschede Centrum", orb.MultiPolygon{{square(x+50000, y, 1000)}}),
	}
}

func cell(ind, niveau, code, pt, per string, n int64) aggregate.Cell {
	naam := ""
	switch code {
	case "BU0147XXXX":
		naam = "onbekend"
	case "BU01470101":
		naam = "Centrum"
	}
	return aggregate.Cell{
		Indicator: ind, Gebiedsniveau: niveau, Gebiedscode: code, Gebiedsnaam: naam,
		Gemeentecode: "GM" + code[2:6], Periodetype: pt, Periode: per,
		Uitsplitsing: "totaal", Klasse: "totaal", Waarde: n,
	}
}

func suppressed(c aggregate.Cell) aggregate.Cell {
	c.Onderdrukt = true
	return c
}

func testCells() []aggregate.Cell {
	var cells []aggregate.Cell
	for _, per := range []string{"2024-01", "2024-06", "2024-12", "2025-01", "2025-02", "2025-05", "2025-12"} {
		cells = append(cells, cell("jeugdoverlast", "gemeente", "GM0147", "maand", per, 5))
	}
	cells = append(cells,
		suppressed(cell("jeugdoverlast", "gemeente", "GM0147", "maand", "2025-03", geheimMaand)),
		cell("jeugdoverlast", "gemeente", "GM0147", "kwartaal", "2025-K1", 12),
		cell("jeugdoverlast", "gemeente", "GM0147", "jaar", "2024", 40),
		cell("jeugdoverlast", "gemeente", "GM0147", "jaar", "2025", 50),
		cell("jeugdoverlast", "buurt", "BU01470101", "jaar", "2025", 30),
		cell("jeugdoverlast", "buurt", "BU01470102", "jaar", "2025", 12),
		suppressed(cell("jeugdoverlast", "buurt", "BU01470103", "jaar", "2025", geheimBuurt)),
		cell("jeugdoverlast", "buurt", "BU0147XXXX", "jaar", "2025", 5),
		cell("jeugdoverlast", "gemeente", "GM0153", "jaar", "2025", andereGM),
		cell("jeugdoverlast", "buurt", "BU01530101", "jaar", "2025", andereGM),
		cell("halt_verwijzingen", "gemeente", "GM0147", "jaar", "2024", 7),
		suppressed(cell("halt_verwijzingen", "gemeente", "GM0147", "jaar", "2025", geheimJaar)),
	)
	regio := cell("jeugdoverlast", "regio", "GM0000", "jaar", "2025", regioJaar)
	regio.Gemeentecode, regio.Gebiedscode, regio.Gebiedsnaam = "", "VR05", "Twente"
	regioMaand := cell("jeugdoverlast", "regio", "GM0000", "maand", "2025-01", andereGM) // not a year: not shown
	regioMaand.Gemeentecode, regioMaand.Gebiedscode, regioMaand.Gebiedsnaam = "", "VR05", "Twente"
	return append(cells, regio, regioMaand)
}

func testInput() Input {
	return Input{
		Gemeente: Gemeente{Code: "GM0147", Naam: "Borne"},
		Cells:    testCells(),
		Buurten:  testBuurten(),
		Quality: Quality{
			RunID: "20260105T020000Z", Software: "v0.1.0", ConfigHash: "abc123", RunDate: "2026-01-05",
			Regio: "Twente", MaxQuarantineRate: 0.05,
			Bronnen: []Bron{
				{Naam: "politie", Files: 3, Read: 12500, Accepted: 12400, Quarantined: 100, QuarantineRate: 0.008, Events: 12400,
					MatchRate: map[string]float64{"pleeg": 0.975, "woon": 0.9912}},
				{Naam: "halt", Files: 1, FailedFiles: 1, Read: 40, Accepted: 40, Events: 40, MatchRate: map[string]float64{"woon": 1}},
			},
			Onderdrukking: []Onderdrukking{{Indicator: "jeugdoverlast", K: 0, Cells: 900, Withheld: 52},
				{Indicator: "halt_verwijzingen", K: 5, Cells: 400, Withheld: 90}},
		},
		MinCount:  5,
		Generated: time.Date(2026, 1, 5, 2, 0, 0, 0, time.UTC),
	}
}

func render(t *testing.T, in Input) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, in); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func parse(t *testing.T, doc []byte) *html.Node {
	t.Helper()
	root, err := html.Parse(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// elements returns every element called name below n, in document order.
func elements(n *html.Node, name string) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && d.Data == name {
			out = append(out, d)
		}
	}
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

// titled maps the <title> text of each element called name to the element.
func titled(n *html.Node, name string) map[string]*html.Node {
	out := make(map[string]*html.Node)
	for _, e := range elements(n, name) {
		for _, t := range elements(e, "title") {
			out[text(t)] = e
		}
	}
	return out
}

func TestWriteStructure(t *testing.T) {
	doc := render(t, testInput())
	root := parse(t, doc)

	// jeugdoverlast and halt_verwijzingen have data: trend, buurten, map each.
	svgs := elements(root, "svg")
	var classes []string
	for _, s := range svgs {
		classes = append(classes, attr(s, "class"))
	}
	want := []string{"chart trend", "chart bars", "chart kaart", "chart trend", "chart bars", "chart kaart"}
	if diff := cmp.Diff(want, classes); diff != "" {
		t.Errorf("svg elements (-want +got):\n%s", diff)
	}

	kaart := svgs[2]
	paths := titled(kaart, "path")
	wantFill := map[string]string{
		"Centrum: 30":          schaal[2], // 21–30 of 1–10, 11–20, 21–30
		scriptNaam + ": 12":    schaal[1],
		"Zenderen: onderdrukt": "url(#c0m-hatch)",
		"Hertme: 0":            kleurNul,
	}
	gotFill := make(map[string]string)
	for title, p := range paths {
		gotFill[title] = attr(p, "fill")
		if !regexp.MustCompile(`^(M[0-9.]+ [0-9.]+(L[0-9.]+ [0-9.]+)+Z)+$`).MatchString(attr(p, "d")) {
			t.Errorf("path %q: d = %q, want closed rings of M/L commands", title, attr(p, "d"))
		}
	}
	if diff := cmp.Diff(wantFill, gotFill); diff != "" {
		t.Errorf("map paths by title (-want +got):\n%s", diff)
	}
	if n := strings.Count(attr(paths["Hertme: 0"], "d"), "M"); n != 2 {
		t.Errorf("Hertme has %d rings, want 2 (outer and hole)", n)
	}
	var pattern bool
	for _, p := range elements(kaart, "pattern") {
		pattern = pattern || attr(p, "id") == "c0m-hatch"
	}
	if !pattern {
		t.Errorf("map has no pattern c0m-hatch for its suppressed buurt")
	}
	legend := text(kaart)
	for _, l := range []string{"0", "1–10", "onderdrukt", "geen gegevens"} {
		if !strings.Contains(legend, l) {
			t.Errorf("map legend lacks %q; has %q", l, legend)
		}
	}
	// halt_verwijzingen has k = 5: its map legend cannot offer 1-4.
	haltLegend := text(svgs[5])
	if strings.Contains(haltLegend, "1–") || !strings.Contains(haltLegend, "0") {
		t.Errorf("halt map legend %q: with k = 5 a class may not start below 5", haltLegend)
	}

	// The bar chart: published figures high to low, suppressed last; the
	// unknown buurt is shown apart.
	var bars []string
	for _, g := range elements(svgs[1], "g") {
		bars = append(bars, text(elements(g, "title")[0]))
	}
	wantBars := []string{"Centrum: 30", scriptNaam + ": 12", "Hertme: 0", "Zonder kaart: 0", "Zenderen: onderdrukt"}
	if diff := cmp.Diff(wantBars, bars); diff != "" {
		t.Errorf("bars (-want +got):\n%s", diff)
	}
	// halt has no buurt figures in 2025 but a gemeente year: every buurt is 0.
	if p := titled(svgs[5], "path"); p["Centrum: 0"] == nil {
		t.Errorf("halt map: Centrum not drawn as 0; titles %v", cmp.Diff(nil, p))
	}

	// The trend: a gap with a marker for the suppressed March 2025.
	gaps := elements(svgs[0], "rect")
	var gapTitles []string
	for _, g := range gaps {
		if attr(g, "class") == "gat" {
			gapTitles = append(gapTitles, text(g))
		}
	}
	if diff := cmp.Diff([]string{"mrt 2025: onderdrukt"}, gapTitles); diff != "" {
		t.Errorf("trend gaps (-want +got):\n%s", diff)
	}
	if n := len(elements(svgs[0], "polyline")); n != 2 {
		t.Errorf("trend has %d lines, want 2 (broken at the gap)", n)
	}
	if n := len(elements(svgs[0], "circle")); n != 23 {
		t.Errorf("trend has %d points, want 23 (24 months less the gap)", n)
	}

	page := text(root)
	for _, s := range []string{
		"Jeugd in Borne", "+10 (+25,0%)", "12.500", "97,5%", "99,1%", "0,8%",
		"1 (1 mislukt)", "5 januari 2026", "jan 2024 tot en met dec 2025",
		"Buurt onbekend (alleen de gemeente is bekend, niet in de grafiek): 5.", "Twente 2025", "3.456",
		"Halt-verwijzingen: k = 5: aantallen van 1 tot en met 4 worden niet getoond",
		"Jeugdoverlast: zonder drempel (k = 0)",
	} {
		if !strings.Contains(page, s) {
			t.Errorf("report lacks %q", s)
		}
	}
	if strings.Contains(page, "Enschede Centrum") {
		t.Errorf("report shows a buurt of another gemeente")
	}
	var kpis []string
	for _, d := range elements(root, "div") {
		if attr(d, "class") == "kpi" {
			var spans []string
			for _, sp := range elements(d, "span") {
				spans = append(spans, text(sp))
			}
			kpis = append(kpis, strings.Join(spans, " | "))
		}
	}
	wantKPI := []string{
		"2025 | 50 | Twente 2025 | 3.456 | 2024 | 40 | Verschil met 2024 | +10 (+25,0%)",
		"2025 | onderdrukt | 2024 | 7 | Verschil met 2024 | onderdrukt",
	}
	if diff := cmp.Diff(wantKPI, kpis); diff != "" {
		t.Errorf("headlines (-want +got):\n%s", diff)
	}
}

// TestWriteWarnings: a warning about the gemeente (buurt codes of an old
// CBS year) is shown at the top and at every buurt chart.
func TestWriteWarnings(t *testing.T) {
	in := testInput()
	in.Warnings = []string{"De buurtcodes van Borne zijn van de CBS-indeling 2019."}
	page := text(parse(t, render(t, in)))
	if !strings.Contains(page, "Let op: De buurtcodes van Borne zijn van de CBS-indeling 2019.") ||
		strings.Count(page, "oudere CBS-indeling") != 2 {
		t.Errorf("report does not show the warning at the top and at both buurt charts")
	}
	if strings.Contains(text(parse(t, render(t, testInput()))), "Let op") {
		t.Errorf("report without warnings says Let op")
	}
}

func TestWriteEscapes(t *testing.T) {
	doc := string(render(t, testInput()))
	if strings.Contains(doc, "<script") {
		t.Errorf("report contains a <script element; the buurtnaam was not escaped")
	}
	if !strings.Contains(doc, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("report lacks the escaped buurtnaam")
	}
}

func TestWriteSelfContained(t *testing.T) {
	doc := string(render(t, testInput()))
	const xmlns = `xmlns="http://www.w3.org/2000/svg"`
	rest := strings.ReplaceAll(doc, xmlns, "")
	for _, s := range []string{"http://", "https://", "//www.", "@import", "src=", "<link", "url(http", "url(//"} {
		if i := strings.Index(rest, s); i >= 0 {
			t.Errorf("report refers outside itself: %q at %q", s, rest[max(0, i-40):min(len(rest), i+40)])
		}
	}
	for _, m := range regexp.MustCompile(`url\([^)]*\)`).FindAllString(doc, -1) {
		if !strings.HasPrefix(m, "url(#") {
			t.Errorf("url() that is not a fragment: %s", m)
		}
	}
}

// TestWriteSuppressedNeverShown proves that a suppressed cell's value
// reaches the page in no form: the output is the same byte for byte
// whatever the suppressed cells hold, and the planted values are absent.
func TestWriteSuppressedNeverShown(t *testing.T) {
	base := render(t, testInput())
	for _, v := range []int64{0, 1, 4, 999999} {
		in := testInput()
		for i := range in.Cells {
			if in.Cells[i].Onderdrukt {
				in.Cells[i].Waarde = v
			}
		}
		if got := render(t, in); !bytes.Equal(got, base) {
			t.Errorf("report changes when suppressed cells hold %d instead of the planted values", v)
		}
	}
	page := string(base)
	for _, v := range []string{"987654", "987.654", "424242", "424.242", "313131", "313.131", "777777", "777.777"} {
		if strings.Contains(page, v) {
			t.Errorf("report shows %s", v)
		}
	}
}

func TestWriteNoData(t *testing.T) {
	in := testInput()
	in.Cells = nil
	in.Buurten = nil
	root := parse(t, render(t, in))
	if n := len(elements(root, "svg")); n != 0 {
		t.Errorf("report without cells has %d charts, want 0", n)
	}
	if page := text(root); !strings.Contains(page, "nog geen volledig kalenderjaar") {
		t.Errorf("report without cells does not say so")
	}
}

func TestWriteInvalid(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Input)
	}{
		{"code", func(in *Input) { in.Gemeente.Code = "../x" }},
		{"k", func(in *Input) { in.MinCount = 0 }},
	}
	for _, tt := range tests {
		in := testInput()
		tt.edit(&in)
		var buf bytes.Buffer
		if err := Write(&buf, in); err == nil {
			t.Errorf("%s: Write succeeded, want an error", tt.name)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: Write wrote %d bytes before failing", tt.name, buf.Len())
		}
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	in := testInput()
	for _, g := range []Gemeente{{"GM0147", "Borne"}, {"GM0153", "Enschede"}} {
		in.Gemeente = g
		if err := WriteFile(dir, in); err != nil {
			t.Fatal(err)
		}
	}
	in = testInput()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if diff := cmp.Diff([]string{"report-GM0147.html", "report-GM0153.html"}, names); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	got, err := os.ReadFile(filepath.Join(dir, "report-GM0147.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, render(t, in)) {
		t.Errorf("report-GM0147.html differs from Write's output")
	}
	enschede, err := os.ReadFile(filepath.Join(dir, "report-GM0153.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(enschede, []byte("777.777")) || bytes.Contains(enschede, []byte("Centrum: 30")) {
		t.Errorf("report-GM0153.html does not hold Enschede's figures only")
	}

	in.Gemeente = Gemeente{"../GM0147", "x"}
	if err := WriteFile(dir, in); !errors.Is(err, errGemeente) {
		t.Errorf("WriteFile with a bad code: %v, want errGemeente", err)
	}
}

func TestWriteGolden(t *testing.T) {
	got := render(t, testInput())
	golden.Check(t, filepath.Join("testdata", "borne.html"), got)
}

// TestWriteTwente draws every buurt of the real CBS map of Borne.
func TestWriteTwente(t *testing.T) {
	ref := loadTwente(t)
	in := testInput()
	in.Buurten = ref.Buurten
	root := parse(t, render(t, in))
	var drawn int
	for _, b := range ref.Buurten {
		if b.Gemeentecode == "GM0147" && len(b.Geometry) > 0 {
			drawn++
		}
	}
	if drawn == 0 {
		t.Fatal("reference has no polygon of a Borne buurt")
	}
	kaart := elements(root, "svg")[2]
	if got := len(elements(kaart, "path")); got != drawn {
		t.Errorf("map of Borne has %d paths, want %d", got, drawn)
	}
	if p := titled(kaart, "path"); p["Centrum: 30"] != nil {
		t.Errorf("hand-made buurt drawn on the real map")
	}
}

// loadTwente reads the CBS reference data of Twente or skips.
func loadTwente(t *testing.T) *geocode.Reference {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(dir, "buurten_twente.geojson")); err != nil {
		t.Skipf("CBS reference data not found in %s: %v", dir, err)
	}
	ref, err := geocode.LoadReference(dir)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// BenchmarkWrite renders the demo report of Borne on the real CBS map
// when it is present, on the hand-made buurten otherwise.
func BenchmarkWrite(b *testing.B) {
	buurten := testBuurten()
	dir := filepath.Join("..", "..", "..", "shared", "data")
	if ref, err := geocode.LoadReference(dir); err == nil {
		buurten = ref.Buurten
	}
	in := demoInput(buurten)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := Write(&buf, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/report")
}

// TestWriteGeenGegevens: a year a source does not cover reads "geen
// gegevens", in the headline and the buurt chart, and its meaningless
// Waarde never reaches the page.
func TestWriteGeenGegevens(t *testing.T) {
	in := testInput()
	for i := range in.Cells {
		c := &in.Cells[i]
		if c.Indicator == "jeugdoverlast" && c.Periodetype == "jaar" && c.Periode == "2025" && c.Gemeentecode == "GM0147" {
			c.GeenGegevens, c.Onderdrukt, c.Waarde = true, false, 656565
		}
	}
	page := string(render(t, in))
	if strings.Contains(page, "656565") || strings.Contains(page, "656.565") {
		t.Errorf("report shows the Waarde of a cell without figures")
	}
	root := parse(t, []byte(page))
	var kpi string
	for _, d := range elements(root, "div") {
		if attr(d, "class") == "kpi" {
			kpi = text(d)
			break
		}
	}
	if !strings.Contains(kpi, "geen gegevens") {
		t.Errorf("jeugdoverlast 2025 without figures: headline %q, want geen gegevens", kpi)
	}
}
