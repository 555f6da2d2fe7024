package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func (a *app) schemasCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "schemas",
		Short: "List the supplier sources and their schemas",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			set, origin, err := a.schemaSet()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "SOURCE\tROL\tFIELDS\tDESCRIPTION")
			for _, s := range set.Sources {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", s.Name(), s.Rol, len(s.Fields), s.Doc)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "\n%d sources (%s). Details: jeugd schemas show NAME\n", len(set.Sources), origin)
			return nil
		},
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "show NAME",
		Short: "Show the fields, header aliases, types and roles of one source",
		Args:  cobra.ExactArgs(1),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			set, _, err := a.schemaSet()
			if err != nil {
				return nil, cobra.ShellCompDirectiveError
			}
			return set.Names(), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			set, _, err := a.schemaSet()
			if err != nil {
				return err
			}
			src := set.Source(args[0])
			if src == nil {
				return usagef("unknown source %q; choose one of: %s", args[0], strings.Join(set.Names(), ", "))
			}
			fmt.Fprintf(a.stdout, "%s: %s\nrol: %s, event date: %s", src.Name(), src.Doc, src.Rol, src.Datum)
			if src.Categorie != nil {
				fmt.Fprintf(a.stdout, ", categorie: lijst %s from %s", src.Categorie.Lijst, strings.Join(src.Categorie.Velden, ", "))
			}
			fmt.Fprintln(a.stdout)
			fmt.Fprintln(a.stdout)
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "FIELD\tTYPE\tROLE\tREQUIRED\tALIASES")
			for _, f := range src.Fields {
				req := ""
				if f.Required {
					req = "yes"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", f.Name, f.Type, f.Role, req, strings.Join(f.Aliases, ", "))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintln(a.stdout)
			for _, f := range src.Fields {
				fmt.Fprintf(a.stdout, "  %-28s %s\n", f.Name, f.Doc)
				if len(f.Codes) > 0 {
					fmt.Fprintf(a.stdout, "  %-28s codes: %s", "", codeList(f.Codes))
					if f.Otherwise != "" {
						fmt.Fprintf(a.stdout, "; otherwise %s", f.Otherwise)
					}
					fmt.Fprintln(a.stdout)
				}
			}
			return nil
		},
	})
	return cmd
}

func codeList(codes map[string][]string) string {
	return strings.Join(slices.Sorted(maps.Keys(codes)), ", ")
}
