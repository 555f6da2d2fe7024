package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/ivz-twente/jeugd/aggregate"
	"github.com/ivz-twente/jeugd/internal/demo"
)

// demoRun is the one publication the analyst tests read (they only read
// it): made by the first test that needs it, removed by TestMain.
var demoRun struct {
	once       sync.Once
	dir        string
	out, state string
	err        error
}

// publishDemo runs the pipeline once per test binary on a small demo inbox
// and returns OUT and STATE.
func publishDemo(t *testing.T) (out, state string) {
	t.Helper()
	demoRun.once.Do(func() {
		demoRun.dir, demoRun.err = os.MkdirTemp("", "jeugd-analyse-")
		if demoRun.err == nil {
			demoRun.out, demoRun.state, demoRun.err = runDemo(demoRun.dir)
		}
	})
	if demoRun.err != nil {
		t.Fatal(demoRun.err)
	}
	return demoRun.out, demoRun.state
}

func TestMain(m *testing.M) {
	os.Unsetenv(ConfigEnv) // a developer's own config must not steer the tests
	code := m.Run()
	if demoRun.dir != "" {
		os.RemoveAll(demoRun.dir)
	}
	os.Exit(code)
}

func runDemo(dir string) (out, state string, err error) {
	ref := filepath.Join(dir, "ref")
	region, err := demo.Region(ref, 1)
	if err != nil {
		return "", "", err
	}
	inbox := filepath.Join(dir, "inbox")
	if _, err := demo.WriteInbox(inbox, region, demo.InboxOptions{Seed: 3, Rows: 8000, Today: time.Now()}); err != nil {
		return "", "", err
	}
	key := filepath.Join(dir, "key")
	out, state = filepath.Join(dir, "out"), filepath.Join(dir, "state")
	cli := func(args ...string) error {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr); code != 0 {
			return fmt.Errorf("jeugd %s: exit %d: %s", args[0], code, stderr.String())
		}
		return nil
	}
	if err := cli("key", "generate", key); err != nil {
		return "", "", err
	}
	err = cli("run", "--inbox", inbox, "--reference", ref, "--out", out, "--state", state, "--key-file", key, "--log-level", "error")
	return out, state, err
}

// cellValue is how a published cell reads: its number or "x".
type cellValue map[string]string // "gebiedscode periode" -> value

// dashboardValues reads the published CSV rows the aggregate call below asks for.
func dashboardValues(t *testing.T, out string) cellValue {
	t.Helper()
	f, err := os.Open(filepath.Join(out, "latest", "dashboard", "indicatoren.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := cellValue{}
	for _, r := range recs[1:] {
		if r[0] == "minderjarige_daders" && r[1] == "buurt" && r[4] == "GM9901" && r[5] == "jaar" && r[7] == "totaal" {
			got[r[2]+" "+r[6]] = value(r[9], r[10] == "true")
		}
	}
	if len(got) == 0 {
		t.Fatal("the published table has no buurt rows for GM9901")
	}
	return got
}

func value(waarde string, onderdrukt bool) string {
	if onderdrukt {
		return "x"
	}
	return waarde
}

// The analysts' answer equals the published cells, in every format.
func TestAggregateEqualsPublished(t *testing.T) {
	out, state := publishDemo(t)
	want := dashboardValues(t, out)
	base := []string{"aggregate", "minderjarige_daders", "--per", "buurt", "--periode", "jaar", "--gemeente", "demodorp", "--out", out}

	stdout, stderr, code := runCLI(t, nil, base...)
	if code != 0 {
		t.Fatalf("aggregate: exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	periods := strings.Fields(lines[0])[2:]
	table := cellValue{}
	for _, l := range lines[1 : len(lines)-1] { // the last line is the legend
		f := strings.Fields(l)
		vals := f[len(f)-len(periods):]
		for i, p := range periods {
			table[f[0]+" "+p] = vals[i]
		}
	}
	if diff := cmp.Diff(want, table); diff != "" {
		t.Errorf("table output differs from indicatoren.csv (-published +table):\n%s", diff)
	}
	if !strings.Contains(lines[len(lines)-1], "x = onderdrukt") {
		t.Errorf("table legend = %q; want it to explain x", lines[len(lines)-1])
	}

	dir := t.TempDir()
	for _, format := range []string{"csv", "json", "xlsx", "parquet"} {
		path := filepath.Join(dir, "daders."+format)
		if _, stderr, code := runCLI(t, nil, append(base, "--format", format, "--output", path)...); code != 0 {
			t.Fatalf("aggregate --format %s: exit %d: %s", format, code, stderr)
		}
		if diff := cmp.Diff(want, readFormat(t, format, path)); diff != "" {
			t.Errorf("--format %s differs from indicatoren.csv (-published +%s):\n%s", format, format, diff)
		}
	}

	_, stderr, code = runCLI(t, nil, append(base, "--min-count", "3")...)
	if code != exitUsage || !strings.Contains(stderr, "below the run's k = 5") {
		t.Errorf("aggregate --min-count 3 after a k=5 run: exit %d, %q; want exit 2 refusing it", code, stderr)
	}
	stdout, stderr, code = runCLI(t, nil, append(base, "--min-count", "8", "--state", state)...)
	if code != 0 {
		t.Fatalf("aggregate --min-count 8: exit %d: %s", code, stderr)
	}
	for k, v := range want {
		if v == "x" && !strings.Contains(stdout, strings.Fields(k)[0]) {
			t.Errorf("stricter k output lacks %s", k)
		}
	}
	for _, l := range strings.Split(stdout, "\n") {
		for _, f := range strings.Fields(l) {
			if n, err := strconv.Atoi(f); err == nil && n > 0 && n < 8 && !strings.HasPrefix(f, "20") {
				t.Errorf("stricter k=8 output shows %d: %q", n, l)
			}
		}
	}

	for _, bad := range [][]string{
		{"aggregate", "geen_indicator", "--out", out},
		{"aggregate", "jeugdoverlast", "--gemeente", "nergenshuizen", "--out", out},
		{"aggregate", "jeugdoverlast", "--periode", "week", "--out", out},
		{"aggregate", "jeugdoverlast", "--van", "2025-13", "--out", out},
		{"aggregate", "jeugdoverlast", "--uitsplitsing", "geslacht", "--out", out},
	} {
		_, stderr, code := runCLI(t, nil, bad...)
		if code != exitUsage || !strings.Contains(stderr, "choose one of") && !strings.Contains(stderr, "YYYY-MM") {
			t.Errorf("jeugd %s: exit %d, %q; want exit 2 listing the valid choices", strings.Join(bad, " "), code, stderr)
		}
		if strings.Contains(stderr, ", \n") || strings.Contains(stderr, ",\n") {
			t.Errorf("jeugd %s: message ends in a comma: %q", strings.Join(bad, " "), stderr)
		}
	}
}

// readFormat reads an aggregate output file back as published values.
func readFormat(t *testing.T, format, path string) cellValue {
	t.Helper()
	got := cellValue{}
	add := func(code, periode, waarde string, onderdrukt bool) { got[code+" "+periode] = value(waarde, onderdrukt) }
	switch format {
	case "csv":
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs[1:] {
			add(r[2], r[6], r[9], r[10] == "true")
		}
	case "json":
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var cells []jsonCell
		if err := json.Unmarshal(data, &cells); err != nil {
			t.Fatal(err)
		}
		for _, c := range cells {
			w := ""
			if c.Waarde != nil {
				w = strconv.FormatInt(*c.Waarde, 10)
			}
			add(c.Gebiedscode, c.Periode, w, c.Onderdrukt)
		}
	case "xlsx":
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows("indicatoren")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows[1:] {
			if len(r) < 11 {
				continue // the legend line
			}
			add(r[2], r[6], r[9], r[10] == "TRUE" || r[10] == "true" || r[10] == "1")
		}
	case "parquet":
		db, err := sql.Open("duckdb", "")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		rows, err := db.Query(fmt.Sprintf("SELECT gebiedscode, periode, coalesce(CAST(waarde AS VARCHAR), ''), onderdrukt FROM read_parquet('%s')", path))
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var code, periode, waarde string
			var onderdrukt bool
			if err := rows.Scan(&code, &periode, &waarde, &onderdrukt); err != nil {
				t.Fatal(err)
			}
			add(code, periode, waarde, onderdrukt)
		}
	}
	return got
}

func TestQueryReadOnly(t *testing.T) {
	out, _ := publishDemo(t)
	stdout, stderr, code := runCLI(t, nil, "query", "select indicator, sum(waarde) from indicatoren group by 1 order by 1", "--out", out, "--format", "csv")
	if code != 0 {
		t.Fatalf("query: exit %d: %s", code, stderr)
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n")[1:] {
		got = append(got, strings.Split(l, ",")[0])
	}
	want := []string{"feiten_minderjarigen", "halt_verwijzingen", "jeugdige_slachtoffers", "jeugdoverlast",
		"jgz_signalen", "minderjarige_daders", "slachtoffers", "verzuimmeldingen"}
	sort.Strings(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("query indicators (-want +got):\n%s", diff)
	}
	for _, q := range []string{
		"create table x as select 1",
		"insert into indicatoren select * from indicatoren",
		"copy indicatoren to '/tmp/x.csv'",
		"attach 'x.duckdb'",
		"select 1; drop table indicatoren",
		"select * from read_csv('/etc/passwd')",
	} {
		_, stderr, code := runCLI(t, nil, "query", q, "--out", out)
		if code == 0 {
			t.Errorf("query %q succeeded; want it refused", q)
		}
		if strings.Contains(stderr, "root:") {
			t.Errorf("query %q leaked file content: %s", q, stderr)
		}
	}
	if _, stderr, code := runCLI(t, nil, "query", "create table x as select 1", "--out", out); code != exitUsage || !strings.Contains(stderr, "read-only") {
		t.Errorf("query create: exit %d, %q; want exit 2 with a read-only message", code, stderr)
	}
	// Two statements, a write, an unbounded query, a memory-hungry one and
	// a long result all exit 2 within seconds.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"update indicatoren set waarde = 7 where onderdrukt; select count(*) from indicatoren"}, "only one read-only SELECT"},
		{[]string{"delete from indicatoren"}, "read-only"},
		{[]string{"select count(*) from range(10000000000000)", "--timeout", "1s"}, "--timeout 1s"},
		{[]string{"select sum(len(l)) from (select list(range) l from range(300000000))", "--memory-limit", "128MB"}, "--memory-limit 128MB"},
		{[]string{"select * from indicatoren", "--max-rows", "10"}, "--max-rows 10"},
		{[]string{"selec 1"}, "syntax error"},
	} {
		start := time.Now()
		_, stderr, code := runCLI(t, nil, append(append([]string{"query"}, tc.args...), "--out", out)...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) || time.Since(start) > 10*time.Second {
			t.Errorf("query %q: exit %d after %v, stderr %q; want exit 2 within seconds, saying %q", tc.args, code, time.Since(start), stderr, tc.want)
		}
	}
}

func TestReportCommand(t *testing.T) {
	out, _ := publishDemo(t)
	path := filepath.Join(t.TempDir(), "demodorp.html")
	if _, stderr, code := runCLI(t, nil, "report", "--gemeente", "Demodorp", "--output", path, "--out", out); code != 0 {
		t.Fatalf("report: exit %d: %s", code, stderr)
	}
	html, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(html)
	if n := strings.Count(s, "<svg"); n < 9 {
		t.Errorf("report has %d <svg> elements; want charts and a map per indicator", n)
	}
	if strings.Contains(strings.ReplaceAll(s, `xmlns="http://www.w3.org/2000/svg"`, ""), "http") {
		t.Error("report refers to an external address")
	}

	// --dir is created when it does not exist.
	dir := filepath.Join(t.TempDir(), "rapporten", "2025")
	if _, stderr, code := runCLI(t, nil, "report", "--gemeente", "Demodorp", "--dir", dir, "--out", out); code != 0 {
		t.Fatalf("report --dir into a new folder: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "report-GM9901.html")); err != nil {
		t.Errorf("report --dir: %v", err)
	}
}

// TestWriteTableOrder: the classes of a breakdown come out in reading
// order whatever order the cells arrive in.
func TestWriteTableOrder(t *testing.T) {
	var cells []aggregate.Cell
	for _, gm := range []string{"GM9901", "GM9902"} {
		for _, k := range []string{"onbekend", "15-17", "0-11", "23+", "12-14", "18-22"} {
			for _, p := range []string{"2024", "2023"} {
				cells = append(cells, aggregate.Cell{Indicator: "jeugdige_slachtoffers", Gebiedsniveau: "gemeente", Gebiedscode: gm,
					Gebiedsnaam: gm, Periodetype: "jaar", Periode: p, Uitsplitsing: "leeftijdsklasse", Klasse: k, Waarde: 7})
			}
		}
	}
	var want string
	for i := range 20 {
		rng := rand.New(rand.NewPCG(uint64(i), 1))
		shuffled := slices.Clone(cells)
		rng.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		// Areas keep the order the cells bring; put GM9901 first.
		slices.SortStableFunc(shuffled, func(a, b aggregate.Cell) int { return strings.Compare(a.Gebiedscode, b.Gebiedscode) })
		var b strings.Builder
		if err := writeTable(&b, shuffled); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			want = b.String()
			var klassen []string
			for _, l := range strings.Split(want, "\n")[1:3] {
				klassen = append(klassen, strings.Fields(l)[2])
			}
			if !slices.Equal(klassen, []string{"0-11", "12-14"}) {
				t.Errorf("first classes %q, want 0-11 and 12-14:\n%s", klassen, want)
			}
		} else if b.String() != want {
			t.Fatalf("order %d of the same cells printed\n%s\nwant\n%s", i, b.String(), want)
		}
	}
	if !strings.Contains(want, "onbekend") || strings.Index(want, "23+") > strings.Index(want, "onbekend") {
		t.Errorf("onbekend is not the last class:\n%s", want)
	}
}
