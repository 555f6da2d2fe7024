package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/ivz-twente/jeugd/ingest"
	"github.com/ivz-twente/jeugd/internal/pipeline"
	"github.com/ivz-twente/jeugd/schemas"
	"github.com/ivz-twente/jeugd/transform"
)

// Exit codes, documented in README.
const (
	exitOK      = 0
	exitFailure = 1 // anything else: a store, publish or I/O failure, a lock held
	exitUsage   = 2 // usage or configuration error
	exitQuality = 3 // data-quality threshold exceeded: nothing published
)

// app holds what the global flags set up for every command.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	log            zerolog.Logger
	cfg            Config
	cfgFile        string
	logFormat      string
	logLevel       string
	schemasDir     string
	interactive    bool // stderr is a terminal: progress lines and console logs
	getenv         func(string) string
}

// usageError marks errors that are the user's to fix (exit 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// hintError adds what the user can do after the problem: "problem; hint".
type hintError struct {
	err  error
	hint string
}

func (e hintError) Error() string { return e.err.Error() + "; " + e.hint }
func (e hintError) Unwrap() error { return e.err }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		a.interactive = true
	}
	root := a.rootCommand()
	root.InitDefaultHelpCmd() // Execute adds these too late for the Find below
	root.InitDefaultCompletionCmd()
	usageArgs(root)
	if _, _, err := root.Find(args); err != nil { // an unknown command
		fmt.Fprintf(stderr, "jeugd: %v\n", err)
		return exitUsage
	}
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "jeugd: %v\n", err)
	return exitCode(err)
}

// usageArgs makes wrong positional arguments usage errors (exit 2), as
// SetFlagErrorFunc does for flags.
func usageArgs(c *cobra.Command) {
	if check := c.Args; check != nil {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := check(cmd, args); err != nil {
				return usageError{err}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		usageArgs(sub)
	}
}

// exitCode maps an error to the documented exit codes in one place.
func exitCode(err error) int {
	var ue usageError
	switch {
	case errors.As(err, &ue),
		errors.Is(err, pipeline.ErrConfig),
		errors.Is(err, transform.ErrNoKey),
		errors.Is(err, transform.ErrShortKey),
		errors.Is(err, transform.ErrKeyPermissions):
		return exitUsage
	case errors.Is(err, pipeline.ErrQuarantineRate), errors.Is(err, transform.ErrLowMatchRate):
		return exitQuality
	case errors.Is(err, ingest.ErrMissingColumn), errors.Is(err, ingest.ErrEmptyFile),
		errors.Is(err, ingest.ErrNoHeader), errors.Is(err, ingest.ErrUnreadable),
		errors.Is(err, ingest.ErrNoSource), errors.Is(err, ingest.ErrAmbiguous), errors.Is(err, ingest.ErrUnknownFormat):
		return exitFailure
	default:
		return exitFailure
	}
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "jeugd",
		Short: "Turn supplier exports into anonymous youth figures per buurt",
		Long: `jeugd reads police, OM, Halt, leerplicht and JGZ exports (CSV/XLSX), strips every
personal identifier, links persons across sources with keyed pseudonyms, geocodes to CBS
buurt and publishes protected counts (jeugdoverlast, minderjarige daders, slachtoffers, ...)
per buurt, wijk and gemeente for the Integraal Dashboard Jeugd of Platform IVZ Twente.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return a.setup(cmd)
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	pf := root.PersistentFlags()
	pf.StringVar(&a.logFormat, "log-format", "", "log format: json or console (default console on a terminal, json otherwise)")
	pf.StringVar(&a.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	pf.StringVar(&a.cfgFile, "config", "", "YAML config file; flags override it (default $"+ConfigEnv+")")
	pf.StringVar(&a.schemasDir, "schemas", "", "directory of source schema YAML files replacing the built-in ones")

	root.AddCommand(
		a.versionCommand(),
		a.schemasCommand(),
		a.checkCommand(),
		a.keyCommand(),
		a.referenceCommand(),
		a.runCommand(),
		a.pruneCommand(),
		a.demoCommand(),
		a.indicatorsCommand(),
		a.aggregateCommand(),
		a.queryCommand(),
		a.generateCommand(),
		a.reportCommand(),
	)
	return root
}

// setup builds the logger and loads the config file. Only cmd builds a
// logger; packages get it injected.
func (a *app) setup(cmd *cobra.Command) error {
	level, err := zerolog.ParseLevel(strings.ToLower(a.logLevel))
	if err != nil || a.logLevel == "" {
		return usagef("--log-level %q: use debug, info, warn or error", a.logLevel)
	}
	var w io.Writer
	switch a.logFormat {
	case "":
		if a.interactive {
			w = zerolog.ConsoleWriter{Out: a.stderr, TimeFormat: time.TimeOnly}
		} else {
			w = a.stderr
		}
	case "console":
		w = zerolog.ConsoleWriter{Out: a.stderr, TimeFormat: time.TimeOnly, NoColor: !a.interactive}
	case "json":
		w = a.stderr
	default:
		return usagef("--log-format %q: use json or console", a.logFormat)
	}
	zerolog.DurationFieldUnit = time.Second // "took" fields in seconds
	a.log = zerolog.New(w).Level(level).With().Timestamp().Logger()
	if a.cfgFile == "" {
		a.cfgFile = a.getenv(ConfigEnv)
	}
	if a.cfgFile != "" {
		cfg, err := loadConfig(a.cfgFile)
		if err != nil {
			return usageError{err}
		}
		a.cfg = cfg
	}
	if a.schemasDir == "" && a.cfg.Schemas != "" {
		a.schemasDir = a.cfg.Schemas
	}
	return nil
}

// schemaSet returns the built-in schemas or those of --schemas DIR.
func (a *app) schemaSet() (*schemas.Set, string, error) {
	if a.schemasDir == "" {
		return schemas.Builtin(), "builtin", nil
	}
	set, err := schemas.LoadDir(a.schemasDir)
	if err != nil {
		return nil, "", usagef("schemas in %s:\n%w", a.schemasDir, err)
	}
	return set, a.schemasDir, nil
}

// groupRunE answers a command group called without a valid subcommand:
// a usage error naming the subcommands, rather than help and exit 0.
func groupRunE(cmd *cobra.Command, args []string) error {
	var subs []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			subs = append(subs, c.Name())
		}
	}
	if len(args) > 0 {
		return usagef("unknown command %q for %q; choose one of: %s", args[0], cmd.CommandPath(), strings.Join(subs, ", "))
	}
	return usagef("%s needs a subcommand: %s", cmd.CommandPath(), strings.Join(subs, ", "))
}
