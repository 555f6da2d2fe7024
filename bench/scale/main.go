// Command scale summarises the disclosure control of one run for
// scripts/bench-scale.sh: it reads the per-table loss in the operator's
// manifest of the newest run in a STATE directory and prints one line of
// figures.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

type table struct {
	Niveau           string `json:"niveau"`
	Periodetype      string `json:"periodetype"`
	Uitsplitsing     string `json:"uitsplitsing"`
	Cells            int    `json:"cellen"`
	Primary          *int   `json:"primair"`
	Secondary        *int   `json:"secundair"`
	AtLeastK         *int   `json:"vanaf_k"`
	AtLeastKWithheld *int   `json:"vanaf_k_onderdrukt"`
}

type indicator struct {
	Indicator string  `json:"indicator"`
	K         int64   `json:"k"`
	Tabellen  []table `json:"tabellen"`
}

func main() {
	state := flag.String("state", "", "STATE directory of the run")
	flag.Parse()
	if err := run(*state); err != nil {
		fmt.Fprintln(os.Stderr, "scale:", err)
		os.Exit(1)
	}
}

func run(state string) error {
	files, _ := filepath.Glob(filepath.Join(state, "runs", "*.manifest.json"))
	if len(files) == 0 {
		return fmt.Errorf("no operator's manifest in %s", state)
	}
	slices.Sort(files)
	data, err := os.ReadFile(files[len(files)-1])
	if err != nil {
		return err
	}
	var m struct {
		Onderdrukking []indicator `json:"onderdrukking"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	var cells, primary, secondary, gjLost, rjLost, gmLarge, gmLost int
	for _, ind := range m.Onderdrukking {
		for _, t := range ind.Tabellen {
			if t.Primary == nil || t.AtLeastK == nil {
				return fmt.Errorf("%s: the manifest has no split of the withheld cells", files[len(files)-1])
			}
			cells, primary, secondary = cells+t.Cells, primary+*t.Primary, secondary+*t.Secondary
			if t.Uitsplitsing != "totaal" || ind.K < 2 {
				continue
			}
			// Totals of k or more, as the issue counts them.
			switch {
			case t.Niveau == "gemeente" && t.Periodetype == "jaar":
				gjLost += *t.AtLeastKWithheld
			case t.Niveau == "regio" && t.Periodetype == "jaar":
				rjLost += *t.AtLeastKWithheld
			case t.Niveau == "gemeente" && t.Periodetype == "maand":
				gmLarge, gmLost = gmLarge+*t.AtLeastK, gmLost+*t.AtLeastKWithheld
			}
		}
	}
	pct := func(a, b int) float64 { return 100 * float64(a) / float64(max(b, 1)) }
	// cells primary secondary safe-withheld% gemeente-jaar-lost regio-jaar-lost gemeente-maand-withheld%
	fmt.Printf("%d %d %d %.2f %d %d %.1f\n", cells, primary, secondary, pct(secondary, cells-primary),
		gjLost, rjLost, pct(gmLost, gmLarge))
	return nil
}
