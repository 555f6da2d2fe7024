package pipeline_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"
	"github.com/xuri/excelize/v2"

	"github.com/ivz-twente/jeugd/aggregate"
	"github.com/ivz-twente/jeugd/internal/attacker"
	"github.com/ivz-twente/jeugd/internal/demo"
	"github.com/ivz-twente/jeugd/internal/golden"
	"github.com/ivz-twente/jeugd/internal/pipeline"
	"github.com/ivz-twente/jeugd/schemas"
	"github.com/ivz-twente/jeugd/transform"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

// today is the fixed run date: the three years before it and the first
// half of 2025 are complete periods.
var today = time.Date(2025, 7, 15, 3, 0, 0, 0, time.UTC)

// fixture is a fictional region with an inbox for all seven sources.
type fixture struct {
	dir, ref, inbox string
	region          *geocode.Reference
	key             []byte
	keyFile         string
}

func newFixture(t *testing.T, rows int) *fixture {
	t.Helper()
	dir := t.TempDir()
	fx := &fixture{dir: dir, ref: filepath.Join(dir, "referentie"), inbox: filepath.Join(dir, "inbox"), keyFile: filepath.Join(dir, "jeugd.key")}
	region, err := demo.Region(fx.ref, 1)
	if err != nil {
		t.Fatal(err)
	}
	fx.region = region
	if _, err := demo.WriteInbox(fx.inbox, region, demo.InboxOptions{Seed: 7, Rows: rows, Today: today, Messy: true}); err != nil {
		t.Fatal(err)
	}
	fx.key = []byte("0123456789abcdef0123456789abcdef-test-key")
	if err := os.WriteFile(fx.keyFile, fx.key, 0o600); err != nil {
		t.Fatal(err)
	}
	return fx
}

// testSoftware stands for a build with a VCS revision.
var testSoftware = pipeline.Software{Version: "test", Revision: "8f3e0c1d2b4a59687766554433221100ffeeddcc", Time: "2025-07-01T12:00:00Z"}

func (fx *fixture) options(t *testing.T, name string) pipeline.Options {
	return pipeline.Options{
		Inbox: fx.inbox, Reference: fx.ref,
		Out: filepath.Join(fx.dir, name, "out"), State: filepath.Join(fx.dir, name, "state"),
		Key: fx.key, Today: today, Software: testSoftware, MaxQuarantineRate: 0.2,
		Log: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel),
	}
}

func mustRun(t *testing.T, o pipeline.Options) *pipeline.Manifest {
	t.Helper()
	m, err := pipeline.Run(context.Background(), o)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return m
}

var indicatorColumns = []string{"indicator", "gebiedsniveau", "gebiedscode", "gebiedsnaam", "gemeentecode",
	"periodetype", "periode", "uitsplitsing", "klasse", "waarde", "onderdrukt"}

// dashboardColumns are those of the dashboard table: geen_gegevens last.
var dashboardColumns = append(append([]string(nil), indicatorColumns...), "geen_gegevens")

// readCells reads a published indicatoren.csv back into cells, with the
// parent codes that Groups needs derived from the CBS codes.
func readCells(t *testing.T, path string) []aggregate.Cell {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	br := bufio.NewReader(f)
	r := csv.NewReader(br)
	if bom, _ := br.Peek(3); string(bom) == "\ufeff" { // the gemeente CSV: BOM and semicolons
		br.Discard(3)
		r.Comma = ';'
	}
	header, err := r.Read()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if diff := cmp.Diff(dashboardColumns, header); diff != "" {
		t.Fatalf("%s: header (-want +got):\n%s", path, diff)
	}
	var cells []aggregate.Cell
	regio := ""
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		c := aggregate.Cell{Indicator: rec[0], Gebiedsniveau: rec[1], Gebiedscode: rec[2], Gebiedsnaam: rec[3],
			Gemeentecode: rec[4], Periodetype: rec[5], Periode: rec[6], Uitsplitsing: rec[7], Klasse: rec[8]}
		if rec[11] == "true" {
			c.GeenGegevens = true
			if rec[9] != "" || rec[10] != "false" {
				t.Errorf("%s: cell without figures %v has waarde %q and onderdrukt %q, want empty and false", path, rec[:9], rec[9], rec[10])
			}
			cells = append(cells, c)
			continue
		}
		switch rec[10] {
		case "true":
			c.Onderdrukt = true
			if rec[9] != "" {
				t.Errorf("%s: suppressed cell %v has waarde %q, want empty", path, rec[:9], rec[9])
			}
		case "false":
			if c.Waarde, err = strconv.ParseInt(rec[9], 10, 64); err != nil {
				t.Fatalf("%s: waarde %q of %v: %v", path, rec[9], rec[:9], err)
			}
		default:
			t.Fatalf("%s: onderdrukt %q of %v, want true or false", path, rec[10], rec[:9])
		}
		switch c.Gebiedsniveau {
		case "regio":
			regio = c.Gebiedscode
		case "gemeente":
			c.Ouder = "" // set below, once the regio code is known
		case "wijk":
			c.Ouder = "GM" + c.Gebiedscode[2:6]
		case "buurt":
			c.Ouder = "WK" + c.Gebiedscode[2:8]
		}
		cells = append(cells, c)
	}
	for i := range cells {
		if cells[i].Gebiedsniveau == "gemeente" {
			cells[i].Ouder = regio
		}
	}
	return cells
}

// checkDisclosure checks the published cells themselves, as an outside
// analyst sees them: no small count of a protected indicator is visible,
// and interval propagation over every relation determines no withheld
// cell. (The full attack, with linear programming and the true counts,
// is TestAttackPublication.)
func checkDisclosure(t *testing.T, name string, cells []aggregate.Cell) {
	t.Helper()
	plan, err := aggregate.NewPlan(schemas.Builtin().Plan)
	if err != nil {
		t.Fatal(err)
	}
	suppressed := 0
	rows := make([]attacker.Row, 0, len(cells))
	for _, c := range cells {
		if c.GeenGegevens {
			continue // no figure, in no relation
		}
		rows = append(rows, attacker.Row{Indicator: c.Indicator, Niveau: c.Gebiedsniveau, Code: c.Gebiedscode, Periodetype: c.Periodetype,
			Periode: c.Periode, Uitsplitsing: c.Uitsplitsing, Klasse: c.Klasse, Waarde: c.Waarde, Withheld: c.Onderdrukt})
		if c.Onderdrukt {
			suppressed++
		} else if k := plan.Indicator(c.Indicator).K; c.Waarde > 0 && c.Waarde < k {
			t.Errorf("%s: published waarde %d below k=%d: %+v", name, c.Waarde, k, c)
		}
	}
	if suppressed == 0 {
		t.Errorf("%s: no suppressed cell at all; the test data should need disclosure control", name)
	}
	ac, rels, uniq, err := attacker.System(rows, func(ind string) bool { return plan.Indicator(ind).Count != aggregate.CountPersoon })
	if err != nil {
		t.Fatal(err)
	}
	if len(rels) < len(ac)/4 {
		t.Fatalf("%s: only %d relations among %d cells; parents not reconstructed", name, len(rels), len(ac))
	}
	b, bad := attacker.Propagate(ac, rels)
	if bad {
		t.Fatalf("%s: the published cells contradict their relations", name)
	}
	for i, c := range ac {
		if c.Withheld && b.Lo[i] == b.Hi[i] {
			t.Errorf("%s: withheld cell %+v determined: %d", name, uniq[i], b.Lo[i])
		}
	}
}

func TestRunPublishes(t *testing.T) {
	fx := newFixture(t, 4000)
	o := fx.options(t, "a")
	m := mustRun(t, o)

	latest, err := pipeline.LatestRunID(o.Out)
	if err != nil || latest != m.RunID {
		t.Fatalf("latest = %q (%v), want run %s", latest, err, m.RunID)
	}
	run := filepath.Join(o.Out, pipeline.LatestLink)
	gemeenten := fx.region.Gemeenten
	if len(gemeenten) < 2 {
		t.Fatalf("demo region has %d gemeenten, want several", len(gemeenten))
	}
	want := []string{"dashboard/bronnen.csv", "dashboard/definities.csv", "dashboard/indicatoren.csv", "dashboard/indicatoren.parquet",
		"kwaliteit/quarantaine.csv", "manifest.json"}
	for _, g := range gemeenten {
		want = append(want, "gemeenten/"+g.Code+"/indicatoren.csv", "gemeenten/"+g.Code+"/indicatoren.xlsx")
	}
	var got []string
	err = filepath.WalkDir(filepath.Join(o.Out, "runs", m.RunID), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(filepath.Join(o.Out, "runs", m.RunID), path)
			got = append(got, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("published files (-want +got):\n%s", diff)
	}
	if partials, _ := filepath.Glob(filepath.Join(o.Out, "runs", "*.partial")); len(partials) > 0 {
		t.Errorf("partial directories left after a successful run: %q", partials)
	}
	if _, err := os.Stat(pipeline.StorePath(o.State, m.RunID)); err != nil {
		t.Errorf("store of the published run: %v", err)
	}

	checkManifest(t, fx, filepath.Join(run, "manifest.json"), m)
	checkStateManifest(t, fx, o, m)

	cells := readCells(t, filepath.Join(run, "dashboard", "indicatoren.csv"))
	if len(cells) == 0 {
		t.Fatal("dashboard table is empty")
	}
	checkDisclosure(t, "dashboard", cells)
	checkPeriodsComplete(t, cells)

	for _, g := range gemeenten {
		t.Run(g.Code, func(t *testing.T) {
			checkGemeente(t, run, g.Code, gemeenten, cells)
		})
	}
}

// checkPeriodsComplete: nothing of the current month, quarter or year.
func checkPeriodsComplete(t *testing.T, cells []aggregate.Cell) {
	t.Helper()
	for _, c := range cells {
		if c.Periode == "2025" || c.Periode == "2025-K3" || c.Periode >= "2025-07" && c.Periodetype == "maand" {
			t.Fatalf("incomplete period %s %s published on run date %s: %+v", c.Periodetype, c.Periode, today.Format("2006-01-02"), c)
		}
	}
}

func checkManifest(t *testing.T, fx *fixture, path string, m *pipeline.Manifest) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	for _, k := range []string{"run_id", "software_version", "config_hash", "start", "end", "run_date", "settings", "bronnen", "onderdrukking", "outputs", "events"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("manifest.json lacks %q", k)
		}
	}
	// Per-file hashes, sizes and row counts are the operator's (issue 10).
	for _, k := range []string{"inputs", "skipped", "status"} {
		if _, ok := doc[k]; ok {
			t.Errorf("the published manifest.json holds %q", k)
		}
	}
	for _, s := range []string{"sha256", "primair", "secundair", "vanaf_k", "politie-verdachten/"} {
		if bytes.Contains(data, []byte(s)) {
			t.Errorf("the published manifest.json holds %q", s)
		}
	}
	if bytes.Contains(data, fx.key) || bytes.Contains(data, []byte(hex.EncodeToString(fx.key))) {
		t.Errorf("manifest.json holds the key")
	}
	var back pipeline.Manifest
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.RunID != m.RunID || back.RunDate != "2025-07-15" || back.Software != "test" || back.Events == 0 || len(back.ConfigHash) != 64 {
		t.Errorf("manifest run_id %q run_date %q software %q events %d config_hash %q", back.RunID, back.RunDate, back.Software, back.Events, back.ConfigHash)
	}
	if back.Build == nil || back.Build.Revision != testSoftware.Revision || back.SoftwareText() != "test (revisie 8f3e0c1d2b4a)" {
		t.Errorf("manifest software_build %+v (%q), want revision %s", back.Build, back.SoftwareText(), testSoftware.Revision)
	}
	if !back.End.After(back.Start) {
		t.Errorf("manifest end %v not after start %v", back.End, back.Start)
	}
	if len(back.Bronnen) != 7 {
		t.Errorf("manifest has %d bronnen, want 7", len(back.Bronnen))
	}
	events := 0
	for _, br := range back.Bronnen {
		events += br.Events
	}
	if events != back.Events {
		t.Errorf("manifest events per bron add up to %d, want the run's %d", events, back.Events)
	}
	for name, br := range back.Bronnen {
		if br.Events != br.Accepted-br.Organisaties {
			t.Errorf("bron %s: events %d, want accepted %d minus organisaties %d", name, br.Events, br.Accepted, br.Organisaties)
		}
		if br.Read == 0 || br.Events == 0 && br.Accepted == 0 {
			t.Errorf("bron %s: read %d accepted %d", name, br.Read, br.Accepted)
		}
		if len(br.MatchRate) == 0 {
			t.Errorf("bron %s: no geocode match rate", name)
		}
		for loc, r := range br.MatchRate {
			if r < 0.5 || r > 1 {
				t.Errorf("bron %s: geocode match rate %s = %g, want most events placed in a buurt", name, loc, r)
			}
		}
	}
	if len(back.Onderdrukking) != len(aggregate.Indicators) || back.Onderdrukking[1].Tabellen[0].Primary != nil {
		t.Errorf("manifest onderdrukking has %d indicators, want %d, and no split into primary and secondary", len(back.Onderdrukking), len(aggregate.Indicators))
	}
	if !slices.Contains(back.Outputs, "dashboard/indicatoren.csv") {
		t.Errorf("manifest outputs %q lack the dashboard table", back.Outputs)
	}
}

// checkStateManifest checks the operator's manifest in STATE: owner-only,
// the published manifest plus every input with its digest and counts, and
// the split of withheld cells per table; the row-level quarantine report
// beside it.
func checkStateManifest(t *testing.T, fx *fixture, o pipeline.Options, m *pipeline.Manifest) {
	t.Helper()
	state := o.State
	manifest := pipeline.StateManifestPath(state, m.RunID)
	for _, p := range []string{manifest, pipeline.StateQuarantinePath(state, m.RunID)} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v; want a file of mode 0600", p, err)
		}
	}
	var sm pipeline.StateManifest
	if err := json.Unmarshal(readFile(t, manifest), &sm); err != nil {
		t.Fatal(err)
	}
	if sm.Manifest == nil || sm.RunID != m.RunID || sm.Status != "published" || sm.Quarantaine != m.RunID+".quarantaine.csv" {
		t.Fatalf("STATE manifest: run %q status %q quarantaine %q", sm.RunID, sm.Status, sm.Quarantaine)
	}
	if len(sm.Inputs) < 7 {
		t.Errorf("STATE manifest lists %d inputs, want every file of the inbox", len(sm.Inputs))
	}
	published := readFile(t, filepath.Join(o.Out, pipeline.LatestLink, "manifest.json"))
	for _, in := range sm.Inputs {
		if bytes.Contains(published, []byte(path.Base(in.Path))) {
			t.Errorf("the published manifest names input %s", in.Path)
		}
		raw, err := os.ReadFile(filepath.Join(fx.inbox, filepath.FromSlash(in.Path)))
		if err != nil {
			t.Errorf("manifest input %s: %v", in.Path, err)
			continue
		}
		sum := sha256.Sum256(raw)
		if in.SHA256 != hex.EncodeToString(sum[:]) || in.Size != int64(len(raw)) {
			t.Errorf("manifest input %s: sha256 %s size %d, want %x %d", in.Path, in.SHA256, in.Size, sum, len(raw))
		}
		if in.Status != "ok" || in.Read == 0 || in.Read != in.Accepted+in.Quarantined {
			t.Errorf("manifest input %s: status %q read %d accepted %d quarantined %d", in.Path, in.Status, in.Read, in.Accepted, in.Quarantined)
		}
	}
	if len(sm.Onderdrukking) == 0 || sm.Onderdrukking[1].Tabellen[0].Primary == nil || sm.Onderdrukking[1].Tabellen[0].AtLeastK == nil {
		t.Errorf("STATE manifest has no split of withheld cells into small cells and complements")
	}
	if len(sm.Bronnen) != 7 || sm.Events != m.Events {
		t.Errorf("STATE manifest: %d bronnen, %d events; want the published figures too", len(sm.Bronnen), sm.Events)
	}
	if old, _ := filepath.Glob(filepath.Join(state, "runs", "*.onderdrukking.json")); len(old) > 0 {
		t.Errorf("STATE holds %q: folded into the STATE manifest", old)
	}
}

// codeRE finds CBS area codes; group 2 is the gemeente number.
var codeRE = regexp.MustCompile(`\b(GM|WK|BU)(\d{4})`)

func checkGemeente(t *testing.T, run, gm string, gemeenten []geocode.Gemeente, dashboard []aggregate.Cell) {
	dir := filepath.Join(run, "gemeenten", gm)
	cells := readCells(t, filepath.Join(dir, "indicatoren.csv"))
	if len(cells) == 0 {
		t.Fatalf("%s: empty table", gm)
	}
	index := map[[7]string]aggregate.Cell{}
	for _, c := range dashboard {
		index[[7]string{c.Indicator, c.Gebiedsniveau, c.Gebiedscode, c.Periodetype, c.Periode, c.Uitsplitsing, c.Klasse}] = c
	}
	for _, c := range cells {
		if c.Gemeentecode != gm || !strings.HasPrefix(c.Gebiedscode[2:], gm[2:]) {
			t.Fatalf("%s/indicatoren.csv holds a row of another area: %+v", gm, c)
		}
		d, ok := index[[7]string{c.Indicator, c.Gebiedsniveau, c.Gebiedscode, c.Periodetype, c.Periode, c.Uitsplitsing, c.Klasse}]
		if !ok || d.Waarde != c.Waarde || d.Onderdrukt != c.Onderdrukt {
			t.Fatalf("%s/indicatoren.csv row %+v differs from the dashboard (%+v, found %v): tables could be subtracted", gm, c, d, ok)
		}
	}
	var others []string
	for _, g := range gemeenten {
		if g.Code != gm {
			others = append(others, g.Naam)
		}
	}
	x, err := excelize.OpenFile(filepath.Join(dir, "indicatoren.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	n := 0
	for _, sheet := range x.GetSheetList() {
		rows, err := x.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				n++
				for _, m := range codeRE.FindAllStringSubmatch(v, -1) {
					if m[2] != gm[2:] {
						t.Errorf("%s/indicatoren.xlsx [%s] row %d col %d: code %s of another gemeente", gm, sheet, r+1, c+1, m[0])
					}
				}
				for _, o := range others {
					if strings.Contains(v, o) {
						t.Errorf("%s/indicatoren.xlsx [%s] row %d col %d: name of gemeente %s", gm, sheet, r+1, c+1, o)
					}
				}
			}
		}
	}
	if n < len(cells) {
		t.Errorf("%s/indicatoren.xlsx has %d cells over all sheets, fewer than the %d rows of the CSV", gm, n, len(cells))
	}
}

func TestRunReproducible(t *testing.T) {
	fx := newFixture(t, 2000)
	a := mustRun(t, fx.options(t, "a"))
	b := mustRun(t, fx.options(t, "b"))
	// The run's output is a cross-stage golden file: a change in any stage
	// that moves a published number or a quarantine line shows here. The
	// dashboard is kept to its regio and gemeente years, the quarantine whole.
	latest := filepath.Join(fx.dir, "a", "out", "latest")
	var years []string
	for _, l := range strings.SplitAfter(string(readFile(t, filepath.Join(latest, "dashboard", "indicatoren.csv"))), "\n") {
		if f := strings.Split(l, ","); len(f) > 6 && (f[1] == "regio" || f[1] == "gemeente" || f[1] == "gebiedsniveau") && (f[5] == "jaar" || f[5] == "periodetype") {
			years = append(years, l)
		}
	}
	golden.Check(t, filepath.Join("..", "..", "testdata", "run", "indicatoren-jaar.csv"), []byte(strings.Join(years, "")))
	golden.Check(t, filepath.Join("..", "..", "testdata", "run", "quarantaine.csv"), readFile(t, pipeline.StateQuarantinePath(filepath.Join(fx.dir, "a", "state"), a.RunID)))
	golden.Check(t, filepath.Join("..", "..", "testdata", "run", "kwaliteit-quarantaine.csv"), readFile(t, filepath.Join(latest, "kwaliteit", "quarantaine.csv")))
	for _, f := range []string{"bronnen.csv", "definities.csv"} {
		golden.Check(t, filepath.Join("..", "..", "testdata", "run", f), readFile(t, filepath.Join(latest, "dashboard", f)))
	}
	if a.RunID == b.RunID {
		t.Fatalf("two runs share run id %s", a.RunID)
	}
	files := []string{"dashboard/indicatoren.csv", "dashboard/indicatoren.parquet", "kwaliteit/quarantaine.csv"}
	for _, g := range fx.region.Gemeenten {
		files = append(files, "gemeenten/"+g.Code+"/indicatoren.csv")
	}
	for _, f := range files {
		x := readFile(t, filepath.Join(fx.dir, "a", "out", "latest", f))
		y := readFile(t, filepath.Join(fx.dir, "b", "out", "latest", f))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs of the same inbox, key and date (%d vs %d bytes)", f, len(x), len(y))
		}
	}
	// The XLSX carries the run id in its summary sheet, so it is not
	// expected to be byte-identical; only note it.
	g := fx.region.Gemeenten[0].Code
	if !bytes.Equal(readFile(t, filepath.Join(fx.dir, "a", "out", "latest", "gemeenten", g, "indicatoren.xlsx")),
		readFile(t, filepath.Join(fx.dir, "b", "out", "latest", "gemeenten", g, "indicatoren.xlsx"))) {
		t.Logf("gemeenten/%s/indicatoren.xlsx differs between the runs (run id and times in the summary)", g)
	}

	// Another key changes the pseudonyms but not a single count.
	o := fx.options(t, "c")
	o.Key = []byte("another key of more than thirty-two bytes")
	mustRun(t, o)
	if !bytes.Equal(readFile(t, filepath.Join(fx.dir, "a", "out", "latest", files[0])), readFile(t, filepath.Join(o.Out, "latest", files[0]))) {
		t.Errorf("indicatoren.csv depends on the key")
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRunReportAndRegio: with Report each gemeente's HTML report lands in
// its own folder beside its tables, and a regio the reference names
// (a VRnn record) is the regio of the tables, the XLSX and the report.
func TestRunReportAndRegio(t *testing.T) {
	fx := newFixture(t, 1500)
	if err := os.WriteFile(filepath.Join(fx.ref, "regio.csv"), []byte("regiocode;regionaam\nVR99;Demoland\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	o := fx.options(t, "a")
	o.Report = true
	m := mustRun(t, o)
	run := filepath.Join(o.Out, "runs", m.RunID)
	for _, g := range fx.region.Gemeenten {
		html := readFile(t, filepath.Join(run, "gemeenten", g.Code, "report-"+g.Code+".html"))
		if !bytes.Contains(html, []byte("Demoland")) {
			t.Errorf("report of %s does not compare with the regio Demoland", g.Code)
		}
	}
	if loose, _ := filepath.Glob(filepath.Join(run, "report-*.html")); len(loose) > 0 {
		t.Errorf("reports beside the run instead of in the gemeente folders: %q", loose)
	}
	if m.Settings.Regio != "VR99" {
		t.Errorf("manifest regio %q, want VR99 from the reference", m.Settings.Regio)
	}
	cells := readCells(t, filepath.Join(run, "dashboard", "indicatoren.csv"))
	if !slices.ContainsFunc(cells, func(c aggregate.Cell) bool {
		return c.Gebiedsniveau == "regio" && c.Gebiedscode == "VR99" && c.Gebiedsnaam == "Demoland"
	}) {
		t.Errorf("no regio cell VR99 Demoland in the dashboard table")
	}
}

// A source whose locations are too rarely placed in a buurt fails the run
// like the quarantine threshold: nothing is published, and the error names
// every source, location and rate below the minimum.
func TestRunMatchRate(t *testing.T) {
	fx := newFixture(t, 2000)
	o := fx.options(t, "a")
	first := mustRun(t, o)
	for name, br := range first.Bronnen {
		for loc, r := range br.MatchRate {
			if r <= 0 || r > 1 {
				t.Errorf("%s %s: match rate %g", name, loc, r)
			}
		}
	}
	if first.Settings.MinMatchRate != pipeline.DefaultMinMatchRate {
		t.Errorf("manifest min_match_rate %g, want the default %g", first.Settings.MinMatchRate, pipeline.DefaultMinMatchRate)
	}

	o.MinMatchRate = 0.999 // the demo inbox places some locations in a gemeente only
	m, err := pipeline.Run(context.Background(), o)
	if !errors.Is(err, transform.ErrLowMatchRate) {
		t.Fatalf("run below the minimum match rate: error %v, want ErrLowMatchRate", err)
	}
	mre, ok := errors.AsType[*transform.MatchRateError](err)
	if !ok || len(mre.Rates) == 0 {
		t.Fatalf("error %v is no *MatchRateError naming the sources", err)
	}
	for _, r := range mre.Rates {
		if want := first.Bronnen[r.Source].MatchRate[r.Locatie]; r.Rate() != want || !strings.Contains(err.Error(), r.Source+" "+r.Locatie) {
			t.Errorf("error %q: %s %s rate %g, manifest says %g", err, r.Source, r.Locatie, r.Rate(), want)
		}
	}
	if m == nil || len(m.Bronnen) == 0 {
		t.Errorf("failed run returned no manifest with the rates")
	}
	assertOnlyRun(t, o, first.RunID)
}
