// Command scale summarises the disclosure control of one run for
// scripts/bench-scale.sh: it reads the operator's per-table loss report of
// the newest run in a STATE directory and prints one line of figures.
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
	Niveau       string `json:"niveau"`
	Periodetype  string `json:"periodetype"`
	Uitsplitsing string `json:"uitsplitsing"`
	Cells        int    `json:"cellen"`
	Primary      *int   `json:"primair"`
	Secondary    *int   `json:"secundair"`
}

type indicator struct {
	Indicator string  `json:"indicator"`
	K         int64   `json:"k"`
	Tabellen  []table `json:"tabellen"`
}

func main() {
	state := flag.String("state", "", "STATE directory of the run")
	flag.Parse()
	files, _ := filepath.Glob(filepath.Join(*state, "runs", "*.onderdrukking.json"))
	if len(files) == 0 {
		fmt.Fprintln(os.Stderr, "scale: no loss report in", *state)
		os.Exit(1)
	}
	slices.Sort(files)
	data, err := os.ReadFile(files[len(files)-1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "scale:", err)
		os.Exit(1)
	}
	var inds []indicator
	if err := json.Unmarshal(data, &inds); err != nil {
		fmt.Fprintln(os.Stderr, "scale:", err)
		os.Exit(1)
	}
	var cells, primary, secondary, gjTotals, gjLost, rjLost, gmSafe, gmLost int
	for _, ind := range inds {
		for _, t := range ind.Tabellen {
			p, s := *t.Primary, *t.Secondary
			cells, primary, secondary = cells+t.Cells, primary+p, secondary+s
			if t.Uitsplitsing != "totaal" || ind.K < 2 {
				continue
			}
			switch {
			case t.Niveau == "gemeente" && t.Periodetype == "jaar":
				gjTotals, gjLost = gjTotals+t.Cells-p, gjLost+s
			case t.Niveau == "regio" && t.Periodetype == "jaar":
				rjLost += s
			case t.Niveau == "gemeente" && t.Periodetype == "maand":
				gmSafe, gmLost = gmSafe+t.Cells-p, gmLost+s
			}
		}
	}
	pct := func(a, b int) float64 { return 100 * float64(a) / float64(max(b, 1)) }
	// cells primary secondary safe-withheld% gemeente-jaar-lost regio-jaar-lost gemeente-maand-withheld%
	fmt.Printf("%d %d %d %.2f %d %d %.1f\n", cells, primary, secondary, pct(secondary, cells-primary),
		gjLost, rjLost, pct(gmLost, gmSafe))
}
