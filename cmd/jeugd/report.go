package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/ivz-twente/jeugd/internal/pipeline"
	"github.com/ivz-twente/jeugd/publish/published"
	"github.com/ivz-twente/jeugd/publish/report"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

func (a *app) reportCommand() *cobra.Command {
	var gemeenten []string
	var output, dir, out, reference string
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write a self-contained HTML report per gemeente from the last run",
		Long: `report writes one HTML file per gemeente (headline figures, trend and buurt charts, a
buurt map, data quality) from the published, protected tables of the last run. The file
opens offline: it makes no external requests. Only published numbers appear in it.

  jeugd report --gemeente borne --output borne.html`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			l, err := a.openLatest(out, "")
			if err != nil {
				return err
			}
			if output != "" && len(gemeenten) != 1 {
				return usagef("--output needs exactly one --gemeente")
			}
			t, err := published.Open(ctx, l.dir, published.Limits{})
			if err != nil {
				return err
			}
			defer t.Close()
			codes, names, err := reportGemeenten(ctx, t, gemeenten)
			if err != nil {
				return err
			}
			cells, err := t.Cells(ctx, published.Filter{})
			if err != nil {
				return err
			}
			if reference == "" {
				reference = l.manifest.Settings.ReferenceDir
			}
			ref, err := geocode.LoadReference(reference)
			if err != nil {
				return fmt.Errorf("reference data for the map (--reference): %w", err)
			}
			today, _ := time.Parse("2006-01-02", l.manifest.RunDate)
			in := report.Input{Cells: cells, Buurten: ref.Buurten, Quality: pipeline.ReportQuality(&l.manifest),
				MinCount: max(l.manifest.Settings.MinCount, 5), Generated: today}
			warnings := pipeline.GemeenteWarnings(ref)
			for _, gm := range codes {
				in.Gemeente, in.Warnings = report.Gemeente{Code: gm, Naam: names[gm]}, warnings[gm]
				path := output
				if path == "" {
					if err := os.MkdirAll(dir, 0o755); err != nil {
						return err
					}
					path = filepath.Join(dir, report.FileName(gm))
				}
				if err := writeReport(path, in); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "wrote %s (%s)\n", path, names[gm])
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&gemeenten, "gemeente", nil, "gemeente name or GM code; repeatable (default every gemeente)")
	fl.StringVarP(&output, "output", "o", "", "HTML file to write (with one --gemeente)")
	fl.StringVar(&dir, "dir", ".", "directory for report-<GMcode>.html files when --output is not given")
	fl.StringVar(&out, "out", "", "output directory of jeugd run (config: out)")
	fl.StringVar(&reference, "reference", "", "reference directory with the buurt polygons (default the run's)")
	_ = cmd.RegisterFlagCompletionFunc("gemeente", a.completeGemeente(&out))
	return cmd
}

// reportGemeenten resolves the asked gemeenten (every published one when
// none is asked) to codes, with the name of every published gemeente.
func reportGemeenten(ctx context.Context, t *published.Tables, asked []string) ([]string, map[string]string, error) {
	codes, err := resolveGemeenten(ctx, t, asked)
	if err != nil {
		return nil, nil, err
	}
	all, err := t.Gemeenten(ctx)
	if err != nil {
		return nil, nil, err
	}
	names := map[string]string{}
	for _, g := range all {
		names[g.Code] = g.Naam
		if len(asked) == 0 {
			codes = append(codes, g.Code)
		}
	}
	return codes, names, nil
}

func writeReport(path string, in report.Input) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := report.Write(f, in); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}
