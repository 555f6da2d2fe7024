package main

import (
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/ivz-twente/jeugd/internal/testenv"
)

func TestBuildFrom(t *testing.T) {
	const rev = "8f3e0c1d2b4a59687766554433221100ffeeddcc"
	vcs := func(modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev},
			{Key: "vcs.time", Value: "2026-03-01T10:00:00Z"}, {Key: "vcs.modified", Value: modified}}
	}
	tests := []struct {
		name     string
		override string
		bi       *debug.BuildInfo
		want     build
	}{
		{"no build info", "", nil, build{Version: "unknown"}},
		{"-buildvcs=false", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, build{Version: "unknown"}},
		{"ldflags without vcs", "1.4.0", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, build{Version: "1.4.0"}},
		{"pseudo-version", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20260301100000-8f3e0c1d2b4a"}, Settings: vcs("false")},
			build{Version: "v0.0.0-20260301100000-8f3e0c1d2b4a", Revision: rev, Time: "2026-03-01T10:00:00Z"}},
		{"devel with revision", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("true")},
			build{Version: "devel-8f3e0c1d2b4a+dirty", Revision: rev, Time: "2026-03-01T10:00:00Z", Modified: true}},
		{"ldflags wins, revision kept", "1.4.0", &debug.BuildInfo{Main: debug.Module{Version: "v1.3.9"}, Settings: vcs("false")},
			build{Version: "1.4.0", Revision: rev, Time: "2026-03-01T10:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := buildFrom(tt.override, tt.bi); got != tt.want {
				t.Errorf("buildFrom(%q) = %+v, want %+v", tt.override, got, tt.want)
			}
		})
	}
	// The text the XLSX and the report show names the revision once.
	for _, tt := range []struct {
		b    build
		want string
	}{
		{build{Version: "1.4.0", Revision: rev}, "1.4.0 (revisie 8f3e0c1d2b4a)"},
		{build{Version: "1.4.0", Revision: rev, Modified: true}, "1.4.0 (revisie 8f3e0c1d2b4a, gewijzigd)"},
		{build{Version: "v0.0.0-20260301100000-8f3e0c1d2b4a", Revision: rev}, "v0.0.0-20260301100000-8f3e0c1d2b4a"},
		{build{Version: "unknown"}, "unknown"},
	} {
		if got := tt.b.software().Text(); got != tt.want {
			t.Errorf("%+v: Text() = %q, want %q", tt.b, got, tt.want)
		}
	}
}

func TestVersion(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "version")
	if code != exitOK {
		t.Fatalf("jeugd version: exit %d, stderr %q", code, errOut)
	}
	// A test binary carries no VCS stamp: the version is unknown, and
	// stderr says how to give one.
	if !regexp.MustCompile(`^jeugd \S+\n`).MatchString(out) {
		t.Errorf("jeugd version printed %q, want \"jeugd <version>\" first", out)
	}
	if strings.HasPrefix(out, "jeugd unknown") && !strings.Contains(errOut, "-ldflags") {
		t.Errorf("jeugd version of a binary without a version: stderr %q does not say how to set one", errOut)
	}
}

// TestVersionFromVCS builds jeugd from a git commit of a copy of this
// module (the go command stamps no revision in a git worktree or with
// -buildvcs=false) and checks that `jeugd version` and a run's manifest
// carry that commit.
func TestVersionFromVCS(t *testing.T) {
	testenv.Long(t)
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "jeugd")
	copyTree(t, root, src)
	if _, err := os.Lstat(filepath.Join(src, ".git")); err == nil {
		t.Fatal("the copy holds a .git entry: git would commit into this repository")
	}
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = src
		// Pin git to the copy: never the repository the test runs in.
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_DIR="+filepath.Join(src, ".git"), "GIT_WORK_TREE="+src,
			"GIT_CEILING_DIRECTORIES="+filepath.Dir(src))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q")
	git("add", "-A")
	git("commit", "-q", "-m", "test build")
	rev := git("rev-parse", "HEAD")

	bin := filepath.Join(t.TempDir(), "jeugd")
	build := exec.Command("go", "build", "-buildvcs=true", "-tags", "duckdb_arrow", "-o", bin, "./cmd/jeugd")
	build.Dir = src
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatalf("jeugd version: %v", err)
	}
	if !strings.Contains(string(out), "revision "+rev+"\n") || !strings.Contains(string(out), rev[:12]) || strings.Contains(string(out), "unknown") {
		t.Errorf("jeugd version of a build at %s printed:\n%s", rev, out)
	}

	dir := t.TempDir()
	if out, err := exec.Command(bin, "demo", "--dir", dir, "--rows", "1500", "--log-level", "error").CombinedOutput(); err != nil {
		t.Fatalf("jeugd demo: %v\n%s", err, out)
	}
	var m struct {
		Software string `json:"software_version"`
		Build    struct {
			Revision string `json:"revision"`
		} `json:"software_build"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "out", "latest", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if m.Build.Revision != rev || !strings.Contains(m.Software, rev[:12]) {
		t.Errorf("manifest software_version %q, software_build.revision %q; want the build's revision %s", m.Software, m.Build.Revision, rev)
	}
}

// copyTree copies the module's files from src to dst, leaving out version
// control and anything a run or the demo left behind.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "jeugd-demo") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil // .git of a worktree is a file: it must not come along
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}
