package main

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/ivz-twente/jeugd/ingest"
	"github.com/ivz-twente/jeugd/internal/quarantine"
)

func (a *app) checkCommand() *cobra.Command {
	var bron string
	var sheet string
	var show int
	cmd := &cobra.Command{
		Use:   "check FILE",
		Short: "Validate one export without processing it",
		Long: `check reads one supplier export (CSV or XLSX) against its source schema and prints
how many rows were read, accepted and quarantined, with the first quarantine reasons
(file, row, column, reason; never a value). The source is detected from the header
unless --bron names it. Exit status 0 means the file is usable.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			set, _, err := a.schemaSet()
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			name := args[0]
			opts := ingest.Options{Sheet: sheet, Log: a.log, Name: filepath.Base(name)}
			src := set.Source(bron)
			switch {
			case bron != "" && src == nil:
				return usagef("unknown source %q; choose one of %v", bron, set.Names())
			case src == nil:
				if src, err = ingest.Detect(ctx, name, set, opts); err != nil {
					if errors.Is(err, ingest.ErrNoSource) || errors.Is(err, ingest.ErrAmbiguous) {
						return hintError{err, "name the source with --bron"} // err names the file
					}
					return err
				}
			}
			q := &quarantine.Sink{Keep: max(show, 1)} // keeps no more than it prints
			opts.Quarantine = q
			r, err := ingest.NewReader(ctx, name, src, opts)
			if err != nil {
				return err
			}
			defer r.Release()
			for r.Next() {
			}
			if err := r.Err(); err != nil {
				return err
			}
			st := r.Stats()
			at := filepath.Base(name)
			if s := r.Sheet(); s != "" {
				at += " [" + s + "]"
			}
			fmt.Fprintf(a.stdout, "%s: source %s\n  rows read        %d\n  rows accepted    %d\n  rows quarantined %d\n",
				at, src.Name(), st.Read, st.Accepted, st.Quarantined)
			if len(st.Ignored) > 0 {
				fmt.Fprintf(a.stdout, "  ignored columns  %q\n", st.Ignored)
			}
			for i, e := range q.Errors() {
				if i < show {
					fmt.Fprintf(a.stdout, "  %s\n", e.Error()) // Error has a pointer receiver; %v of the value prints the struct
				}
			}
			if more := q.Count() - max(show, 0); more > 0 {
				fmt.Fprintf(a.stdout, "  ... and %d more\n", more)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&bron, "bron", "", "source name, e.g. politie-verdachten (default: detect from the header)")
	cmd.Flags().StringVar(&sheet, "sheet", "", "XLSX sheet name (default: the first sheet whose header matches)")
	cmd.Flags().IntVar(&show, "show", 10, "how many quarantine reasons to print")
	return cmd
}
