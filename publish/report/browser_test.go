package report

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/ivz-twente/jeugd/transform/geocode"
)

var screenshot = flag.String("screenshot", "", "also write the browser test's screenshot (PNG) to this file")

// chromium returns the path of a Chromium or Chrome binary, or "".
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// demoInput is a report of Borne over two years with figures in every
// buurt of buurten, a few of them suppressed.
func demoInput(buurten []geocode.Buurt) Input {
	in := testInput()
	in.Buurten = buurten
	in.Cells = nil
	add := func(ind, niveau, code, pt, per string, n int64) {
		c := cell(ind, niveau, code, pt, per, n)
		c.Onderdrukt = n > 0 && n < 5
		in.Cells = append(in.Cells, c)
	}
	for k, ind := range []string{"jeugdoverlast", "minderjarige_daders", "halt_verwijzingen"} {
		for _, y := range []int{2024, 2025} {
			var jaar int64
			for m := 1; m <= 12; m++ {
				n := int64((m*7+y+k*5)%23 + 2*k)
				jaar += n
				add(ind, "gemeente", "GM0147", "maand", fmt.Sprintf("%d-%02d", y, m), n)
			}
			add(ind, "gemeente", "GM0147", "jaar", fmt.Sprint(y), jaar)
		}
		for i, b := range buurten {
			if b.Gemeentecode == "GM0147" {
				add(ind, "buurt", b.Code, "jaar", "2025", int64((i*13+k*3)%41))
			}
		}
		add(ind, "buurt", "BU0147XXXX", "jaar", "2025", 6)
	}
	return in
}

// TestBrowser opens a report in headless Chromium and checks that the
// charts and the map render, with no console error and no request for
// anything outside the file.
func TestBrowser(t *testing.T) {
	bin := chromium()
	if bin == "" {
		t.Skip("no Chromium in PATH (chromium, chromium-browser or google-chrome): the report is not checked in a browser " +
			"(rendering, console errors, external requests); install one, e.g. apt-get install chromium, to run this test")
	}
	buurten := testBuurten()
	if dir := filepath.Join("..", "..", "..", "shared", "data"); fileExists(filepath.Join(dir, "buurten_twente.geojson")) {
		buurten = loadTwente(t).Buurten
	}
	in := demoInput(buurten)
	in.Buurten = append(in.Buurten, geocode.Buurt{
		Code: "BU01479999", Naam: scriptNaam, Gemeentecode: "GM0147",
		Geometry: testBuurten()[1].Geometry, // far outside Borne: shrinks the rest, still renders
	})
	if buurten[0].Code == "BU01470101" { // hand-made buurten already hold the script name
		in.Buurten = in.Buurten[:len(in.Buurten)-1]
	}

	dir := t.TempDir()
	in.Gemeente = Gemeente{"GM0147", "Borne"}
	if err := WriteFile(dir, in); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, FileName("GM0147"))

	ctx, cancel := context.WithTimeout(t.Context(), 40*time.Second)
	defer cancel()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 2400),
	)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()

	var (
		mu       sync.Mutex
		problems []string
	)
	if err := chromedp.Listen(bctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+ev.ExceptionDetails.Text)
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				problems = append(problems, "console "+string(ev.Type))
			}
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError {
				problems = append(problems, "browser log "+string(ev.Entry.Level)+": "+ev.Entry.Text)
			}
		}
	}); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	if err := chromedp.Do(bctx, chromedp.Navigate("file://"+file)); err != nil {
		t.Fatal(err)
	}

	type box struct {
		Class string  `json:"cls"`
		W     float64 `json:"w"`
		H     float64 `json:"h"`
	}
	type state struct {
		SVGs      []box    `json:"svgs"`
		Buurten   []box    `json:"buurten"`
		Fills     []string `json:"fills"`
		Missing   []string `json:"missing"`
		Resources []string `json:"resources"`
		Scripts   int      `json:"scripts"`
		Title     string   `json:"title"`
	}
	const js = `(() => {
		const box = el => { const b = el.getBoundingClientRect(); return {cls: el.getAttribute('class') || '', w: b.width, h: b.height}; };
		const paths = [...document.querySelectorAll('svg.kaart path.buurt')];
		const fills = [...new Set(paths.map(p => p.getAttribute('fill')))];
		return {
			svgs: [...document.querySelectorAll('svg')].map(box),
			buurten: paths.map(box),
			fills: fills,
			missing: fills.filter(f => f.startsWith('url(#') && !document.getElementById(f.slice(5, -1))),
			resources: performance.getEntriesByType('resource').map(e => e.name),
			scripts: document.scripts.length,
			title: document.title,
		};
	})()`
	st, err := chromedp.Run(bctx, chromedp.Evaluate[state](js))
	if err != nil {
		t.Fatal(err)
	}
	if len(st.SVGs) != 9 {
		t.Errorf("page has %d svg elements, want 9 (trend, buurten and map for 3 indicators)", len(st.SVGs))
	}
	for i, b := range st.SVGs {
		if b.W < 100 || b.H < 50 {
			t.Errorf("svg %d (%s) renders %.0f×%.0f px", i, b.Class, b.W, b.H)
		}
	}
	if len(st.Buurten) == 0 {
		t.Errorf("no buurt paths on the maps")
	}
	for i, b := range st.Buurten {
		if b.W <= 0 || b.H <= 0 {
			t.Errorf("buurt path %d renders %.1f×%.1f px", i, b.W, b.H)
		}
	}
	var hatched bool
	for _, f := range st.Fills {
		hatched = hatched || strings.HasSuffix(f, "m-hatch)")
	}
	if !hatched {
		t.Errorf("no buurt is hatched; fills %q", st.Fills)
	}
	if len(st.Missing) > 0 {
		t.Errorf("fills refer to missing patterns: %q", st.Missing)
	}
	if len(st.Resources) > 0 {
		t.Errorf("page loaded resources: %q", st.Resources)
	}
	if st.Scripts != 0 {
		t.Errorf("page has %d scripts; the buurtnaam %q must stay text", st.Scripts, scriptNaam)
	}
	if st.Title != "Jeugd in Borne: 2025" {
		t.Errorf("title %q", st.Title)
	}

	shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	for _, p := range problems {
		t.Errorf("browser: %s", p)
	}
	mu.Unlock()
	pngPath := filepath.Join(t.TempDir(), "report-GM0147.png")
	if *screenshot != "" {
		pngPath = *screenshot
	}
	if err := os.WriteFile(pngPath, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", pngPath)
	checkPixels(t, shot)
}

// checkPixels decodes the screenshot and checks that the scale's colours
// were painted: the map and the bars are drawn, not just in the DOM.
func checkPixels(t *testing.T, shot []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot is no PNG: %v", err)
	}
	want := map[color.RGBA]string{}
	for _, c := range append([]string{kleurLijn}, schaal[:]...) {
		var r, g, b uint8
		fmt.Sscanf(c, "#%02x%02x%02x", &r, &g, &b)
		want[color.RGBA{r, g, b, 255}] = c
	}
	counts := make(map[string]int)
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y += 2 {
		for x := bounds.Min.X; x < bounds.Max.X; x += 2 {
			r, g, b, _ := img.At(x, y).RGBA()
			if name, ok := want[color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 255}]; ok {
				counts[name]++
			}
		}
	}
	if bounds.Dx() < 800 || bounds.Dy() < 2400 {
		t.Errorf("screenshot is %v, want a full page", bounds.Size())
	}
	if counts[kleurLijn] < 500 {
		t.Errorf("screenshot has %d sampled pixels of %s (bars, lines): %v", counts[kleurLijn], kleurLijn, counts)
	}
	var scale int
	for _, c := range schaal {
		if counts[c] > 0 {
			scale++
		}
	}
	if scale < 2 {
		t.Errorf("screenshot shows %d colours of the map scale, want at least 2: %v", scale, counts)
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
