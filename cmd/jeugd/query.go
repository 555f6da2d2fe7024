package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ivz-twente/jeugd/publish"
	"github.com/ivz-twente/jeugd/publish/published"
)

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
