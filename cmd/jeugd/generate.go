package main

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/ivz-twente/jeugd/internal/demo"
	"github.com/ivz-twente/jeugd/schemas"
)

func (a *app) generateCommand() *cobra.Command {
	var dir, reference, today string
	var rows, gemeenten int
	var seed int64
	var xlsxShare float64
	var messy bool
	var single string
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Write a synthetic inbox of about N rows for benchmarks and tests",
		Long: `generate writes a realistic, fictional inbox of about --rows rows across the seven
sources into DIR/inbox (CSV and some XLSX, several delimiters, encodings, header spellings
and geocode methods; large sources are split into files of at most 500,000 rows), plus a
fictional region in CBS formats in DIR/referentie unless --reference names real reference
data. The same flags give the same bytes; memory does not grow with --rows. An existing
DIR/inbox is replaced.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if dir == "" {
				return usagef("--dir is required")
			}
			if rows <= 0 || rows > demo.MaxInboxRows {
				return usagef("--rows %d: use 1..%d", rows, demo.MaxInboxRows)
			}
			if single != "" && schemas.Builtin().Source(single) == nil {
				return usagef("--single-file %q: choose one of %v", single, schemas.Builtin().Names())
			}
			day := time.Now()
			if today != "" {
				var err error
				if day, err = time.Parse(time.DateOnly, today); err != nil {
					return usagef("--today %q: use YYYY-MM-DD", today)
				}
			}
			if gemeenten != 0 && (reference != "" || gemeenten < 1 || gemeenten > 4999) {
				return usagef("--gemeenten %d: use 1..4999, and not with --reference", gemeenten)
			}
			ref, region, err := demoRegion(dir, reference, seed, gemeenten)
			if err != nil {
				return err
			}
			inbox := filepath.Join(dir, "inbox")
			if xlsxShare <= 0 {
				xlsxShare = -1 // WriteInbox reads 0 as its default share
			}
			start := time.Now()
			st, err := writeInbox(inbox, region, demo.InboxOptions{
				Seed: seed, Rows: rows, Today: day, XLSXShare: xlsxShare, Messy: messy, Single: single,
			})
			if err != nil {
				return err
			}
			xlsx := 0
			for _, f := range st.Files {
				if f.XLSX {
					xlsx += f.Rows
				}
			}
			fmt.Fprintf(a.stdout, "wrote %d rows (%d XLSX) in %d files to %s in %.1fs\n",
				st.Total(), xlsx, len(st.Files), inbox, time.Since(start).Seconds())
			fmt.Fprintf(a.stdout, "reference %s\n", ref)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&dir, "dir", "", "output directory: DIR/inbox and, without --reference, DIR/referentie")
	fl.IntVar(&rows, "rows", demo.DefaultInboxRows, "approximate number of rows across the seven sources")
	fl.Int64Var(&seed, "seed", 1, "random seed; the same seed gives the same inbox")
	fl.StringVar(&reference, "reference", "", "locate the rows in this CBS reference directory instead of a fictional region")
	fl.IntVar(&gemeenten, "gemeenten", 0, "a fictional region of N gemeenten of about 40 buurten each (350: about the Netherlands) instead of the 3-gemeente demo region")
	fl.StringVar(&today, "today", "", "run date YYYY-MM-DD the events lead up to (default today)")
	fl.Float64Var(&xlsxShare, "xlsx-share", 0.10, "largest share of rows written as XLSX; 0 or less writes CSV only")
	fl.StringVar(&single, "single-file", "", "write only this source, as one large CSV file of about --rows rows (benchmarks)")
	fl.BoolVar(&messy, "messy", true, "plant a few percent of rows that must be quarantined and awkward value forms")
	return cmd
}
