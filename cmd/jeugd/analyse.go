package main

import (
	"cmp"
	"context"
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
		return nil, usagef("--out is required (the output directory of jeugd run), or out: in --config FILE or $%s", ConfigEnv)
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
		t, err := published.Open(cmd.Context(), l.dir, published.Limits{})
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
		return usagef("%s has no uitsplitsing %s; choose one of: %s", indicator, f.uitsplitsing, strings.Join(append([]string{"totaal"}, ind.Uitsplitsingen...), ", "))
	}
	pub, err := a.publishedPolicy()
	if err != nil {
		return err
	}
	ip := pub.Plan.Indicator(indicator)
	if err := ip.Check(f.per, f.periode, f.uitsplitsing); err != nil {
		return usageError{err}
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
	pub.MinCount, pub.Margin = int64(l.manifest.Settings.MinCount), l.manifest.Settings.Margin
	strict := pub
	if cmd.Flags().Changed("min-count") {
		runK := pub.K(ip)
		switch {
		case runK < 2:
			return usagef("%s is published without threshold (table plan); --min-count does not apply to it", indicator)
		case int64(f.minCount) < runK:
			return usageError{fmt.Errorf("--min-count %d is below the run's k = %d for %s: %w", f.minCount, runK, indicator, errStricterOnly)}
		}
		strict.MinCount = max(int64(f.minCount), pub.MinCount)
	}
	t, err := published.Open(ctx, l.dir, published.Limits{})
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
	if strict.K(ip) == pub.K(ip) {
		cells, err = t.Cells(ctx, filter)
	} else {
		cells, err = a.stricter(ctx, l, t, pub, strict, filter)
	}
	if err != nil {
		return err
	}
	if len(cells) == 0 {
		fmt.Fprintln(a.stderr, "no published cells match these filters")
	}
	return a.writeCells(cells, f)
}

// publishedPolicy is the disclosure policy of the table plan in use
// (--schemas or the built-in one); the run's settings fill in the rest.
func (a *app) publishedPolicy() (aggregate.Policy, error) {
	set, _, err := a.schemaSet()
	if err != nil {
		return aggregate.Policy{}, err
	}
	plan, err := aggregate.NewPlan(set.Plan)
	if err != nil {
		return aggregate.Policy{}, usageError{err}
	}
	return aggregate.Policy{Plan: plan, Margin: aggregate.DefaultMargin}, nil
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

// stricter answers under a stricter k from the internal store
// (aggregate.Store.Stricter): the whole table is protected again, keeping
// every cell the publication withheld, and then filtered.
func (a *app) stricter(ctx context.Context, l *latest, t *published.Tables, pub, strict aggregate.Policy, f published.Filter) ([]aggregate.Cell, error) {
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
	gebieden, err := t.Gebieden(ctx)
	if err != nil {
		return nil, err
	}
	today, err := time.Parse("2006-01-02", l.manifest.RunDate)
	if err != nil {
		return nil, fmt.Errorf("manifest run_date: %w", err)
	}
	withheld, err := t.Suppressed(ctx)
	if err != nil {
		return nil, err
	}
	regio := l.manifest.Settings.Regio
	q := aggregate.Query{Today: today, Namer: names, RegioCode: regio, RegioNaam: names.Naam(regio), Gebieden: gebieden,
		Dekking: l.manifest.Dekking()} // the months the publication has no figures for stay so
	cells, err := store.Stricter(ctx, q, pub, strict, func(c *aggregate.Cell) bool { return withheld[published.CellKey(c)] })
	if err != nil {
		return nil, err
	}
	return published.FilterCells(cells, f), nil
}

// writeCells prints or writes cells in the chosen format. Suppressed cells
// carry no value in any format.
func (a *app) writeCells(cells []aggregate.Cell, f aggregateFlags) error {
	if f.format == "table" {
		return writeTable(a.stdout, cells)
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
		err = publish.WriteCellsXLSX(w, cells)
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
func writeTable(w io.Writer, cells []aggregate.Cell) error {
	type rowKey struct{ code, naam, klasse string }
	var rows []rowKey
	var periods []string
	vals := map[rowKey]map[string]string{}
	const marker = "x"
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
	// Areas in the order of the cells, their classes in reading order
	// (0-11 before 12-14), whatever order the cells came in.
	areaAt := map[string]int{}
	for _, rk := range rows {
		if _, ok := areaAt[rk.code]; !ok {
			areaAt[rk.code] = len(areaAt)
		}
	}
	slices.SortStableFunc(rows, func(a, b rowKey) int {
		return cmp.Or(cmp.Compare(areaAt[a.code], areaAt[b.code]), publish.CompareKlasse(a.klasse, b.klasse))
	})
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
	fmt.Fprintf(w, "legend: %s = onderdrukt (withheld: a small count, or withheld so that one cannot be derived; any count, 0 included)\n", marker)
	return nil
}
