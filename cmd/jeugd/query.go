package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/ivz-twente/jeugd/publish"
	"github.com/ivz-twente/jeugd/publish/published"
)

type queryFlags struct {
	format, out, memory string
	timeout             time.Duration
	maxRows             int
}

func (a *app) queryCommand() *cobra.Command {
	var f queryFlags
	cmd := &cobra.Command{
		Use:   "query SQL",
		Short: "Run one read-only DuckDB SELECT over the published tables of the last run",
		Long: `query runs one SELECT statement over the published (protected) tables of the last run,
never over the internal store. The table is called indicatoren and has the columns of
indicatoren.csv. Anything else is refused before it runs (exit 2): several statements,
statements that write, attach, load, set or copy, and reading or writing files. A query
stops at --timeout and at --memory-limit (it never spills to disk) and may return at most
--max-rows rows; each of those also exits 2.

  jeugd query "select gebiedsnaam, periode, waarde, onderdrukt from indicatoren
    where indicator = 'jeugdoverlast' and gebiedsniveau = 'gemeente'
      and periodetype = 'jaar' and uitsplitsing = 'totaal' order by 1, 2"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.query(cmd.Context(), args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "table", "output format: table, csv or json")
	fl.StringVar(&f.out, "out", "", "output directory of jeugd run (config: out)")
	fl.DurationVar(&f.timeout, "timeout", 30*time.Second, "stop the query after this long")
	fl.StringVar(&f.memory, "memory-limit", published.DefaultMemory, "memory the query may use, e.g. 256MB or 1GB")
	fl.IntVar(&f.maxRows, "max-rows", published.DefaultMaxRows, "largest number of rows the query may return")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"table", "csv", "json"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func (a *app) query(ctx context.Context, sql string, f queryFlags) error {
	if err := oneOf("--format", f.format, []string{"table", "csv", "json"}); err != nil {
		return err
	}
	if f.timeout <= 0 || f.maxRows <= 0 {
		return usagef("--timeout and --max-rows must be positive")
	}
	l, err := a.openLatest(f.out, "")
	if err != nil {
		return err
	}
	t, err := published.Open(ctx, l.dir, published.Limits{Memory: f.memory, MaxRows: f.maxRows})
	if err != nil {
		if strings.Contains(err.Error(), "memory_limit") {
			return usagef("--memory-limit %q: use a size such as 256MB or 1GB", f.memory)
		}
		return err
	}
	defer t.Close()
	qctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	w := newResultWriter(a.stdout, f.format)
	err = t.Query(qctx, sql, w.header, w.row)
	switch {
	case err == nil:
		return w.close()
	case ctx.Err() != nil:
		return err
	case qctx.Err() != nil:
		return usagef("the query did not finish within --timeout %v; narrow it, or raise --timeout", f.timeout)
	case errors.Is(err, published.ErrTooManyRows):
		return usagef("the query returns more than --max-rows %d rows; narrow it (where, group by, limit), or raise --max-rows", f.maxRows)
	case strings.Contains(err.Error(), "Out of Memory"):
		return usagef("the query needs more than --memory-limit %s; narrow it, or raise --memory-limit", f.memory)
	}
	// Everything else is in the statement: refused, or DuckDB's parser or
	// binder message (an unknown column).
	return usageError{fmt.Errorf("query: %w", err)}
}

// resultWriter writes a query result as it arrives: csv and json stream,
// the table is aligned when it is complete.
type resultWriter struct {
	w      io.Writer
	format string
	cols   []string
	n      int
	tw     *tabwriter.Writer
	cw     *csv.Writer
}

func newResultWriter(w io.Writer, format string) *resultWriter {
	return &resultWriter{w: w, format: format}
}

func text(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

func (r *resultWriter) header(cols []string) error {
	r.cols = cols
	switch r.format {
	case "csv":
		r.cw = csv.NewWriter(r.w)
		return r.cw.Write(cols)
	case "json":
		_, err := io.WriteString(r.w, "[")
		return err
	}
	r.tw = tabwriter.NewWriter(r.w, 0, 4, 2, ' ', 0)
	_, err := fmt.Fprintln(r.tw, strings.Join(cols, "\t"))
	return err
}

func (r *resultWriter) row(vals []any) error {
	r.n++
	rec := make([]string, len(vals))
	for i, v := range vals {
		rec[i] = text(v)
	}
	switch r.format {
	case "csv":
		for i := range rec {
			rec[i] = publish.Neutralise(rec[i])
		}
		return r.cw.Write(rec)
	case "json":
		m := make(map[string]any, len(vals))
		for i, c := range r.cols {
			m[c] = vals[i]
		}
		b, err := json.Marshal(m)
		if err != nil {
			return err
		}
		sep := ",\n  "
		if r.n == 1 {
			sep = "\n  "
		}
		_, err = io.WriteString(r.w, sep+string(b))
		return err
	}
	_, err := fmt.Fprintln(r.tw, strings.Join(rec, "\t"))
	return err
}

func (r *resultWriter) close() error {
	switch r.format {
	case "csv":
		r.cw.Flush()
		return r.cw.Error()
	case "json":
		end := "]\n"
		if r.n > 0 {
			end = "\n]\n"
		}
		_, err := io.WriteString(r.w, end)
		return err
	}
	if err := r.tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(r.w, "(%d rows)\n", r.n)
	return err
}
