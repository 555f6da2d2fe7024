package main

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/ivz-twente/jeugd/internal/demo"
	"github.com/ivz-twente/jeugd/transform"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

// TestNoCanaryLeaks plants a unique canary in every identifier and location
// column of every source, runs the whole CLI in-process at debug level and
// then scans every byte the program wrote: published files (XLSX entries
// unzipped, Parquet decoded, the reports in the gemeente folders), STATE
// (the internal store dumped as text and as raw bytes, the operator's
// manifest and quarantine report, a failed run's report), the aggregate,
// query and check outputs, the captured logs and the temp dir. Not one
// canary may appear.
//
// The reference directory and the inbox are not scanned: canary postcodes
// are real values of the reference table, and the inbox is the input.
func TestNoCanaryLeaks(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole pipeline")
	}
	base := t.TempDir()
	dirs := map[string]string{}
	for _, d := range []string{"referentie", "inbox", "out", "state", "tmp", "analyse"} {
		dirs[d] = filepath.Join(base, d)
		if err := os.MkdirAll(dirs[d], 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := demo.WriteRegion(dirs["referentie"], 1); err != nil {
		t.Fatal(err)
	}
	ref, err := geocode.LoadReference(dirs["referentie"])
	if err != nil {
		t.Fatal(err)
	}
	st, err := demo.WriteInbox(dirs["inbox"], ref, demo.InboxOptions{Seed: 1, Rows: 4000, Today: time.Now(), Messy: true, Canary: true})
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(base, "jeugd.key")
	if err := transform.GenerateKey(keyFile); err != nil {
		t.Fatal(err)
	}
	// Anything written through os.TempDir (Go, excelize) lands here.
	t.Setenv("TMPDIR", dirs["tmp"])

	var logs bytes.Buffer // stdout and stderr of every command
	cli := func(wantCode int, args ...string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append(args, "--log-level", "debug", "--log-format", "json"), strings.NewReader(""), &stdout, &stderr)
		logs.Write(stdout.Bytes())
		logs.Write(stderr.Bytes())
		if code != wantCode {
			t.Fatalf("jeugd %s: exit %d, want %d\nstderr:\n%s", strings.Join(args, " "), code, wantCode, stderr.String())
		}
	}
	cli(exitOK, "run", "--inbox", dirs["inbox"], "--reference", dirs["referentie"], "--out", dirs["out"],
		"--state", dirs["state"], "--key-file", keyFile, "--max-quarantine-rate", "0.5", "--report")
	for _, format := range []string{"csv", "json", "xlsx", "parquet"} {
		cli(exitOK, "aggregate", "minderjarige_daders", "--per", "gemeente", "--periode", "jaar", "--uitsplitsing", "leeftijdsklasse",
			"--out", dirs["out"], "--format", format, "--output", filepath.Join(dirs["analyse"], "daders."+format))
	}
	cli(exitOK, "aggregate", "jeugdoverlast", "--per", "wijk", "--out", dirs["out"])
	cli(exitOK, "query", "select * from indicatoren", "--out", dirs["out"], "--format", "csv")
	cli(exitOK, "query", "select gebiedsnaam, sum(waarde) from indicatoren group by 1", "--out", dirs["out"])
	// check prints quarantine reasons, so it is a leak path of its own.
	for _, f := range st.Files {
		cli(exitOK, "check", filepath.Join(dirs["inbox"], filepath.FromSlash(f.Path)), "--show", "1000")
	}
	// A run over the quarantine threshold keeps its quality report in
	// STATE/failed: scanned below with the rest of STATE.
	cli(exitQuality, "run", "--inbox", dirs["inbox"], "--reference", dirs["referentie"], "--out", dirs["out"],
		"--state", dirs["state"], "--key-file", keyFile, "--max-quarantine-rate", "0.0001")
	if failed, _ := filepath.Glob(filepath.Join(dirs["state"], "failed", "*", "quarantaine.csv")); len(failed) != 1 {
		t.Errorf("failed run reports %q; want one to scan", failed)
	}
	if hasCommand("report") {
		cli(exitOK, "report", "--out", dirs["out"], "--reference", dirs["referentie"], "--dir", dirs["analyse"])
	} else {
		t.Log("no `jeugd report` command yet: its output is not scanned")
	}

	// Positive control: the same scanner over the inbox must find them.
	control := newCanaryScanner(st.Canaries)
	control.scanDir(t, dirs["inbox"])
	if len(control.hits) < len(st.Canaries) {
		t.Fatalf("the scanner finds %d canary hits in the inbox itself; want at least %d", len(control.hits), len(st.Canaries))
	}

	s := newCanaryScanner(st.Canaries)
	s.scan("logs (stdout and stderr)", logs.Bytes())
	for _, d := range []string{"out", "state", "tmp", "analyse"} {
		s.scanDir(t, dirs[d])
	}
	// Every published file is scanned, those added since included.
	for _, f := range []string{"dashboard/bronnen.csv", "dashboard/definities.csv", "dashboard/indicatoren.csv", "manifest.json"} {
		found := false
		for _, sc := range s.scanned {
			found = found || strings.HasSuffix(filepath.ToSlash(sc), f)
		}
		if !found {
			t.Errorf("%s was not scanned", f)
		}
	}
	stores, _ := filepath.Glob(filepath.Join(dirs["state"], "runs", "*.duckdb"))
	if len(stores) != 1 {
		t.Fatalf("state holds stores %v; want exactly one", stores)
	}
	s.scanStore(t, stores[0])
	entries, err := os.ReadDir(dirs["tmp"])
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("the run left %s in the temp dir", e.Name())
	}
	t.Logf("%d canary values planted (%d needles with variants, %d hits in the inbox as control), %d sources of bytes scanned (%d bytes), %d hits",
		len(st.Canaries), s.needles, len(control.hits), len(s.scanned), s.bytes, len(s.hits))
	for _, h := range s.hits {
		t.Errorf("canary leaked: %s", h)
	}
}

func hasCommand(name string) bool {
	a := &app{stdout: io.Discard, stderr: io.Discard}
	for _, c := range a.rootCommand().Commands() {
		if c.Name() == name {
			return true
		}
	}
	return false
}

// canaryScanner finds canaries in text. Every canary is searched raw and
// case-insensitively (the text is lower-cased), with all white space
// removed, postcodes also as "1234 ab", coordinates with the other decimal
// separator, free-text tokens on their own and case numbers by their digits.
type canaryScanner struct {
	byPrefix map[string][]needle // needles by their first prefixLen bytes
	needles  int
	scanned  []string
	bytes    int
	hits     []string
}

type needle struct{ text, canary string }

const prefixLen = 6 // the shortest needle: a postcode

var (
	postcodeRe = regexp.MustCompile(`^[1-9][0-9]{3}[A-Z]{2}$`)
	coordRe    = regexp.MustCompile(`^[0-9]+[,.][0-9]+$`)
	tokenRe    = regexp.MustCompile(`q[a-z]{8}`)
	digitsRe   = regexp.MustCompile(`[0-9]{9,}`)
	// Pseudonyms, sha256 digests and hashes are long hex runs; a hex-only
	// postcode such as 7621AB would match them by chance. They are masked
	// before scanning; scanStore checks the pseudonym columns by shape.
	hexRunRe = regexp.MustCompile(`[0-9a-f]{32,}`)
	spaceRe  = regexp.MustCompile(`\s+`)
)

func newCanaryScanner(canaries []string) *canaryScanner {
	s := &canaryScanner{byPrefix: map[string][]needle{}}
	seen := map[string]bool{}
	add := func(text, canary string) {
		if len(text) < prefixLen || seen[text] {
			return
		}
		seen[text] = true
		s.needles++
		s.byPrefix[text[:prefixLen]] = append(s.byPrefix[text[:prefixLen]], needle{text, canary})
	}
	for _, c := range canaries {
		low := strings.ToLower(c)
		add(low, c)
		add(spaceRe.ReplaceAllString(low, ""), c)
		if postcodeRe.MatchString(c) {
			add(low[:4]+" "+low[4:], c)
		}
		if coordRe.MatchString(c) {
			add(strings.NewReplacer(",", ".", ".", ",").Replace(low), c)
		}
		for _, tok := range tokenRe.FindAllString(low, -1) {
			add(tok, c)
		}
		for _, d := range digitsRe.FindAllString(low, -1) {
			add(d, c)
		}
	}
	return s
}

func (s *canaryScanner) scan(source string, data []byte) {
	s.scanned = append(s.scanned, source)
	s.bytes += len(data)
	text := hexRunRe.ReplaceAll(bytes.ToLower(data), []byte("#"))
	for i := 0; i+prefixLen <= len(text); i++ {
		for _, n := range s.byPrefix[string(text[i:i+prefixLen])] {
			if bytes.HasPrefix(text[i:], []byte(n.text)) {
				// The canaries are synthetic, so showing the context is safe.
				lo, hi := max(0, i-20), min(len(text), i+len(n.text)+20)
				s.hits = append(s.hits, fmt.Sprintf("%s at byte %d: canary %q in %q", source, i, n.canary, text[lo:hi]))
			}
		}
	}
}

// scanDir scans every regular file under dir as bytes, and in addition
// every XLSX entry unzipped and every Parquet file decoded to text.
func (s *canaryScanner) scanDir(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(filepath.Dir(dir), path)
		if filepath.Ext(path) != ".parquet" {
			s.scan(rel, data)
		}
		switch filepath.Ext(path) {
		case ".xlsx":
			zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				return fmt.Errorf("%s: %w", rel, err)
			}
			for _, f := range zr.File {
				rc, err := f.Open()
				if err != nil {
					return fmt.Errorf("%s: %w", rel, err)
				}
				entry, err := io.ReadAll(rc)
				rc.Close()
				if err != nil {
					return fmt.Errorf("%s: %w", rel, err)
				}
				s.scan(rel+"!"+f.Name, entry)
			}
		case ".parquet":
			// Scanned decoded: the rows, the column names and the key-value
			// metadata with the Arrow schema unwrapped from base64. The raw
			// bytes are not scanned, since that base64 holds runs like
			// "QAAAAAAAK" that match low-numbered canary tokens by chance.
			s.scanQuery(t, rel+" (rows)", "", "select * from read_parquet('"+path+"')")
			s.scanQuery(t, rel+" (schema)", "", "select name from parquet_schema('"+path+"')")
			s.scanParquetMetadata(t, rel+" (metadata)", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// scanStore dumps every table of the internal store as text. The persoon
// and zaak columns must hold pseudonyms only: PseudonymLen hex digits.
func (s *canaryScanner) scanStore(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("duckdb", path+"?access_mode=READ_ONLY")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tables := queryStrings(t, db, "select table_name from information_schema.tables order by 1")
	if len(tables) == 0 {
		t.Fatal("the store has no tables")
	}
	var allowed []string
	for _, f := range transform.EventSchema.Fields() {
		allowed = append(allowed, f.Name)
	}
	pseudonym := regexp.MustCompile(fmt.Sprintf(`^[0-9a-f]{%d}$`, transform.PseudonymLen))
	for _, table := range tables {
		cols := queryStrings(t, db, "select column_name from information_schema.columns where table_name = '"+table+"' order by ordinal_position")
		for _, c := range cols {
			// House numbers and birth dates cannot be made distinctive (the
			// demo draws them from the reference table and the calendar), so
			// they are checked by structure: no store column may hold them.
			if !slices.Contains(allowed, c) {
				t.Errorf("store table %s has column %s, which is not in transform.EventSchema", table, c)
			}
		}
		s.scanQuery(t, "store table "+table, path, "select * from "+table)
		for _, c := range []string{transform.ColPersoon, transform.ColZaak} {
			if !slices.Contains(cols, c) {
				continue
			}
			for _, v := range queryStrings(t, db, fmt.Sprintf("select distinct %s from %s where %s is not null", c, table, c)) {
				if !pseudonym.MatchString(v) {
					t.Errorf("store %s.%s holds a value that is not a pseudonym (%d characters)", table, c, len(v))
					break
				}
			}
		}
	}
}

func (s *canaryScanner) scanParquetMetadata(t *testing.T, source, path string) {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("select key, value from parquet_kv_metadata('" + path + "')")
	if err != nil {
		t.Fatalf("%s: %v", source, err)
	}
	defer rows.Close()
	var buf bytes.Buffer
	for rows.Next() {
		var k, v []byte
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatalf("%s: %v", source, err)
		}
		if string(k) == "ARROW:schema" {
			dec, err := base64.StdEncoding.DecodeString(string(v))
			if err != nil {
				t.Fatalf("%s: ARROW:schema: %v", source, err)
			}
			v = dec
		}
		buf.Write(k)
		buf.WriteByte('\t')
		buf.Write(v)
		buf.WriteByte('\n')
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", source, err)
	}
	if buf.Len() == 0 {
		t.Errorf("%s: no key-value metadata; expected at least the Arrow schema", source)
	}
	s.scan(source, buf.Bytes())
}

// scanQuery runs query on an in-memory DuckDB (or the read-only database
// at path) and scans the result as tab-separated text.
func (s *canaryScanner) scanQuery(t *testing.T, source, path, query string) {
	t.Helper()
	dsn := ""
	if path != "" {
		dsn = path + "?access_mode=READ_ONLY"
	}
	db, err := sql.Open("duckdb", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", source, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var buf bytes.Buffer
	buf.WriteString(strings.Join(cols, "\t") + "\n")
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("%s: %v", source, err)
		}
		for i, v := range vals {
			if i > 0 {
				buf.WriteByte('\t')
			}
			switch v := v.(type) {
			case nil:
			case []byte:
				buf.Write(v)
			default:
				fmt.Fprint(&buf, v)
			}
		}
		buf.WriteByte('\n')
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", source, err)
	}
	s.scan(source, buf.Bytes())
}

func queryStrings(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// Make sure the scanner itself finds what it should: a scanner that finds
// nothing would pass the leak test trivially.
func TestCanaryScanner(t *testing.T) {
	canaries := []string{"7621AB", "123456782", "245123,45", "Melding overlast jeugd (kenmerk Qhabcdefg)", "PL0600-20240000123"}
	tests := []struct {
		text string
		hits int
	}{
		{"nothing here: BU01470001,7,false", 0},
		{"postcode 7621 ab in a log", 1},
		{"POSTCODE 7621AB", 1},
		{`{"bsn":"123456782"}`, 1},
		{"x=245123.45", 1},
		{"reason: kenmerk QHABCDEFG", 1},
		{"meldingoverlastjeugd(kenmerkqhabcdefg)", 2}, // white space removed, and the token itself
		{"regnr 20240000123 without prefix", 1},
		{"a pseudonym 00112233445566778899aabb7621abff00", 0}, // hex runs are masked
	}
	for _, tt := range tests {
		s := newCanaryScanner(canaries)
		s.scan("test", []byte(tt.text))
		if len(s.hits) != tt.hits {
			t.Errorf("scan(%q) = %d hits %v; want %d", tt.text, len(s.hits), s.hits, tt.hits)
		}
	}
}

// TestKeyRotate rotates the key between two runs: the old key is kept
// owner-only, the second run re-pseudonymises everything (no pseudonym of
// the first store survives) and removes the first store, and the state
// directory and store are owner-only.
func TestKeyRotate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole pipeline twice")
	}
	base := t.TempDir()
	refDir, inbox := filepath.Join(base, "referentie"), filepath.Join(base, "inbox")
	out, state, keyFile := filepath.Join(base, "out"), filepath.Join(base, "state"), filepath.Join(base, "jeugd.key")
	if err := demo.WriteRegion(refDir, 3); err != nil {
		t.Fatal(err)
	}
	ref, err := geocode.LoadReference(refDir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.WriteInbox(inbox, ref, demo.InboxOptions{Seed: 3, Rows: 1500, Today: time.Now()}); err != nil {
		t.Fatal(err)
	}
	cli := func(args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr); code != exitOK {
			t.Fatalf("jeugd %s: exit %d\n%s", strings.Join(args, " "), code, stderr.String())
		}
		return stdout.String()
	}
	runArgs := []string{"run", "--inbox", inbox, "--reference", refDir, "--out", out, "--state", state,
		"--key-file", keyFile, "--log-level", "error"}
	storePseudonyms := func() (string, map[string]bool) {
		t.Helper()
		stores, _ := filepath.Glob(filepath.Join(state, "runs", "*.duckdb"))
		if len(stores) != 1 {
			t.Fatalf("state holds stores %v; want exactly one", stores)
		}
		db, err := sql.Open("duckdb", stores[0]+"?access_mode=READ_ONLY")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		set := map[string]bool{}
		for _, v := range queryStrings(t, db, "select distinct persoon from events where persoon is not null") {
			set[v] = true
		}
		if len(set) == 0 {
			t.Fatal("the store holds no person pseudonyms")
		}
		return stores[0], set
	}

	cli("key", "generate", keyFile)
	cli(runArgs...)
	store1, before := storePseudonyms()
	for path, want := range map[string]os.FileMode{state: 0o700, filepath.Join(state, "runs"): 0o700, store1: 0o600} {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, %v; want %v", path, fi.Mode().Perm(), err, want)
		}
	}
	oldKey, _ := os.ReadFile(keyFile)

	msg := cli("key", "rotate", "--key-file", keyFile)
	oldFile := keyFile + "." + time.Now().Format("2006-01-02") + ".old"
	if !strings.Contains(msg, oldFile) {
		t.Errorf("key rotate says %q; want it to name %s", msg, oldFile)
	}
	if kept, err := os.ReadFile(oldFile); err != nil || !bytes.Equal(kept, oldKey) {
		t.Errorf("old key not kept in %s: %v", oldFile, err)
	}
	if fi, err := os.Stat(oldFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("%s: mode %v, %v; want 0600", oldFile, fi.Mode().Perm(), err)
	}

	cli(runArgs...)
	store2, after := storePseudonyms()
	if store2 == store1 {
		t.Error("the second run did not replace the store")
	}
	if _, err := os.Stat(store1); err == nil {
		t.Error("the store built with the old key is still there after the next run")
	}
	same := 0
	for p := range after {
		if before[p] {
			same++
		}
	}
	if same != 0 || len(after) != len(before) {
		t.Errorf("after rotation %d of %d pseudonyms are unchanged (before: %d persons); want 0 of the same number",
			same, len(after), len(before))
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"key", "rotate"}, strings.NewReader(""), &stdout, &stderr); code != exitUsage {
		t.Errorf("key rotate without --key-file: exit %d; want %d", code, exitUsage)
	}
}
