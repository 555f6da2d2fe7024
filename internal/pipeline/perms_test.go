//go:build unix

package pipeline_test

import (
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"

	"github.com/ivz-twente/jeugd/internal/pipeline"
)

// otherGroup returns a group the test may give files to, other than the
// process's own where it can: any group as root, else a supplementary one.
func otherGroup(t *testing.T) (name string, gid int) {
	t.Helper()
	if os.Geteuid() == 0 {
		for _, n := range []string{"nogroup", "users", "daemon", "staff", "adm"} {
			if g, err := user.LookupGroup(n); err == nil {
				id, _ := strconv.Atoi(g.Gid)
				return n, id
			}
		}
	}
	groups, _ := os.Getgroups()
	for _, id := range groups {
		if id != os.Getgid() {
			return strconv.Itoa(id), id
		}
	}
	t.Log("no other group available: the process's own group stands in")
	return strconv.Itoa(os.Getgid()), os.Getgid()
}

// TestRunPermissions: with umask 027 and a group, OUT/latest is readable by
// that group and nobody else; a run that is no longer latest is closed to
// everyone but the owner; STATE stays owner-only; keep_runs removes old
// runs.
func TestRunPermissions(t *testing.T) {
	group, gid := otherGroup(t)
	fx := newFixture(t, 800)
	o := fx.options(t, "a")
	o.Umask, o.Group = 0o027, group
	first := mustRun(t, o)
	second := mustRun(t, o)

	mode := func(path string) (fs.FileMode, int) {
		t.Helper()
		fi, err := os.Lstat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Mode().Perm(), int(fi.Sys().(*syscall.Stat_t).Gid)
	}
	latest := filepath.Join(o.Out, "runs", second.RunID)
	for _, tc := range []struct {
		path string
		mode fs.FileMode
		gid  int
	}{
		{o.Out, 0o750, gid},
		{filepath.Join(o.Out, "runs"), 0o710, gid}, // passable, not listable
		{latest, 0o750, gid},
		{filepath.Join(latest, "manifest.json"), 0o640, gid},
		{filepath.Join(latest, "dashboard"), 0o750, gid},
		{filepath.Join(latest, "dashboard", "indicatoren.parquet"), 0o640, gid},
		{filepath.Join(latest, "gemeenten", fx.region.Gemeenten[0].Code, "indicatoren.xlsx"), 0o640, gid},
		{filepath.Join(o.Out, "runs", first.RunID), 0o700, -1}, // kept for the operator only
		{o.State, 0o700, -1},
		{pipeline.StorePath(o.State, second.RunID), 0o600, -1},
	} {
		m, g := mode(tc.path)
		if m != tc.mode || tc.gid >= 0 && g != tc.gid {
			t.Errorf("%s: mode %04o group %d, want %04o group %d", tc.path, m, g, tc.mode, tc.gid)
		}
	}
	if _, g := mode(filepath.Join(o.Out, pipeline.LatestLink)); g != gid {
		t.Errorf("the latest link has group %d, want %d", g, gid)
	}

	o.KeepRuns = 1
	third := mustRun(t, o)
	entries, err := os.ReadDir(filepath.Join(o.Out, "runs"))
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if !slices.Equal(left, []string{third.RunID}) {
		t.Errorf("runs after a run with keep_runs 1: %q, want only %s", left, third.RunID)
	}

	o.Umask = 0o077
	if _, err := pipeline.Run(t.Context(), o); err == nil {
		t.Errorf("a run whose group cannot read the publication (umask 077) succeeded")
	}
}
