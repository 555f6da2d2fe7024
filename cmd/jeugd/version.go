package main

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ivz-twente/jeugd/internal/pipeline"
)

// version overrides the version read from the build information:
//
//	go build -tags duckdb_arrow -ldflags "-X main.version=1.4.0" ./cmd/jeugd
var version = ""

// unknownVersion is shown when the binary carries no version at all: built
// with -buildvcs=false (as CI does), from a git worktree (the go command
// only stamps a checkout whose .git is a directory) or from a source tree
// without git, and without -ldflags.
const unknownVersion = "unknown"

// build identifies the code of this binary.
type build struct {
	Version  string // shown by `jeugd version`, in the manifest, the XLSX and the report
	Revision string // VCS revision; "" when the build recorded none
	Time     string // commit time of Revision, RFC 3339
	Modified bool   // the working tree had changes that are not in Revision
}

// readBuild reads the version of the running binary.
func readBuild() build {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = nil
	}
	return buildFrom(version, bi)
}

// buildFrom derives the version: the -ldflags override, else the module
// version the go command stamped (a tag or a pseudo-version holding the
// revision), else "devel-" and the short revision, else unknownVersion.
func buildFrom(override string, bi *debug.BuildInfo) build {
	var b build
	if bi != nil {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				b.Revision = s.Value
			case "vcs.time":
				b.Time = s.Value
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
	}
	switch {
	case override != "":
		b.Version = override
	case bi != nil && bi.Main.Version != "" && bi.Main.Version != "(devel)":
		b.Version = bi.Main.Version
	case b.Revision != "":
		b.Version = "devel-" + shortRevision(b.Revision)
		if b.Modified {
			b.Version += "+dirty"
		}
	default:
		b.Version = unknownVersion
	}
	return b
}

func shortRevision(rev string) string { return rev[:min(len(rev), 12)] }

// software is what the pipeline records of the build.
func (b build) software() pipeline.Software {
	return pipeline.Software{Version: b.Version, Revision: b.Revision, Time: b.Time, Modified: b.Modified}
}

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the software version and the VCS revision it was built from",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			b := readBuild()
			fmt.Fprintf(a.stdout, "jeugd %s\n", b.Version)
			if b.Revision != "" {
				fmt.Fprintf(a.stdout, "revision %s\ntime     %s\nmodified %t\n", b.Revision, b.Time, b.Modified)
			}
			if b.Version == unknownVersion {
				fmt.Fprintln(a.stderr, strings.Join([]string{
					"this binary carries no version: it was built with -buildvcs=false, from a git worktree or outside git;",
					`build it in a git checkout, or set one with -ldflags "-X main.version=VERSION"`,
				}, "\n"))
			}
			return nil
		},
	}
}
