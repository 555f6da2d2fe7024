package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/ivz-twente/jeugd/ingest"
	"github.com/ivz-twente/jeugd/internal/quarantine"
	"github.com/ivz-twente/jeugd/schemas"
	"github.com/ivz-twente/jeugd/transform"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

func (a *app) checkCommand() *cobra.Command {
	var bron, sheet, reference string
	var show int
	cmd := &cobra.Command{
		Use:   "check FILE",
		Short: "Validate one export with every row rule a run applies to it",
		Long: `check reads one supplier export (CSV or XLSX) and applies every row rule that jeugd run
applies to a file on its own: the source schema (required fields, dates, codes, postcodes),
and the rules on the rows themselves (an event in the future, a geboortedatum after the
event, an implausible age, no location at all). With --reference (or reference in --config)
it also applies the location rule: a row whose location is in no gemeente of the reference
is quarantined, as in a run. It prints how many rows were read, accepted and quarantined,
with the first quarantine reasons (file, row, column, reason; never a value); the counts
equal the run's for the same file and day. The source is detected from the header unless
--bron names it. Nothing is written. Exit status 0 means the file is usable.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if reference == "" {
				reference = a.cfg.Reference
			}
			return a.check(cmd, args[0], bron, sheet, reference, show)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&bron, "bron", "", "source name, e.g. politie-verdachten (default: detect from the header)")
	fl.StringVar(&sheet, "sheet", "", "XLSX sheet name (default: the first sheet whose header matches)")
	fl.StringVar(&reference, "reference", "", "CBS reference directory, to apply the location rule as a run does (config: reference)")
	fl.IntVar(&show, "show", 10, "how many quarantine reasons to print")
	return cmd
}

func (a *app) check(cmd *cobra.Command, name, bron, sheet, reference string, show int) error {
	set, _, err := a.schemaSet()
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	src, err := a.checkSource(cmd, set, name, bron, sheet)
	if err != nil {
		return err
	}
	var locator transform.Locator = anywhere{}
	if reference != "" {
		ref, err := geocode.LoadReference(reference)
		if err != nil {
			return usagef("--reference %s: %w", reference, err)
		}
		locator = geocode.NewGeocoder(ref)
	}
	// Pseudonyms are computed as in a run and thrown away: any key will do,
	// and this one is never written.
	key := make([]byte, transform.MinKeyLen)
	if _, err := rand.Read(key); err != nil {
		return err
	}
	q := &quarantine.Sink{Keep: max(show, 1)} // keeps no more than it prints
	// The transform's info line per file repeats what check prints.
	tlog := a.log
	if tlog.GetLevel() == zerolog.InfoLevel {
		tlog = tlog.Level(zerolog.WarnLevel)
	}
	tr, err := transform.New(transform.Options{Key: key, Locator: locator, Classificatie: set.Classificatie,
		Quarantine: q, Today: time.Now(), Log: tlog})
	if err != nil {
		return err
	}
	file := filepath.Base(name)
	r, err := ingest.NewReader(ctx, name, src, ingest.Options{Sheet: sheet, Log: a.log, Name: file, Quarantine: q})
	if err != nil {
		return err
	}
	defer r.Release()
	ev := tr.Events(ctx, r, src, file, r.Sheet())
	defer ev.Release()
	for ev.Next() {
	}
	if err := ev.Err(); err != nil {
		return err
	}
	st := r.Stats()
	at := file
	if s := r.Sheet(); s != "" {
		at += " [" + s + "]"
	}
	// As in a run: every rejection, by ingest or by transform, counts.
	quarantined := q.Count()
	fmt.Fprintf(a.stdout, "%s: source %s\n  rows read        %d\n  rows accepted    %d\n  rows quarantined %d\n",
		at, src.Name(), st.Read, st.Read-quarantined, quarantined)
	if len(st.Ignored) > 0 {
		fmt.Fprintf(a.stdout, "  ignored columns  %q\n", st.Ignored)
	}
	if reference == "" && hasLocation(src) {
		fmt.Fprintln(a.stdout, "  location rule    not applied: give --reference DIR to check locations against the CBS reference")
	}
	for i, e := range q.Errors() {
		if i < show {
			fmt.Fprintf(a.stdout, "  %s\n", e.Error()) // Error has a pointer receiver; %v of the value prints the struct
		}
	}
	if more := quarantined - max(show, 0); more > 0 {
		fmt.Fprintf(a.stdout, "  ... and %d more\n", more)
	}
	return nil
}

// checkSource is the source named by --bron, or the one the header shows.
func (a *app) checkSource(cmd *cobra.Command, set *schemas.Set, name, bron, sheet string) (*schemas.Source, error) {
	if bron != "" {
		if src := set.Source(bron); src != nil {
			return src, nil
		}
		return nil, usagef("unknown source %q; choose one of %v", bron, set.Names())
	}
	src, err := ingest.Detect(cmd.Context(), name, set, ingest.Options{Sheet: sheet, Log: a.log, Name: filepath.Base(name)})
	switch {
	case errors.Is(err, ingest.ErrNoSource), errors.Is(err, ingest.ErrAmbiguous):
		return nil, hintError{err, "name the source with --bron"} // err names the file
	case err != nil:
		return nil, err
	}
	return src, nil
}

func hasLocation(src *schemas.Source) bool {
	for _, f := range src.Fields {
		if f.Role == schemas.RoleLocation {
			return true
		}
	}
	return false
}

// anywhere stands in for the reference when check has none: a row with any
// location counts as placed (the location rule is not applied), a row with
// no location at all is still rejected, as in a run.
type anywhere struct{}

func (anywhere) Locate(l *geocode.Location) geocode.Result {
	if l.Empty() {
		return geocode.Result{Method: geocode.MethodOnbekend}
	}
	return geocode.Result{Gemeentecode: "GM0000", Method: geocode.MethodGemeente}
}
