package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
)

// perms are the permissions of the publication in OUT. Everything is
// written owner-only; a finished run directory is opened up to perms
// before it becomes `latest`, and a run that stops being `latest` is
// closed again (0700), so that only `latest` can be read (design §7).
// STATE is always owner-only.
type perms struct {
	dir, file fs.FileMode // of the published tree: 0755 &^ umask, 0644 &^ umask
	runs      fs.FileMode // OUT/runs: like dir without read, so others can reach latest but not list the runs
	gid       int         // group of everything published; -1 keeps the owner's primary group
}

// closedRun is the mode of a run directory that is not `latest`: kept for
// the operator (a roll back), readable by nobody else.
const closedRun fs.FileMode = 0o700

// newPerms derives the permissions from the umask and the group. Group or
// others never get write access, whatever the umask.
func newPerms(umask fs.FileMode, group string) (perms, error) {
	mask := (umask | 0o022) & 0o777
	p := perms{dir: 0o777 &^ mask, file: 0o666 &^ mask, gid: -1}
	p.runs = p.dir &^ 0o044
	if group == "" {
		return p, nil
	}
	if runtime.GOOS == "windows" {
		return p, errors.New("group is not supported on Windows: grant the readers access to OUT with an ACL instead")
	}
	g, err := user.LookupGroup(group)
	if err != nil {
		if g, err = user.LookupGroupId(group); err != nil {
			return p, fmt.Errorf("group %q is not a group of this system", group)
		}
	}
	gid, err := strconv.Atoi(g.Gid)
	if err != nil {
		return p, fmt.Errorf("group %q has no numeric id", group)
	}
	if p.file&0o040 == 0 {
		return p, fmt.Errorf("group %q cannot read the publication with umask %03o: use a umask such as 027", group, umask)
	}
	p.gid = gid
	return p, nil
}

// chown gives path to the configured group, without following a link.
func (p perms) chown(path string) error {
	if p.gid < 0 {
		return nil
	}
	if err := os.Lchown(path, -1, p.gid); err != nil {
		return fmt.Errorf("give %s to group %d: %w", path, p.gid, err)
	}
	return nil
}

// set gives one entry its mode and group.
func (p perms) set(path string, mode fs.FileMode) error {
	if err := os.Chmod(path, mode); err != nil {
		return err
	}
	return p.chown(path)
}

// openTree opens a finished run directory up to the publication's
// permissions, before it becomes `latest`.
func (p perms) openTree(root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir():
			return p.set(path, p.dir)
		case d.Type().IsRegular():
			return p.set(path, p.file)
		}
		return nil
	})
}

// outDirs gives OUT and OUT/runs their modes: OUT readable, OUT/runs only
// passable, so that the configured readers reach `latest` and nothing else.
func (p perms) outDirs(out string) error {
	if err := p.set(out, p.dir); err != nil {
		return fmt.Errorf("output directory: %w", err)
	}
	if err := p.set(filepath.Join(out, "runs"), p.runs); err != nil {
		return fmt.Errorf("output directory: %w", err)
	}
	return nil
}

// closeOthers makes every run directory but latest owner-only again.
func closeOthers(out, latest string) {
	entries, _ := os.ReadDir(filepath.Join(out, "runs"))
	for _, e := range entries {
		if e.IsDir() && e.Name() != latest {
			_ = os.Chmod(filepath.Join(out, "runs", e.Name()), closedRun)
		}
	}
}
