package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// generateTree runs jeugd generate into a new directory and returns every
// file's bytes by slash path.
func generateTree(t *testing.T, args ...string) (map[string][]byte, string) {
	t.Helper()
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	args = append([]string{"generate", "--dir", dir, "--today", "2025-06-15"}, args...)
	if code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr); code != exitOK {
		t.Fatalf("jeugd %v: exit %d, stderr %s", args, code, stderr.String())
	}
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files, stdout.String()
}

func TestGenerateDeterministic(t *testing.T) {
	a, out := generateTree(t, "--rows", "3000", "--seed", "3")
	b, _ := generateTree(t, "--rows", "3000", "--seed", "3")
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("same flags, different files (-first +second):\n%.2000s", diff)
	}
	if !strings.HasPrefix(out, "wrote ") {
		t.Errorf("stdout %q, want the row summary", out)
	}
	var sources, xlsx int
	for p := range a {
		switch {
		case strings.HasPrefix(p, "referentie/"):
		case strings.HasPrefix(p, "inbox/"):
			sources++
			if strings.HasSuffix(p, ".xlsx") {
				xlsx++
			}
		default:
			t.Errorf("unexpected file %s", p)
		}
	}
	if sources < 7 || xlsx == 0 {
		t.Errorf("%d inbox files, %d XLSX; want at least one per source and some XLSX", sources, xlsx)
	}
	c, _ := generateTree(t, "--rows", "3000", "--seed", "4")
	if cmp.Equal(a, c) {
		t.Error("another seed gave the same files")
	}
}

func TestGenerateCSVOnly(t *testing.T) {
	files, _ := generateTree(t, "--rows", "2000", "--xlsx-share", "0")
	for p := range files {
		if strings.HasSuffix(p, ".xlsx") {
			t.Errorf("%s written with --xlsx-share 0", p)
		}
	}
}

func TestGenerateUsage(t *testing.T) {
	for _, args := range [][]string{
		{"generate", "--rows", "10"},                                                      // no --dir
		{"generate", "--dir", t.TempDir(), "--rows", "0"},                                 // no rows
		{"generate", "--dir", t.TempDir(), "--today", "15-06-2025"},                       // bad date
		{"generate", "--dir", t.TempDir(), "--rows", "10", "--reference", "/nonexistent"}, // no reference
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr); code != exitUsage {
			t.Errorf("jeugd %v: exit %d, want %d (stderr %s)", args, code, exitUsage, stderr.String())
		}
	}
}

// TestGenerateInboxOwnerOnly: the generated inbox looks like personal data
// and is handled so: folders 0700, files 0600, whatever the umask.
func TestGenerateInboxOwnerOnly(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"generate", "--dir", dir, "--rows", "2000"}, strings.NewReader(""), &stdout, &stderr); code != exitOK {
		t.Fatalf("generate: exit %d: %s", code, stderr.String())
	}
	inbox := filepath.Join(dir, "inbox")
	n := 0
	err := filepath.WalkDir(inbox, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %04o, want %04o", p, fi.Mode().Perm(), want)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Errorf("only %d entries under the inbox", n)
	}
}
