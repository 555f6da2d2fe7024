package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copySchemas copies the built-in schema files into a new directory, with
// edit applied to the named file.
func copySchemas(t *testing.T, file string, edit func(string) string) string {
	t.Helper()
	dir := t.TempDir()
	files, err := filepath.Glob(filepath.Join("..", "..", "schemas", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("built-in schemas: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if filepath.Base(f) == file {
			s = edit(s)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A supplier renames a column: --schemas DIR with the new alias reads the
// export without a rebuild, where the built-in schemas fail the file.
func TestSchemasDirAddsAlias(t *testing.T) {
	csv := filepath.Join(t.TempDir(), "incidenten.csv")
	if err := os.WriteFile(csv, []byte("Registratienummer;Datum van het feit;Postcode\nPL1;01-02-2024;7622AB\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := runCLI(t, nil, "check", "--bron", "politie-incidenten", csv); code == exitOK || !strings.Contains(errOut, "pleegdatum") {
		t.Fatalf("built-in schemas: exit %d, stderr %q; want a missing pleegdatum", code, errOut)
	}
	dir := copySchemas(t, "politie-incidenten.yaml", func(s string) string {
		return strings.Replace(s, "aliases: [datum, incidentdatum,", "aliases: [datum van het feit, datum, incidentdatum,", 1)
	})
	out, errOut, code := runCLI(t, nil, "--schemas", dir, "check", "--bron", "politie-incidenten", csv)
	if code != exitOK || !strings.Contains(out, "rows accepted    1") {
		t.Fatalf("--schemas %s: exit %d\n%s%s", dir, code, out, errOut)
	}
}

// A broken schema directory is a usage error that names file and line.
func TestSchemasDirBroken(t *testing.T) {
	dir := copySchemas(t, "halt-verwijzingen.yaml", func(s string) string {
		return strings.Replace(s, "type: date", "type: datum", 1)
	})
	_, errOut, code := runCLI(t, nil, "--schemas", dir, "schemas")
	if code != exitUsage || !strings.Contains(errOut, "halt-verwijzingen.yaml:") || !strings.Contains(errOut, `unknown type "datum"`) {
		t.Errorf("--schemas with a bad type: exit %d, stderr %q; want exit 2 naming the file, line and type", code, errOut)
	}
	if _, errOut, code := runCLI(t, nil, "--schemas", filepath.Join(dir, "absent"), "schemas"); code != exitUsage {
		t.Errorf("--schemas of a missing directory: exit %d, stderr %q; want 2", code, errOut)
	}
}
