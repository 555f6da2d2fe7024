package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestConfigRelativePaths: paths in a config file are relative to the
// file's folder, wherever jeugd runs from.
func TestConfigRelativePaths(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "etc", "jeugd.yaml")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	text := "inbox: ../inbox\nreference: /srv/referentie\nout: out\nstate: ./state\nkey_file: jeugd.key\nschemas: schemas\n"
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir()) // elsewhere
	c, err := loadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	etc := filepath.Dir(path)
	want := Config{Inbox: filepath.Join(dir, "inbox"), Reference: "/srv/referentie", Out: filepath.Join(etc, "out"),
		State: filepath.Join(etc, "state"), KeyFile: filepath.Join(etc, "jeugd.key"), Schemas: filepath.Join(etc, "schemas")}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("loadConfig(%s) (-want +got):\n%s", path, diff)
	}
}

// TestConfigExample: the example config in deploy/ loads.
func TestConfigExample(t *testing.T) {
	if _, err := loadConfig(filepath.Join("..", "..", "deploy", "config.example.yaml")); err != nil {
		t.Errorf("deploy/config.example.yaml: %v", err)
	}
}

// TestConfigEnv: JEUGD_CONFIG names the config when --config is absent.
func TestConfigEnv(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "jeugd.yaml")
	if err := os.WriteFile(path, []byte("out: nergens\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runCLI(t, map[string]string{ConfigEnv: path}, "aggregate", "jeugdoverlast")
	if code != exitUsage || !strings.Contains(stderr, filepath.Join(dir, "nergens")) {
		t.Errorf("aggregate with %s=%s: exit %d, stderr %q; want exit 2 naming %s", ConfigEnv, path, code, stderr, filepath.Join(dir, "nergens"))
	}
}
