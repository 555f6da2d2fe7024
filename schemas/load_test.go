package schemas

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ivz-twente/jeugd/internal/golden"
)

func TestBuiltinLoads(t *testing.T) {
	s, err := Load(builtin)
	if err != nil {
		t.Fatalf("Load(builtin) = %v", err)
	}
	want := []string{"halt-verwijzingen", "jgz-signalen", "leerplicht-verzuim", "om-zaken", "politie-incidenten", "politie-slachtoffers", "politie-verdachten"}
	got := s.Names()
	if len(got) != len(want) {
		t.Fatalf("Names() = %v; want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Names()[%d] = %q; want %q", i, got[i], want[i])
		}
	}
}

// TestLoadBad loads every testdata/*.bad.yaml beside the built-in schemas
// and compares the whole error with its .want file: every strict check of
// the loader has a case, and each message names the file and, where the
// problem has one, the line. A bad classificatie-*.bad.yaml replaces the
// built-in code lists, next to the one source that uses only its list.
func TestLoadBad(t *testing.T) {
	bad, err := filepath.Glob(filepath.Join("testdata", "*.bad.yaml"))
	if err != nil || len(bad) < 20 {
		t.Fatalf("bad schema fixtures: %d, %v", len(bad), err)
	}
	for _, path := range bad {
		name := strings.TrimSuffix(filepath.Base(path), ".bad.yaml")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			fsys := fstest.MapFS{}
			if strings.HasPrefix(name, "classificatie-") {
				fsys[ClassificatieFile] = &fstest.MapFile{Data: data}
				fsys["politie-incidenten.yaml"] = &fstest.MapFile{Data: mustRead(t, "politie-incidenten.yaml")}
			} else {
				files, _ := fs.Glob(builtin, "*.yaml")
				for _, f := range files {
					fsys[f] = &fstest.MapFile{Data: mustRead(t, f)}
				}
				fsys["zz-"+name+".yaml"] = &fstest.MapFile{Data: data}
			}
			set, err := Load(fsys)
			if err == nil {
				t.Fatalf("Load accepted %s: %v", path, set.Names())
			}
			golden.Check(t, strings.TrimSuffix(path, ".bad.yaml")+".want", []byte(err.Error()+"\n"))
		})
	}
}

func TestLoadNoFiles(t *testing.T) {
	if _, err := Load(fstest.MapFS{}); err == nil || !strings.Contains(err.Error(), "no *.yaml schema files found") {
		t.Errorf("Load(empty) = %v; want no schema files", err)
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := fs.ReadFile(builtin, name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
