package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ivz-twente/jeugd/internal/demo"
	"github.com/ivz-twente/jeugd/internal/pipeline"
	"github.com/ivz-twente/jeugd/schemas"
)

// runCLI calls run in-process as the binary would and returns its output.
func runCLI(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

func TestSchemasList(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "schemas")
	if code != exitOK {
		t.Fatalf("jeugd schemas: exit %d, stderr %q", code, errOut)
	}
	want := []string{"halt-verwijzingen", "jgz-signalen", "leerplicht-verzuim", "om-zaken",
		"politie-incidenten", "politie-slachtoffers", "politie-verdachten"}
	var got []string
	for _, line := range strings.Split(out, "\n")[1:] {
		if f := strings.Fields(line); len(f) > 0 && strings.Contains(f[0], "-") {
			got = append(got, f[0])
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("jeugd schemas listed %q, want %q", got, want)
	}
	if !strings.Contains(out, "7 sources (builtin)") {
		t.Errorf("jeugd schemas output lacks the \"7 sources (builtin)\" summary:\n%s", out)
	}
}

func TestSchemasShow(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "schemas", "show", "politie-verdachten")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	src := schemas.Builtin().Source("politie-verdachten")
	for _, f := range src.Fields {
		line := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(f.Name) + `\s+` + string(f.Type) + `\s+` + string(f.Role) + `\s.*$`).FindString(out)
		if line == "" {
			t.Errorf("no table line for field %s (%s, %s) in:\n%s", f.Name, f.Type, f.Role, out)
			continue
		}
		for _, a := range f.Aliases {
			if !strings.Contains(line, a) {
				t.Errorf("line of field %s lacks alias %q: %q", f.Name, a, line)
			}
		}
		if f.Required != strings.Contains(line, " yes ") {
			t.Errorf("line of field %s: required %v not shown: %q", f.Name, f.Required, line)
		}
	}

	_, errOut, code = runCLI(t, nil, "schemas", "show", "politie-onbekend")
	if code != exitUsage || !strings.Contains(errOut, "politie-verdachten") {
		t.Errorf("schemas show of an unknown source: exit %d, stderr %q; want exit %d listing the sources", code, errOut, exitUsage)
	}
}

// Canary values planted in rejected rows: none may appear in any output.
const (
	canaryBSN        = "111222333" // passes the elfproef
	canaryNaam       = "Vlasbloemhuis"
	canaryVoornaam   = "Gerritdina"
	canaryPostcode   = "7622 ZX"
	canaryHuisnummer = "4271"
	canaryRegnr      = "PL0600-2025999888"
)

func TestCheckGoodCSV(t *testing.T) {
	src := schemas.Builtin().Source("politie-verdachten")
	path := filepath.Join(t.TempDir(), "verdachten.csv")
	writeCSV(t, path, src, csvStyle{comma: ',', utf8: true}, 6, nil)
	out, errOut, code := runCLI(t, nil, "check", path)
	if code != exitOK {
		t.Fatalf("check good file: exit %d, stderr %q", code, errOut)
	}
	want := "verdachten.csv: source politie-verdachten\n  rows read        6\n  rows accepted    6\n  rows quarantined 0\n" +
		"  location rule    not applied: give --reference DIR to check locations against the CBS reference\n"
	if out != want {
		t.Errorf("check good file printed\n%s\nwant\n%s", out, want)
	}
}

func TestCheckBrokenRow(t *testing.T) {
	src := schemas.Builtin().Source("politie-verdachten")
	path := filepath.Join(t.TempDir(), "verdachten.csv")
	// Row 4 of the file (3rd data row) has an impossible birth date and
	// otherwise the canaries in every identifying column.
	writeCSV(t, path, src, csvStyle{comma: ';', utf8: true}, 5, func(i int, f *schemas.Field) (string, bool) {
		if i != 2 {
			return "", false
		}
		switch f.Name {
		case "geboortedatum":
			return "31-02-2009", true
		case "bsn":
			return canaryBSN, true
		case "achternaam":
			return canaryNaam, true
		case "voornamen":
			return canaryVoornaam, true
		case "woon_postcode":
			return canaryPostcode, true
		case "woon_huisnummer":
			return canaryHuisnummer, true
		case "registratienummer":
			return canaryRegnr, true
		}
		return "", false
	})
	out, errOut, code := runCLI(t, nil, "check", "--bron", "politie-verdachten", path)
	if code != exitOK {
		t.Fatalf("check: exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{
		"rows read        5\n", "rows accepted    4\n", "rows quarantined 1\n",
		`verdachten.csv:4: column "` + header(src.Field("geboortedatum")) + `": is not a date`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	assertNoCanary(t, out+errOut)
}

func assertNoCanary(t *testing.T, s string) {
	t.Helper()
	for _, c := range []string{canaryBSN, canaryNaam, canaryVoornaam, canaryPostcode, strings.ReplaceAll(canaryPostcode, " ", ""), canaryRegnr} {
		if strings.Contains(s, c) {
			t.Errorf("output holds the planted value %q:\n%s", c, s)
		}
	}
	if regexp.MustCompile(`\b` + canaryHuisnummer + `\b`).MatchString(s) {
		t.Errorf("output holds the planted house number %s:\n%s", canaryHuisnummer, s)
	}
}

func TestCheckFileErrors(t *testing.T) {
	dir := t.TempDir()
	src := schemas.Builtin().Source("politie-verdachten")

	missing := filepath.Join(dir, "zonder_pleegdatum.csv")
	writeCSV(t, missing, src, csvStyle{comma: ',', utf8: true, drop: "pleegdatum"}, 3, nil)

	notSource := filepath.Join(dir, "onbekend.csv")
	if err := os.WriteFile(notSource, []byte("kolom_a;kolom_b\n1;2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "leeg.csv")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	// A zip header followed by garbage: recognised as XLSX, unreadable.
	corrupt := filepath.Join(dir, "kapot.xlsx")
	if err := os.WriteFile(corrupt, append([]byte("PK\x03\x04\x14\x00\x00\x00"), bytes.Repeat([]byte{0xde, 0xad}, 300)...), 0o600); err != nil {
		t.Fatal(err)
	}
	notZip := filepath.Join(dir, "tekst.xlsx")
	if err := os.WriteFile(notZip, []byte("registratienummer,pleegdatum\nA,01-01-2025\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(dir, "afgekapt.xlsx")
	writeXLSX(t, filepath.Join(dir, "heel.xlsx"), src, 3, 0)
	whole, err := os.ReadFile(filepath.Join(dir, "heel.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(truncated, whole[:len(whole)/2], 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		args []string
		want []string // substrings of stderr
	}{
		{"missing column", []string{"check", "--bron", "politie-verdachten", missing}, []string{"zonder_pleegdatum.csv", "pleegdatum"}},
		{"missing column detected", []string{"check", missing}, []string{"zonder_pleegdatum.csv"}},
		{"no source detected", []string{"check", notSource}, []string{"onbekend.csv", "file matches no source; name the source with --bron"}},
		{"zero-byte file", []string{"check", "--bron", "politie-verdachten", empty}, []string{"leeg.csv"}},
		{"corrupt xlsx", []string{"check", "--bron", "politie-verdachten", corrupt}, []string{"kapot.xlsx"}},
		{"text named xlsx", []string{"check", "--bron", "politie-verdachten", notZip}, []string{"tekst.xlsx"}},
		{"truncated xlsx", []string{"check", "--bron", "politie-verdachten", truncated}, []string{"afgekapt.xlsx"}},
		{"absent file", []string{"check", "--bron", "politie-verdachten", filepath.Join(dir, "bestaat-niet.csv")}, []string{"bestaat-niet.csv"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, nil, tt.args...)
			if code == exitOK {
				t.Fatalf("jeugd %q: exit 0, want non-zero; stdout %q", tt.args, out)
			}
			if strings.Contains(errOut, "panic") || strings.Contains(errOut, "goroutine ") {
				t.Fatalf("jeugd %q panicked:\n%s", tt.args, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("jeugd %q: stderr %q lacks %q", tt.args, errOut, w)
				}
			}
			if n := strings.Count(errOut, tt.want[0]); n > 1 {
				t.Errorf("jeugd %q: stderr %q names the file %d times", tt.args, errOut, n)
			}
		})
	}
}

// TestCheckEverySource reads, for each of the seven sources, a
// ;-separated Windows-1252 CSV with its header in another case and order,
// and an XLSX with two title rows above the header and Excel serial dates.
// Each file has one row with a bad date, so the counts must be exact.
func TestCheckEverySource(t *testing.T) {
	set := schemas.Builtin()
	if len(set.Sources) != 7 {
		t.Fatalf("builtin schemas have %d sources, want 7", len(set.Sources))
	}
	for _, src := range set.Sources {
		t.Run(src.Name(), func(t *testing.T) {
			dir := t.TempDir()
			const rows = 9
			bad := func(i int, f *schemas.Field) (string, bool) {
				if i == 4 && f.Name == src.Datum {
					return "2025-13-45", true
				}
				return "", false
			}
			csvPath := filepath.Join(dir, "export.csv")
			writeCSV(t, csvPath, src, csvStyle{comma: ';', upper: true, reverse: true}, rows, bad)
			xlsxPath := filepath.Join(dir, "export.xlsx")
			writeXLSX(t, xlsxPath, src, rows, 4)

			for _, tc := range []struct{ path, at string }{{csvPath, "export.csv"}, {xlsxPath, "export.xlsx [Export]"}} {
				for _, args := range [][]string{{"check", "--bron", src.Name(), tc.path}, {"check", tc.path}} {
					out, errOut, code := runCLI(t, nil, args...)
					if code != exitOK {
						t.Errorf("jeugd %q: exit %d, stderr %q", args, code, errOut)
						continue
					}
					want := fmt.Sprintf("%s: source %s\n  rows read        %d\n  rows accepted    %d\n  rows quarantined 1\n", tc.at, src.Name(), rows, rows-1)
					if !strings.HasPrefix(out, want) {
						t.Errorf("jeugd %q printed\n%s\nwant it to start with\n%s", args, out, want)
					}
					if strings.Contains(out, "ignored columns") {
						t.Errorf("jeugd %q ignored columns of a complete export:\n%s", args, out)
					}
				}
			}
		})
	}
}

func TestRunWithoutKey(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"inbox", "ref"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	_, errOut, code := runCLI(t, map[string]string{"JEUGD_KEY": ""}, "run",
		"--inbox", filepath.Join(dir, "inbox"), "--reference", filepath.Join(dir, "ref"),
		"--out", filepath.Join(dir, "out"), "--state", filepath.Join(dir, "state"))
	if code != exitUsage {
		t.Errorf("run without a key: exit %d, want %d; stderr %q", code, exitUsage, errOut)
	}
	if !strings.Contains(errOut, "key") || !strings.Contains(errOut, "JEUGD_KEY") && !strings.Contains(errOut, "--key-file") {
		t.Errorf("run without a key: message %q does not say how to give a key", errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("run without a key created the output directory (stat: %v)", err)
	}
}

func TestKeyGenerate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jeugd.key")
	out, errOut, code := runCLI(t, nil, "key", "generate", path)
	if code != exitOK {
		t.Fatalf("key generate: exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(out, path) {
		t.Errorf("key generate printed %q, want the path", out)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", info.Mode().Perm())
	}
	first, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}\n$`).Match(first) {
		t.Errorf("key file holds %d bytes not of the form 64 hex digits + newline", len(first))
	}
	if strings.Contains(out+errOut, strings.TrimSpace(string(first))) {
		t.Errorf("key generate printed the key")
	}

	_, errOut, code = runCLI(t, nil, "key", "generate", path)
	if code == exitOK {
		t.Errorf("key generate over an existing file: exit 0, want non-zero")
	}
	if want := "jeugd: key file " + path + " already exists; replacing a key changes every pseudonym: use jeugd key rotate --key-file " + path + "\n"; errOut != want || code != exitUsage {
		t.Errorf("key generate over an existing file: exit %d, stderr %q; want %d and %q", code, errOut, exitUsage, want)
	}
	again, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, again) {
		t.Errorf("key generate overwrote an existing key")
	}
}

func TestKeyMessages(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "geen-map", "jeugd.key")
	open := filepath.Join(dir, "open.key")
	if err := os.WriteFile(open, []byte(strings.Repeat("ab", 32)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o644); err != nil {
		t.Fatal(err)
	}
	runArgs := []string{"run", "--inbox", dir, "--reference", dir, "--out", filepath.Join(dir, "out"), "--state", filepath.Join(dir, "state")}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string
	}{
		{"generate into a missing folder", nil, []string{"key", "generate", missing}, exitUsage,
			"jeugd: folder " + filepath.Dir(missing) + " does not exist; create it owner-only first (mkdir -m 700 " + filepath.Dir(missing) + ")\n"},
		{"no key", map[string]string{"JEUGD_KEY": ""}, runArgs, exitUsage,
			"jeugd: no pseudonymisation key: give --key-file FILE or set JEUGD_KEY (create a key with: jeugd key generate FILE)\n"},
		{"key readable by others", nil, append(slices.Clone(runArgs), "--key-file", open), exitUsage,
			"jeugd: key file " + open + " is readable or writable by group or others (mode 0644); make it owner-only: chmod 600 " + open + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := runCLI(t, tt.env, tt.args...)
			if code != tt.code || errOut != tt.want {
				t.Errorf("jeugd %q: exit %d, stderr\n%q\nwant exit %d and\n%q", tt.args, code, errOut, tt.code, tt.want)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--no-such-flag"},
		{"no-such-command"},
		{"key", "generate"},
		{"run", "--no-such-flag"},
		{"check", "--bron"},
		{"check"},
		{"version", "extra"},
		{"--log-level", "loud", "version"},
		{"--log-format", "xml", "version"},
		{"check", "--bron", "politie-onbekend", "x.csv"},
		{"run", "--min-count", "vijf"},
		{"run", "--umask", "9"},
		{"prune"},
		{"prune", "--keep", "0", "--out", "out", "--state", "state"},
	} {
		_, errOut, code := runCLI(t, nil, args...)
		if code != exitUsage {
			t.Errorf("jeugd %q: exit %d, want %d; stderr %q", args, code, exitUsage, errOut)
		}
		if !strings.HasPrefix(errOut, "jeugd: ") {
			t.Errorf("jeugd %q: stderr %q, want a \"jeugd: \" message", args, errOut)
		}
	}
}

// csvStyle says how writeCSV lays out a file.
type csvStyle struct {
	comma   rune
	utf8    bool   // otherwise Windows-1252
	upper   bool   // header in upper case
	reverse bool   // columns in reverse order
	drop    string // field left out
}

// TestCheckEqualsRun: check applies every row rule a run applies to one
// file, so on a messy demo inbox it quarantines exactly as many rows per
// file as the run did (the run's counts are in its STATE manifest).
func TestCheckEqualsRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole pipeline")
	}
	dir := t.TempDir()
	ref, inbox, out, state := filepath.Join(dir, "ref"), filepath.Join(dir, "inbox"), filepath.Join(dir, "out"), filepath.Join(dir, "state")
	region, err := demo.Region(ref, 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.WriteInbox(inbox, region, demo.InboxOptions{Seed: 4, Rows: 5000, Today: time.Now(), Messy: true}); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(dir, "jeugd.key")
	if _, stderr, code := runCLI(t, nil, "key", "generate", key); code != exitOK {
		t.Fatal(stderr)
	}
	if _, stderr, code := runCLI(t, nil, "run", "--inbox", inbox, "--reference", ref, "--out", out, "--state", state,
		"--key-file", key, "--max-quarantine-rate", "0.5", "--log-level", "error"); code != exitOK {
		t.Fatalf("run: exit %d\n%s", code, stderr)
	}
	sm := latestStateManifest(t, out, state)
	countRE := regexp.MustCompile(`(?m)^  rows (read|quarantined) +(\d+)$`)
	transformRules := 0 // files where transform rules (not ingest's) made a difference
	for _, in := range sm.Inputs {
		t.Run(in.Path, func(t *testing.T) {
			path := filepath.Join(inbox, filepath.FromSlash(in.Path))
			out, stderr, code := runCLI(t, nil, "check", "--reference", ref, path, "--log-level", "error")
			if code != exitOK {
				t.Fatalf("check: exit %d\n%s", code, stderr)
			}
			got := map[string]string{}
			for _, m := range countRE.FindAllStringSubmatch(out, -1) {
				got[m[1]] = m[2]
			}
			want := map[string]string{"read": strconv.Itoa(in.Read), "quarantined": strconv.Itoa(in.Quarantined)}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("check and run differ on %s (-run +check):\n%s\n%s", in.Path, diff, out)
			}
			noRef, _, _ := runCLI(t, nil, "check", path, "--log-level", "error")
			if !strings.Contains(noRef, "location rule    not applied") {
				t.Errorf("check without --reference does not say the location rule was not applied:\n%s", noRef)
			}
			if strings.Contains(out, "after the event date") || strings.Contains(out, "outside the plausible") {
				transformRules++
			}
		})
	}
	if len(sm.Inputs) < 7 {
		t.Errorf("the run read %d files, want all seven sources", len(sm.Inputs))
	}
	if transformRules == 0 {
		t.Errorf("no file showed a rule of the transform stage: the test would not notice check skipping them")
	}
}

// latestStateManifest reads the operator's manifest of the run OUT/latest
// shows.
func latestStateManifest(t *testing.T, out, state string) pipeline.StateManifest {
	t.Helper()
	id, err := pipeline.LatestRunID(out)
	if err != nil {
		t.Fatal(err)
	}
	var sm pipeline.StateManifest
	data, err := os.ReadFile(pipeline.StateManifestPath(state, id))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &sm); err != nil {
		t.Fatal(err)
	}
	return sm
}
