package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/ivz-twente/jeugd/aggregate"
	"github.com/ivz-twente/jeugd/internal/pipeline"
	"github.com/ivz-twente/jeugd/publish"
	"github.com/ivz-twente/jeugd/publish/published"
	"github.com/ivz-twente/jeugd/publish/report"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

// latest locates the current publication of --out (or the config's out).
type latest struct {
	out, state string
	dir        string
	manifest   pipeline.Manifest
}

func (a *app) openLatest(out, state string) (*latest, error) {
	if out == "" {
		out = a.cfg.Out
	}
	if state == "" {
		state = a.cfg.State
	}
	if out == "" {
		return nil, usagef("--out is required (the output directory of jeugd run), or set out in --config")
	}
	id, err := pipeline.LatestRunID(out)
	if err != nil {
		return nil, usagef("%w; run jeugd run or jeugd demo first", err)
	}
	l := &latest{out: out, state: state, dir: filepath.Join(out, "runs", id)}
	data, err := os.ReadFile(filepath.Join(l.dir, "manifest.json"))
	if err != nil {
		return nil, fmt.Errorf("latest publication: %w", err)
	}
	if err := json.Unmarshal(data, &l.manifest); err != nil {
		return nil, fmt.Errorf("latest publication manifest: %w", err)
	}
	return l, nil
}

func (a *app) indicatorsCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "indicators",
		Short: "List the indicators with a one-line definition each",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			for _, ind := range aggregate.Indicators {
				fmt.Fprintf(a.stdout, "%-22s %s\n", ind.Name, ind.DocEN)
				fmt.Fprintf(a.stdout, "%-22s uitsplitsing: %s\n", "", strings.Join(append([]string{"totaal"}, ind.Uitsplitsingen...), ", "))
			}
			return nil
		},
	}
}

func indicatorNames() []string {
	var names []string
	for _, ind := range aggregate.Indicators {
		names = append(names, ind.Name)
	}
	return names
}

// oneOf checks v against the valid choices and names them all when it is not.
func oneOf(flag, v string, valid []string) error {
	if v == "" || slices.Contains(valid, v) {
		return nil
	}
	return usagef("%s %q is not valid; choose one of: %s", flag, v, strings.Join(valid, ", "))
}

var errStricterOnly = errors.New("a smaller --min-count than the run's would reveal suppressed cells")

type aggregateFlags struct {
	per, periode, uitsplitsing, van, tot, format, output, out, state string
	gemeenten                                                        []string
	minCount                                                         int
}

func (a *app) aggregateCommand() *cobra.Command {
	var f aggregateFlags
	cmd := &cobra.Command{
		Use:   "aggregate INDICATOR",
		Short: "Count one indicator per area and period from the last run, protected like the published tables",
		Long: `aggregate answers an ad-hoc question from the last published run, e.g.

  jeugd aggregate minderjarige_daders --per buurt --periode jaar --gemeente borne

The numbers pass the same disclosure control as the published tables (they are the
published cells). A stricter --min-count than the run's recomputes the protection on the
internal store; a smaller one is refused. Suppressed cells are marked, never shown.`,
		Args: cobra.ExactArgs(1),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return indicatorNames(), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.aggregate(cmd, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.per, "per", "gemeente", "area level: buurt, wijk, gemeente or regio")
	fl.StringVar(&f.periode, "periode", "jaar", "period: maand, kwartaal or jaar")
	fl.StringSliceVar(&f.gemeenten, "gemeente", nil, "gemeente name or GM code; repeatable (default all)")
	fl.StringVar(&f.van, "van", "", "first month, YYYY-MM")
	fl.StringVar(&f.tot, "tot", "", "last month, YYYY-MM")
	fl.StringVar(&f.uitsplitsing, "uitsplitsing", "totaal", "breakdown: totaal, geslacht, leeftijdsklasse or categorie")
	fl.StringVar(&f.format, "format", "table", "output format: table, csv, json, xlsx or parquet")
	fl.StringVarP(&f.output, "output", "o", "", "write to FILE instead of stdout (required for xlsx and parquet)")
	fl.IntVar(&f.minCount, "min-count", 0, "a stricter k than the run's (default the run's k)")
	fl.StringVar(&f.out, "out", "", "output directory of jeugd run (config: out)")
	fl.StringVar(&f.state, "state", "", "state directory of jeugd run, needed for a stricter --min-count (config: state)")
	_ = cmd.RegisterFlagCompletionFunc("gemeente", a.completeGemeente(&f.out))
	for flag, choices := range map[string][]string{
		"per": aggregate.Niveaus, "periode": aggregate.Periodetypes, "uitsplitsing": aggregate.Uitsplitsingen,
		"format": {"table", "csv", "json", "xlsx", "parquet"},
	} {
		_ = cmd.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(choices, cobra.ShellCompDirectiveNoFileComp))
	}
	return cmd
}

func (a *app) completeGemeente(out *string) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
		l, err := a.openLatest(*out, "")
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		t, err := published.Open(cmd.Context(), l.dir)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		defer t.Close()
		gm, _ := t.Gemeenten(cmd.Context())
		var names []string
		for _, g := range gm {
			names = append(names, strings.ToLower(g.Naam))
		}
		return names, cobra.ShellCompDirectiveNoFileComp
	}
}

func (a *app) aggregate(cmd *cobra.Command, indicator string, f aggregateFlags) error {
	ctx := cmd.Context()
	if err := oneOf("INDICATOR", indicator, indicatorNames()); err != nil {
		return err
	}
	for _, c := range []struct {
		flag, v string
		valid   []string
	}{
		{"--per", f.per, aggregate.Niveaus}, {"--periode", f.periode, aggregate.Periodetypes},
		{"--uitsplitsing", f.uitsplitsing, aggregate.Uitsplitsingen},
		{"--format", f.format, []string{"table", "csv", "json", "xlsx", "parquet"}},
	} {
		if err := oneOf(c.flag, c.v, c.valid); err != nil {
			return err
		}
	}
	ind, _ := aggregate.IndicatorByName(indicator)
	if f.uitsplitsing != "totaal" && !slices.Contains(ind.Uitsplitsingen, f.uitsplitsing) {
		return usagef("%s has no uitsplitsing %s; choose one of: totaal, %s", indicator, f.uitsplitsing, strings.Join(ind.Uitsplitsingen, ", "))
	}
	for _, m := range []struct{ flag, v string }{{"--van", f.van}, {"--tot", f.tot}} {
		if m.v != "" && !validMonth(m.v) {
			return usagef("%s %q is not a month; use YYYY-MM, e.g. 2025-03", m.flag, m.v)
		}
	}
	if (f.format == "xlsx" || f.format == "parquet") && f.output == "" {
		return usagef("--format %s needs --output FILE", f.format)
	}
	l, err := a.openLatest(f.out, f.state)
	if err != nil {
		return err
	}
	runK, policy := l.manifest.Settings.MinCount, l.manifest.Settings.Policy
	k := runK
	if cmd.Flags().Changed("min-count") {
		switch {
		case f.minCount < runK:
			return usageError{fmt.Errorf("--min-count %d is below the run's k = %d: %w", f.minCount, runK, errStricterOnly)}
		case policy != "suppress" && f.minCount != runK:
			return usagef("the last run used policy %s; --min-count applies to policy suppress only", policy)
		}
		k = f.minCount
	}
	t, err := published.Open(ctx, l.dir)
	if err != nil {
		return err
	}
	defer t.Close()
	gemeenten, err := resolveGemeenten(ctx, t, f.gemeenten)
	if err != nil {
		return err
	}
	filter := published.Filter{Indicator: indicator, Niveau: f.per, Periodetype: f.periode, Gemeenten: gemeenten,
		Uitsplitsing: f.uitsplitsing, Van: f.van, Tot: f.tot}
	var cells []aggregate.Cell
	if k == runK {
		cells, err = t.Cells(ctx, filter)
	} else {
		cells, err = a.reprotect(ctx, l, t, k, filter)
	}
	if err != nil {
		return err
	}
	if len(cells) == 0 {
		fmt.Fprintln(a.stderr, "no published cells match; a cell that is absent has the value 0")
	}
	return a.writeCells(cells, f, k, policy)
}

func validMonth(s string) bool {
	return len(s) == 7 && s[4] == '-' && s[:4] >= "1900" && s[:4] <= "2999" && s[5:] >= "01" && s[5:] <= "12" &&
		strings.Trim(s[:4]+s[5:], "0123456789") == ""
}

// resolveGemeenten turns names or codes into GM codes, case-insensitively,
// and lists the valid names when one is unknown.
func resolveGemeenten(ctx context.Context, t *published.Tables, given []string) ([]string, error) {
	if len(given) == 0 {
		return nil, nil
	}
	all, err := t.Gemeenten(ctx)
	if err != nil {
		return nil, err
	}
	var codes, valid []string
	for _, g := range all {
		valid = append(valid, g.Naam+" ("+g.Code+")")
	}
	for _, s := range given {
		found := false
		for _, g := range all {
			if strings.EqualFold(strings.TrimSpace(s), g.Naam) || strings.EqualFold(strings.TrimSpace(s), g.Code) {
				codes = append(codes, g.Code)
				found = true
				break
			}
		}
		if !found {
			return nil, usagef("--gemeente %q is not a published gemeente; choose one of: %s", s, strings.Join(valid, ", "))
		}
	}
	return codes, nil
}

// reprotect recomputes the whole table from the internal store with a
// stricter k and then filters, so the result is protected as a whole and
// cannot be combined with other answers to undo a suppression.
func (a *app) reprotect(ctx context.Context, l *latest, t *published.Tables, k int, f published.Filter) ([]aggregate.Cell, error) {
	if l.state == "" {
		return nil, usagef("a stricter --min-count recomputes from the internal store: give --state (or state in --config)")
	}
	store, err := aggregate.OpenStoreReadOnly(ctx, pipeline.StorePath(l.state, l.manifest.RunID))
	if err != nil {
		return nil, err
	}
	defer store.Close()
	names, err := t.Names(ctx)
	if err != nil {
		return nil, err
	}
	today, err := time.Parse("2006-01-02", l.manifest.RunDate)
	if err != nil {
		return nil, fmt.Errorf("manifest run_date: %w", err)
	}
	regio := l.manifest.Settings.Regio
	cells, err := store.Cells(ctx, aggregate.Query{Today: today, Namer: names, RegioCode: regio, RegioNaam: names.Naam(regio)})
	if err != nil {
		return nil, err
	}
	policy := aggregate.Policy{Name: "suppress", MinCount: k}
	if _, err := aggregate.Protect(cells, policy); err != nil {
		return nil, err
	}
	// Keep every cell the publication suppressed suppressed too. The union
	// of two safe patterns is safe: a cell hidden in either cannot be
	// derived from what both leave published.
	hidden, err := t.Suppressed(ctx)
	if err != nil {
		return nil, err
	}
	for i := range cells {
		if hidden[published.CellKey(&cells[i])] {
			cells[i].Onderdrukt, cells[i].Waarde = true, 0
		}
	}
	if err := aggregate.Verify(cells, policy); err != nil {
		return nil, err
	}
	return published.FilterCells(cells, f), nil
}

// writeCells prints or writes cells in the chosen format. Suppressed cells
// carry no value in any format.
func (a *app) writeCells(cells []aggregate.Cell, f aggregateFlags, k int, policy string) error {
	if f.format == "table" {
		return writeTable(a.stdout, cells, k, policy)
	}
	w := a.stdout
	var file *os.File
	if f.output != "" {
		var err error
		if file, err = os.Create(f.output); err != nil {
			return err
		}
		defer file.Close()
		// Hide Close: the Parquet writer closes a sink that has one, and
		// the error of the real Close below must be seen.
		w = struct{ io.Writer }{file}
	}
	var err error
	switch f.format {
	case "csv":
		err = publish.WriteCellsCSV(w, cells)
	case "json":
		err = writeCellsJSON(w, cells)
	case "parquet":
		err = publish.WriteCellsParquet(w, cells)
	case "xlsx":
		err = publish.WriteCellsXLSX(w, cells, k, publish.Policy(policy))
	}
	if err != nil {
		return err
	}
	if file != nil {
		if err := file.Close(); err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, "wrote %d cells to %s\n", len(cells), f.output)
	}
	return nil
}

// jsonCell is a cell as JSON: waarde null when suppressed.
type jsonCell struct {
	Indicator     string `json:"indicator"`
	Gebiedsniveau string `json:"gebiedsniveau"`
	Gebiedscode   string `json:"gebiedscode"`
	Gebiedsnaam   string `json:"gebiedsnaam"`
	Gemeentecode  string `json:"gemeentecode"`
	Periodetype   string `json:"periodetype"`
	Periode       string `json:"periode"`
	Uitsplitsing  string `json:"uitsplitsing"`
	Klasse        string `json:"klasse"`
	Waarde        *int64 `json:"waarde"`
	Onderdrukt    bool   `json:"onderdrukt"`
}

func writeCellsJSON(w io.Writer, cells []aggregate.Cell) error {
	out := make([]jsonCell, 0, len(cells))
	for _, c := range cells {
		j := jsonCell{c.Indicator, c.Gebiedsniveau, c.Gebiedscode, c.Gebiedsnaam, c.Gemeentecode, c.Periodetype,
			c.Periode, c.Uitsplitsing, c.Klasse, nil, c.Onderdrukt}
		if !c.Onderdrukt {
			v := c.Waarde
			j.Waarde = &v
		}
		out = append(out, j)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// writeTable prints areas as rows and periods as columns, aligned, with
// suppressed cells marked and a one-line legend.
func writeTable(w io.Writer, cells []aggregate.Cell, k int, policy string) error {
	type rowKey struct{ code, naam, klasse string }
	var rows []rowKey
	var periods []string
	vals := map[rowKey]map[string]string{}
	marker := fmt.Sprintf("<%d", k)
	for _, c := range cells {
		rk := rowKey{c.Gebiedscode, c.Gebiedsnaam, c.Klasse}
		if vals[rk] == nil {
			vals[rk] = map[string]string{}
			rows = append(rows, rk)
		}
		if !slices.Contains(periods, c.Periode) {
			periods = append(periods, c.Periode)
		}
		v := strconv.FormatInt(c.Waarde, 10)
		if c.Onderdrukt {
			v = marker
		}
		vals[rk][c.Periode] = v
	}
	slices.Sort(periods)
	showKlasse := len(cells) > 0 && cells[0].Uitsplitsing != "totaal"
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "gebiedscode\tgebiedsnaam\t")
	if showKlasse {
		fmt.Fprint(tw, "klasse\t")
	}
	for _, p := range periods {
		fmt.Fprintf(tw, "%s\t", p)
	}
	fmt.Fprintln(tw)
	for _, rk := range rows {
		fmt.Fprintf(tw, "%s\t%s\t", rk.code, publish.Neutralise(rk.naam))
		if showKlasse {
			fmt.Fprintf(tw, "%s\t", rk.klasse)
		}
		for _, p := range periods {
			v, ok := vals[rk][p]
			if !ok {
				v = "0"
			}
			fmt.Fprintf(tw, "%s\t", v)
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if policy == "round5" {
		fmt.Fprintln(w, "legend: counts rounded to multiples of 5 (policy round5); absent = 0")
	} else {
		fmt.Fprintf(w, "legend: %s = suppressed (fewer than %d, or withheld so it cannot be derived); absent = 0\n", marker, k)
	}
	return nil
}

func (a *app) queryCommand() *cobra.Command {
	var format, out string
	cmd := &cobra.Command{
		Use:   "query SQL",
		Short: "Run read-only DuckDB SQL over the published tables of the last run",
		Long: `query runs one SELECT statement over the published (protected) tables of the last run,
never over the internal store. The table is called indicatoren and has the columns of
indicatoren.csv. Statements that write, attach or read files are refused.

  jeugd query "select indicator, sum(waarde) from indicatoren where gebiedsniveau = 'gemeente' group by 1"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := oneOf("--format", format, []string{"table", "csv", "json"}); err != nil {
				return err
			}
			l, err := a.openLatest(out, "")
			if err != nil {
				return err
			}
			t, err := published.Open(cmd.Context(), l.dir)
			if err != nil {
				return err
			}
			defer t.Close()
			res, err := t.Query(cmd.Context(), args[0])
			if err != nil {
				if errors.Is(err, published.ErrNotReadOnly) {
					return usageError{err}
				}
				return fmt.Errorf("query: %w", err)
			}
			return writeResult(a.stdout, res, format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	cmd.Flags().StringVar(&out, "out", "", "output directory of jeugd run (config: out)")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"table", "csv", "json"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func writeResult(w io.Writer, res *published.Result, format string) error {
	text := func(v any) string {
		if v == nil {
			return ""
		}
		return fmt.Sprint(v)
	}
	switch format {
	case "json":
		var out []map[string]any
		for _, r := range res.Rows {
			m := map[string]any{}
			for i, c := range res.Columns {
				m[c] = r[i]
			}
			out = append(out, m)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write(res.Columns)
		for _, r := range res.Rows {
			rec := make([]string, len(r))
			for i, v := range r {
				rec[i] = publish.Neutralise(text(v))
			}
			_ = cw.Write(rec)
		}
		cw.Flush()
		return cw.Error()
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(res.Columns, "\t"))
	for _, r := range res.Rows {
		rec := make([]string, len(r))
		for i, v := range r {
			rec[i] = text(v)
		}
		fmt.Fprintln(tw, strings.Join(rec, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "(%d rows)\n", len(res.Rows))
	return nil
}

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
			t, err := published.Open(ctx, l.dir)
			if err != nil {
				return err
			}
			defer t.Close()
			codes, err := resolveGemeenten(ctx, t, gemeenten)
			if err != nil {
				return err
			}
			all, err := t.Gemeenten(ctx)
			if err != nil {
				return err
			}
			names := map[string]string{}
			for _, g := range all {
				names[g.Code] = g.Naam
				if len(gemeenten) == 0 {
					codes = append(codes, g.Code)
				}
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
				MinCount: l.manifest.Settings.MinCount, Policy: publish.Policy(l.manifest.Settings.Policy), Generated: today}
			for _, gm := range codes {
				in.Gemeente = report.Gemeente{Code: gm, Naam: names[gm]}
				path := output
				if path == "" {
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
