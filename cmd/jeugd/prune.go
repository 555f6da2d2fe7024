package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ivz-twente/jeugd/internal/pipeline"
)

func (a *app) pruneCommand() *cobra.Command {
	var out, state string
	var keep int
	cmd := &cobra.Command{
		Use:   "prune --keep N",
		Short: "Remove old runs: keep the N newest and latest",
		Long: `prune removes every run in OUT/runs but the N newest and the one OUT/latest shows,
with the operator's files of those runs in STATE (manifest, quarantine report), and every
failed run's report in STATE/failed but the N newest. It takes the run lock, so it never
races a run. keep_runs in the config (or run --keep-runs) does the same after every
published run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("keep") {
				if a.cfg.KeepRuns == 0 {
					return usagef("--keep N is required (or keep_runs in --config)")
				}
				keep = a.cfg.KeepRuns
			}
			if out == "" {
				out = a.cfg.Out
			}
			if state == "" {
				state = a.cfg.State
			}
			if keep < 1 || out == "" || state == "" {
				return usagef("prune needs --keep 1 or more, --out and --state (or keep_runs, out and state in --config)")
			}
			removed, err := pipeline.Prune(pipeline.PruneOptions{Out: out, State: state, Keep: keep, Log: a.log})
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "removed %d runs; kept the %d newest and latest\n", len(removed), keep)
			for _, id := range removed {
				fmt.Fprintf(a.stdout, "  removed  %s\n", id)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&keep, "keep", 0, "runs to keep besides latest, newest first (config: keep_runs)")
	fl.StringVar(&out, "out", "", "output directory of jeugd run (config: out)")
	fl.StringVar(&state, "state", "", "state directory of jeugd run (config: state)")
	return cmd
}
