package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/ivz-twente/jeugd/internal/demo"
	"github.com/ivz-twente/jeugd/internal/pipeline"
	"github.com/ivz-twente/jeugd/transform"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

func (a *app) demoCommand() *cobra.Command {
	var dir, reference, regioNaam string
	var rows int
	var seed int64
	var minCount int
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Generate a fictional region and inbox, run the pipeline and show the headline figures",
		Long: `demo writes a synthetic region in CBS formats (fictional gemeenten), a realistic inbox
for all seven sources (CSV and XLSX, with some messy rows), and a demo key under --dir,
then runs the whole pipeline (with an HTML report per gemeente) and prints where the
outputs are. With --reference it uses real CBS reference data (e.g. ../shared/data)
instead of the fictional region, so the outputs carry real gemeenten such as Borne; the
persons and events are always fictional. It also writes DIR/jeugd.yaml, a config with
the demo's folders, for the analyst commands (JEUGD_CONFIG=DIR/jeugd.yaml).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ref, region, err := demoRegion(dir, reference, seed, 0)
			if err != nil {
				return err
			}
			inbox := filepath.Join(dir, "inbox")
			today := time.Now()
			if rows == 0 && reference != "" {
				rows = demo.ReferenceRows(region)
			}
			st, err := writeInbox(inbox, region, demo.InboxOptions{Seed: seed, Rows: rows, Today: today, Messy: true})
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "demo inbox: %d rows in %s\n", st.Total(), inbox)
			keyFile := filepath.Join(dir, "demo.key")
			if _, err := os.Stat(keyFile); errors.Is(err, fs.ErrNotExist) {
				if err := transform.GenerateKey(keyFile); err != nil {
					return err
				}
			}
			key, err := transform.LoadKey(keyFile, func(string) string { return "" })
			if err != nil {
				return err
			}
			set, origin, err := a.schemaSet()
			if err != nil {
				return err
			}
			o := pipeline.Options{
				Inbox: inbox, Reference: ref, Out: filepath.Join(dir, "out"), State: filepath.Join(dir, "state"),
				Key: key, Schemas: set, SchemasName: origin, MinCount: minCount, Today: today,
				Software: readBuild().software(), Log: a.log, Umask: processUmask, RegioNaam: regioNaam, Report: true,
			}
			if a.interactive {
				o.Progress = a.stderr
			}
			m, err := pipeline.Run(cmd.Context(), o)
			if err != nil {
				return stopped(cmd.Context(), err)
			}
			printRunSummary(a.stdout, o.Out, m)
			cfg, err := writeDemoConfig(dir, ref)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "  config   %s (for the analyst commands: export %s=%s)\n", cfg, ConfigEnv, cfg)
			return printHeadlines(a.stdout, filepath.Join(o.Out, pipeline.LatestLink, "dashboard", "indicatoren.csv"))
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&dir, "dir", "jeugd-demo", "directory for the demo region, inbox, key and outputs")
	fl.StringVar(&reference, "reference", "", "use this CBS reference directory instead of the fictional region")
	fl.StringVar(&regioNaam, "regio-naam", "", "name of the regio total, e.g. Twente (default the reference's, else Regio)")
	fl.IntVar(&rows, "rows", 0, "approximate number of rows across the seven sources (default 20000; with --reference 150 per buurt)")
	fl.Int64Var(&seed, "seed", 1, "random seed; the same seed gives the same inbox")
	fl.IntVar(&minCount, "min-count", 5, "smallest count published")
	return cmd
}

// demoConfigName is the config the demo writes into its folder.
const demoConfigName = "jeugd.yaml"

// writeDemoConfig writes DIR/jeugd.yaml with the demo's folders, relative
// to it (the reference absolute when it lies elsewhere), so that `jeugd
// run --config` repeats the run and the analyst commands find it.
func writeDemoConfig(dir, reference string) (string, error) {
	ref, err := filepath.Abs(reference)
	if err != nil {
		return "", err
	}
	if abs, err := filepath.Abs(dir); err == nil {
		if rel, err := filepath.Rel(abs, ref); err == nil && !strings.HasPrefix(rel, "..") {
			ref = rel
		}
	}
	text := "# Written by jeugd demo: the demo's folders, relative to this file.\n" +
		"inbox: inbox\nreference: " + strconv.Quote(filepath.ToSlash(ref)) + "\nout: out\nstate: state\nkey_file: demo.key\n"
	path := filepath.Join(dir, demoConfigName)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		return "", err
	}
	return path, nil
}

// printHeadlines shows the published totals per gemeente and indicator for
// the last complete year, read back from the published CSV so that only
// protected numbers are shown.
func printHeadlines(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	type key struct{ gebied, indicator string }
	vals := map[key]string{}
	var year string
	var gebieden, indicators []string
	seen := map[string]bool{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		niveau := rec[col["gebiedsniveau"]]
		if rec[col["periodetype"]] != "jaar" || rec[col["uitsplitsing"]] != "totaal" || (niveau != "gemeente" && niveau != "regio") {
			continue
		}
		p := rec[col["periode"]]
		if p > year {
			year = p
			clear(vals)
		}
		if p < year {
			continue
		}
		g := rec[col["gebiedsnaam"]]
		ind := rec[col["indicator"]]
		v := rec[col["waarde"]]
		if rec[col["onderdrukt"]] == "true" {
			v = "x"
		}
		vals[key{g, ind}] = v
		if !seen["g"+g] {
			seen["g"+g] = true
			gebieden = append(gebieden, g)
		}
		if !seen["i"+ind] {
			seen["i"+ind] = true
			indicators = append(indicators, ind)
		}
	}
	if year == "" {
		fmt.Fprintln(w, "no complete year published yet")
		return nil
	}
	fmt.Fprintf(w, "\nheadline figures %s (published, protected; x = onderdrukt: withheld, any count, 0 included)\n", year)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "indicator\t")
	for _, g := range gebieden {
		fmt.Fprintf(tw, "%s\t", g)
	}
	fmt.Fprintln(tw)
	for _, ind := range indicators {
		fmt.Fprintf(tw, "%s\t", ind)
		for _, g := range gebieden {
			v, ok := vals[key{g, ind}]
			if !ok {
				v = "0"
			}
			fmt.Fprintf(tw, "%s\t", v)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// writeInbox replaces inbox by a generated one, owner-only: its rows look
// like personal data, so its folders are 0700 (the files are 0600).
func writeInbox(inbox string, region *geocode.Reference, o demo.InboxOptions) (demo.InboxStats, error) {
	if err := os.RemoveAll(inbox); err != nil {
		return demo.InboxStats{}, err
	}
	if err := os.MkdirAll(inbox, 0o700); err != nil {
		return demo.InboxStats{}, err
	}
	if err := os.Chmod(inbox, 0o700); err != nil { // MkdirAll does not change an existing parent
		return demo.InboxStats{}, err
	}
	st, err := demo.WriteInbox(inbox, region, o)
	if err != nil {
		return st, err
	}
	entries, err := os.ReadDir(inbox)
	if err != nil {
		return st, err
	}
	for _, e := range entries {
		if e.IsDir() {
			if err := os.Chmod(filepath.Join(inbox, e.Name()), 0o700); err != nil {
				return st, err
			}
		}
	}
	return st, nil
}

// demoRegion returns the reference directory to use and its data: the given
// one, or the fictional region written to DIR/referentie.
func demoRegion(dir, reference string, seed int64, gemeenten int) (string, *geocode.Reference, error) {
	ref := reference
	if ref == "" {
		ref = filepath.Join(dir, "referentie")
		write := demo.WriteRegion
		if gemeenten > 0 {
			write = func(dir string, seed int64) error { return demo.WriteCountry(dir, seed, gemeenten) }
		}
		if err := write(ref, seed); err != nil {
			return "", nil, err
		}
	}
	region, err := geocode.LoadReference(ref)
	if err != nil {
		return "", nil, usagef("--reference %s: %w", ref, err)
	}
	return ref, region, nil
}
