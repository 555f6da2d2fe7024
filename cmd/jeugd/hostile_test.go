package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"hash/crc32"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/ivz-twente/jeugd/internal/demo"
	"github.com/ivz-twente/jeugd/internal/pipeline"
	"github.com/ivz-twente/jeugd/transform"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

// hostileMark is planted in every hostile input; it must appear in no
// output, log or error.
const hostileMark = "QxHostileMark"

// formulas are what a spreadsheet would execute.
var formulas = []string{`=HYPERLINK("http://x","y")`, "+cmd", "-1+1", "@SUM(A1)", "=1+1"}

// TestHostileInbox adds broken and hostile files to a demo inbox and runs
// the whole pipeline once. Each file must end with the expected outcome in
// the manifest, the run must publish for the rest, nothing may panic, no
// formula may reach a published CSV or XLSX, and no planted value may
// appear anywhere. The corpus is generated here, not committed.
func TestHostileInbox(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole pipeline")
	}
	base := t.TempDir()
	refDir, inbox, out, state := filepath.Join(base, "referentie"), filepath.Join(base, "inbox"), filepath.Join(base, "out"), filepath.Join(base, "state")
	outside, tmp := filepath.Join(base, "outside"), filepath.Join(base, "tmp")
	for _, d := range []string{outside, tmp} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := demo.WriteRegion(refDir, 5); err != nil {
		t.Fatal(err)
	}
	ref, err := geocode.LoadReference(refDir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := demo.WriteInbox(inbox, ref, demo.InboxOptions{Seed: 5, Rows: 3000, Today: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	demoFile := func(source string, xlsx bool) string {
		for _, f := range st.Files {
			if f.Source == source && f.XLSX == xlsx {
				return filepath.Join(inbox, filepath.FromSlash(f.Path))
			}
		}
		t.Fatalf("demo inbox has no %s file (xlsx %v)", source, xlsx)
		return ""
	}
	incidentCSV := readText(t, demoFile("politie-incidenten", false))
	incidentRaw, err := os.ReadFile(demoFile("politie-incidenten", false))
	if err != nil {
		t.Fatal(err)
	}
	verdachtenCSV := readText(t, demoFile("politie-verdachten", false))
	jgzCSV := readText(t, demoFile("jgz-signalen", false))
	xlsxBytes, err := os.ReadFile(demoFile("halt-verwijzingen", true))
	if err != nil {
		t.Fatal(err)
	}
	header := strings.SplitN(incidentCSV, "\n", 2)[0]

	write := func(rel string, data []byte) {
		t.Helper()
		p := filepath.Join(inbox, filepath.FromSlash(rel))
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	garbage := make([]byte, 64<<10)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range garbage {
		garbage[i] = byte(rng.Uint32())
	}
	copy(garbage[1000:], hostileMark)

	// Outside the inbox: a readable export that a symbolic link points at.
	secret := filepath.Join(outside, "secret.csv")
	if err := os.WriteFile(secret, []byte(strings.Replace(verdachtenCSV, "\n", "\n"+hostileMark+"\n", 1)), 0o600); err != nil {
		t.Fatal(err)
	}

	// The whole corpus, with the outcome each file must get.
	tests := []struct {
		path string // relative to the inbox
		make func(rel string)
		want string // manifest status prefix, or "skipped"
	}{
		{"politie-incidenten/afgebroken.xlsx", func(rel string) { write(rel, xlsxBytes[:len(xlsxBytes)/2]) }, "failed"},
		{"politie-incidenten/kapot.xlsx", func(rel string) { write(rel, append([]byte("PK\x03\x04"), garbage...)) }, "failed"},
		{"halt-verwijzingen/zipbom.xlsx", func(rel string) { write(rel, zipBomb(t)) }, "failed"},
		{"politie-incidenten/lang-veld.csv", func(rel string) {
			write(rel, []byte(header+"\n"+strings.Repeat("x", 10<<20)+hostileMark+"\n"))
		}, "failed"},
		{"politie-incidenten/rommel.csv", func(rel string) { write(rel, garbage) }, "failed"},
		{"politie-incidenten/utf16.csv", func(rel string) { write(rel, utf16LE(t, firstLines(incidentCSV, 30))) }, "ok"},
		{"politie-incidenten/gemengd.csv", func(rel string) { write(rel, []byte(mixDelimiters(firstLines(incidentCSV, 30)))) }, "ok"},
		{"politie-incidenten/dubbele-kop.csv", func(rel string) { write(rel, []byte(duplicateHeader(firstLines(incidentCSV, 30)))) }, "ok"},
		{"politie-incidenten/alleen-kop.csv", func(rel string) { write(rel, []byte(header+"\n")) }, "ok"},
		{"politie-incidenten/leeg.csv", func(rel string) { write(rel, nil) }, "failed"},
		{"politie-incidenten/zz-tweede-levering.csv", func(rel string) { write(rel, incidentRaw) }, "duplicate of"},
		{"politie-incidenten/jgz-export.csv", func(rel string) { write(rel, []byte(jgzCSV)) }, "failed"},
		{`politie-verdachten/=HYPERLINK("http:x","y").csv`, func(rel string) { write(rel, []byte(withFormulas(t, firstLines(verdachtenCSV, 60)))) }, "ok"},
		// A dot file: skipped like editor and lock files.
		{"politie-incidenten/..%2f..%2fetc.csv", func(rel string) { write(rel, []byte(header+"\n")) }, "skipped"},
		{"politie-incidenten/a..%2f..%2fetc.csv", func(rel string) { write(rel, []byte(header+"\r\n")) }, "ok"},
		{"politie-verdachten/link.csv", func(rel string) {
			if err := os.Symlink(secret, filepath.Join(inbox, filepath.FromSlash(rel))); err != nil {
				t.Skipf("no symbolic links here: %v", err)
			}
		}, "skipped"},
		{"politie-slachtoffers/map-link", func(rel string) {
			if err := os.Symlink(outside, filepath.Join(inbox, filepath.FromSlash(rel))); err != nil {
				t.Skipf("no symbolic links here: %v", err)
			}
		}, "skipped"},
	}
	for _, tt := range tests {
		tt.make(tt.path)
	}

	t.Setenv("TMPDIR", tmp)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"run", "--inbox", inbox, "--reference", refDir, "--out", out, "--state", state,
		"--key-file", hostileKey(t, base), "--max-quarantine-rate", "0.9", "--log-format", "json", "--log-level", "debug"},
		strings.NewReader(""), &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("run on the hostile inbox: exit %d; want %d (the other files are fine)\n%s", code, exitOK, lastLines(stderr.String(), 20))
	}
	// Per-file statuses are the operator's: in STATE, not in the publication.
	m := latestStateManifest(t, out, state)
	latestID := m.RunID
	status := map[string]string{}
	for _, in := range m.Inputs {
		status[in.Path] = in.Status
		if in.Status == "ok" {
			status[in.Path] = fmt.Sprintf("ok: %d rows read, %d quarantined", in.Read, in.Quarantined)
		}
	}
	for _, s := range m.Skipped {
		status[strings.SplitN(s, " (", 2)[0]] = "skipped: " + s
	}
	for _, tt := range tests {
		got, ok := status[tt.path]
		if !ok {
			t.Errorf("%s: not in the manifest (neither read nor skipped)", tt.path)
			continue
		}
		t.Logf("%-45s %s", tt.path, got)
		if !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s: status %q; want %s", tt.path, got, tt.want)
		}
	}

	// Nothing outside the inbox was read: the secret behind the link would
	// have added its rows, and its marker would show up below.
	checkNoFormulas(t, filepath.Join(out, "runs"), false)
	for _, f := range []string{pipeline.StateManifestPath(state, latestID), pipeline.StateQuarantinePath(state, latestID)} {
		checkNoFormulas(t, f, true)
	}
	for name, text := range map[string]string{"stdout": stdout.String(), "stderr": stderr.String()} {
		if strings.Contains(strings.ToLower(text), strings.ToLower(hostileMark)) {
			t.Errorf("%s holds the planted marker", name)
		}
	}
	for _, dir := range []string{out, state, tmp} {
		walkFiles(t, dir, func(path string, data []byte) {
			if bytes.Contains(bytes.ToLower(data), []byte(strings.ToLower(hostileMark))) {
				t.Errorf("%s holds the planted marker", path)
			}
		})
	}
	if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
		t.Errorf("the run left %d entries in the temp dir", len(entries))
	}
}

// checkNoFormulas fails for any CSV cell under dir (a directory or one
// file) that a spreadsheet would run as a formula and any XLSX cell stored
// as a formula. Supplier file names (HYPERLINK) may appear, neutralised,
// only where names is true: the operator's files in STATE.
func checkNoFormulas(t *testing.T, dir string, names bool) {
	t.Helper()
	walkFiles(t, dir, func(path string, data []byte) {
		switch filepath.Ext(path) {
		case ".csv":
			r := csv.NewReader(bytes.NewReader(data))
			if rest, ok := bytes.CutPrefix(data, []byte("\ufeff")); ok { // a gemeente CSV: BOM and semicolons
				r = csv.NewReader(bytes.NewReader(rest))
				r.Comma = ';'
			}
			r.FieldsPerRecord = -1
			recs, err := r.ReadAll()
			if err != nil {
				t.Errorf("%s: %v", path, err)
				return
			}
			for i, rec := range recs {
				for _, cell := range rec {
					if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) && !isNumber(cell) {
						t.Errorf("%s line %d: cell %q would run as a formula", path, i+1, cell)
					}
				}
			}
		case ".xlsx":
			zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Errorf("%s: %v", path, err)
				return
			}
			for _, f := range zr.File {
				if !strings.HasPrefix(f.Name, "xl/worksheets/") {
					continue
				}
				rc, err := f.Open()
				if err != nil {
					t.Fatal(err)
				}
				var b bytes.Buffer
				_, err = b.ReadFrom(rc)
				rc.Close()
				if err != nil {
					t.Fatal(err)
				}
				if bytes.Contains(b.Bytes(), []byte("<f>")) || bytes.Contains(b.Bytes(), []byte("<f ")) {
					t.Errorf("%s!%s holds a formula cell", path, f.Name)
				}
			}
		}
		if bytes.Contains(data, []byte("HYPERLINK")) && !names {
			t.Errorf("%s holds supplier text HYPERLINK", path)
		}
	})
}

func isNumber(s string) bool {
	return strings.Trim(s, "-+0123456789.,eE") == ""
}

func walkFiles(t *testing.T, dir string, fn func(path string, data []byte)) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(path)
		if err == nil {
			fn(path, data)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func hostileKey(t *testing.T, dir string) string {
	t.Helper()
	name := filepath.Join(dir, "jeugd.key")
	if err := transform.GenerateKey(name); err != nil {
		t.Fatal(err)
	}
	return name
}

// readText reads a demo CSV as UTF-8 text (demo files may be Windows-1252).
func readText(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		if data, err = charmap.Windows1252.NewDecoder().Bytes(data); err != nil {
			t.Fatal(err)
		}
	}
	return strings.ReplaceAll(string(data), "\r\n", "\n")
}

func firstLines(s string, n int) string {
	lines := strings.SplitAfter(s, "\n")
	return strings.Join(lines[:min(n, len(lines))], "")
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

func utf16LE(t *testing.T, s string) []byte {
	t.Helper()
	b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func delimiterOf(header string) string {
	for _, d := range []string{";", "\t", ","} {
		if strings.Contains(header, d) {
			return d
		}
	}
	return ","
}

// mixDelimiters keeps the header's delimiter and writes every other data
// line with another one, as a hand-edited export may.
func mixDelimiters(s string) string {
	lines := strings.Split(s, "\n")
	d := delimiterOf(lines[0])
	other := map[string]string{";": ",", ",": ";", "\t": ";"}[d]
	for i := 2; i < len(lines); i += 2 {
		lines[i] = strings.ReplaceAll(lines[i], d, other)
	}
	return strings.Join(lines, "\n")
}

// duplicateHeader repeats the first column at the end, with its cells.
func duplicateHeader(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	d := delimiterOf(lines[0])
	for i, l := range lines {
		lines[i] = l + d + strings.SplitN(l, d, 2)[0]
	}
	return strings.Join(lines, "\n") + "\n"
}

// withFormulas replaces every cell of the text columns (names, streets,
// places, free text) by formula-looking text.
func withFormulas(t *testing.T, s string) string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(s))
	r.Comma = rune(delimiterOf(strings.SplitN(s, "\n", 2)[0])[0])
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var textCols []int
	for i, h := range recs[0] {
		h = strings.ToLower(h)
		for _, part := range []string{"naam", "straat", "plaats", "omschrijving", "afdoening", "afloop", "school", "afhandeling", "opmerking", "gemeente", "toevoeging"} {
			if strings.Contains(h, part) {
				textCols = append(textCols, i)
				break
			}
		}
	}
	if len(textCols) == 0 {
		t.Fatalf("no text columns in header %q", recs[0])
	}
	n := 0
	for _, rec := range recs[1:] {
		for _, i := range textCols {
			if i < len(rec) {
				rec[i] = formulas[n%len(formulas)]
				n++
			}
		}
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma = ';'
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// zipBomb is an XLSX whose worksheet says it unpacks to 4 GiB, far above
// the reader's limits. The data is a small stored entry: the check must
// refuse it from the sizes alone, before unpacking anything.
func zipBomb(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	add := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	add("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`)
	add("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	add("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)
	body := []byte(`<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>` + hostileMark + `</t></is></c></row></sheetData></worksheet>`)
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: "xl/worksheets/sheet1.xml", Method: zip.Store,
		CRC32: crc32.ChecksumIEEE(body), CompressedSize64: uint64(len(body)), UncompressedSize64: 4 << 30,
	})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(body)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
