package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/pprof"

	"github.com/spf13/cobra"

	"github.com/ivz-twente/jeugd/internal/pipeline"
)

// runFlags are the flags of `jeugd run`; each overrides its config key.
type runFlags struct {
	inbox, reference, out, state, keyFile string
	minCount                              int
	maxQuarantine, minMatchRate           float64
	recipients                            []string
	cpuprofile                            string
	report                                bool
	group, umask                          string
	keepRuns                              int
	regioCode, regioNaam                  string
}

func (a *app) runCommand() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run the whole pipeline on an inbox and publish atomically",
		Long: `run reads every export in INBOX/<source>/, pseudonymises, geocodes and counts the
indicators, applies disclosure control and publishes into OUT/runs/<run-id>/. Only when
everything succeeded does OUT/latest switch to the new run; a failed or killed run leaves
the previous publication untouched.

A source whose share of locations placed in a CBS buurt (pleeg or woon) is below 90% is
logged as a warning; below --min-match-rate the run publishes nothing.

Exit status: 0 published; 2 usage or configuration error; 3 a source's quarantine rate
exceeded --max-quarantine-rate or its buurt match rate fell below --min-match-rate
(nothing published); 1 any other failure (including another run holding the lock).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := a.pipelineOptions(cmd, f)
			if err != nil {
				return err
			}
			if f.cpuprofile != "" {
				stop, err := startCPUProfile(f.cpuprofile)
				if err != nil {
					return err
				}
				defer stop()
			}
			m, err := pipeline.Run(cmd.Context(), o)
			if err != nil {
				return stopped(cmd.Context(), err)
			}
			printRunSummary(a.stdout, o.Out, m)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.cpuprofile, "cpuprofile", "", "write a Go CPU profile of the run to FILE (benchmarks)")
	_ = fl.MarkHidden("cpuprofile")
	fl.StringVar(&f.inbox, "inbox", "", "inbox directory with one subfolder per source (config: inbox)")
	fl.StringVar(&f.reference, "reference", "", "directory with the CBS reference files (config: reference)")
	fl.StringVar(&f.out, "out", "", "output directory for runs/ and latest (config: out)")
	fl.StringVar(&f.state, "state", "", "state directory for the internal store and lock, owner-only (config: state)")
	fl.StringVar(&f.keyFile, "key-file", "", "pseudonymisation key file, mode 0600 (or set JEUGD_KEY)")
	fl.IntVar(&f.minCount, "min-count", 0, "raise the threshold k of every protected indicator to at least N (default: the table plan's k)")
	fl.Float64Var(&f.maxQuarantine, "max-quarantine-rate", 0, "largest share of quarantined rows per source before nothing is published (default 0.10)")
	fl.Float64Var(&f.minMatchRate, "min-match-rate", 0, "smallest share of a source's locations placed in a buurt before nothing is published (default 0.50)")
	fl.StringSliceVar(&f.recipients, "recipients", nil, "gemeenten (names or GM codes) that get their own tables (default all present)")
	fl.BoolVar(&f.report, "report", false, "also write an HTML report per recipient into its gemeente folder (config: report)")
	fl.StringVar(&f.group, "group", "", "group that may read OUT/latest (config: group)")
	fl.StringVar(&f.umask, "umask", "", "octal umask of the publication, e.g. 027 (config: umask; default the process umask)")
	fl.StringVar(&f.regioCode, "regio-code", "", "code of the regio total, e.g. VR05 (config: regio_code; default the reference's, else regio)")
	fl.StringVar(&f.regioNaam, "regio-naam", "", "name of the regio total, e.g. Twente (config: regio_naam; default the reference's, else Regio)")
	fl.IntVar(&f.keepRuns, "keep-runs", 0, "after publishing, keep only the N newest runs besides latest (config: keep_runs; 0 keeps all)")
	return cmd
}

// pipelineOptions merges config file and flags; flags win.
func (a *app) pipelineOptions(cmd *cobra.Command, f runFlags) (pipeline.Options, error) {
	c := a.cfg
	pick := func(flag, cfg string) string {
		if flag != "" {
			return flag
		}
		return cfg
	}
	o := pipeline.Options{
		Inbox:             pick(f.inbox, c.Inbox),
		Reference:         pick(f.reference, c.Reference),
		Out:               pick(f.out, c.Out),
		State:             pick(f.state, c.State),
		MinCount:          c.MinCount,
		MaxQuarantineRate: c.MaxQuarantineRate,
		MinMatchRate:      c.MinMatchRate,
		Dekking:           c.Dekking,
		Recipients:        c.Recipients,
		RegioCode:         pick(f.regioCode, c.RegioCode),
		RegioNaam:         pick(f.regioNaam, c.RegioNaam),
		Software:          readBuild().software(),
		Log:               a.log,
		Report:            f.report || c.Report,
		Group:             pick(f.group, c.Group),
		KeepRuns:          c.KeepRuns,
		Umask:             processUmask,
	}
	if cmd.Flags().Changed("keep-runs") {
		o.KeepRuns = f.keepRuns
	}
	if u := pick(f.umask, c.Umask); u != "" {
		m, err := parseUmask(u)
		if err != nil {
			return o, usageError{err}
		}
		o.Umask = m
	}
	if cmd.Flags().Changed("min-count") {
		o.MinCount = f.minCount
	}
	if cmd.Flags().Changed("max-quarantine-rate") {
		o.MaxQuarantineRate = f.maxQuarantine
	}
	if cmd.Flags().Changed("min-match-rate") {
		o.MinMatchRate = f.minMatchRate
	}
	if cmd.Flags().Changed("recipients") {
		o.Recipients = f.recipients
	}
	set, origin, err := a.schemaSet()
	if err != nil {
		return o, err
	}
	o.Schemas, o.SchemasName = set, origin
	key, err := a.loadKey(f.keyFile)
	if err != nil {
		return o, err
	}
	o.Key = key
	if a.interactive {
		o.Progress = a.stderr
	}
	return o, nil
}

// stopped says what a run that was stopped (SIGTERM from systemd, Ctrl-C)
// left behind, instead of "context canceled".
func stopped(ctx context.Context, err error) error {
	if ctx.Err() == nil || !errors.Is(err, context.Canceled) {
		return err
	}
	return hintError{context.Cause(ctx), "the run stopped and published nothing; the previous publication is unchanged"}
}

// startCPUProfile profiles the Go side of a run; time spent inside DuckDB
// shows up as cgo calls.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func printRunSummary(w io.Writer, out string, m *pipeline.Manifest) {
	fmt.Fprintf(w, "run %s published: %d events, %d input files\n", m.RunID, m.Events, len(m.Operator.Inputs))
	fmt.Fprintf(w, "  latest   %s\n", out+"/"+pipeline.LatestLink)
	for _, o := range m.Outputs {
		fmt.Fprintf(w, "  output   %s\n", o)
	}
}
