package pipeline

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rs/zerolog"

	"github.com/ivz-twente/jeugd/aggregate"
	"github.com/ivz-twente/jeugd/internal/quarantine"
	"github.com/ivz-twente/jeugd/publish"
	"github.com/ivz-twente/jeugd/publish/report"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

// publishAll writes every published table into dir. It stops between
// files when ctx ends.
func publishAll(ctx context.Context, o Options, ref *geocode.Reference, dir string, cells []aggregate.Cell, q *quarantine.Sink, m *Manifest) error {
	if err := publish.WriteDashboard(dir, cells); err != nil {
		return err
	}
	recipients, err := recipientCodes(o, ref, cells)
	if err != nil {
		return err
	}
	if err := publish.WriteQuarantineSummary(dir, quarantineCounts(q.Errors())); err != nil {
		return err
	}
	warnings := GemeenteWarnings(ref)
	own := cellsPerGemeente(cells, recipients)
	opts := publish.GemeenteOptions{Indicators: indicatorDocs(o.policy), Summary: summaryLines(m)}
	in := report.Input{Buurten: ref.Buurten, Quality: ReportQuality(m), MinCount: int(protectedK(o.policy)), Generated: o.Today}
	for _, gm := range recipients {
		if err := ctx.Err(); err != nil {
			return err
		}
		opts.Warnings = warnings[gm]
		if err := publish.WriteGemeente(dir, gm, ref.Naam(gm), own[gm], opts); err != nil {
			return err
		}
		if o.Report {
			// The report goes into its gemeente's folder, beside its tables.
			in.Cells, in.Gemeente, in.Warnings = own[gm], report.Gemeente{Code: gm, Naam: ref.Naam(gm)}, warnings[gm]
			if err := report.WriteFile(publish.GemeenteDir(dir, gm), in); err != nil {
				return err
			}
		}
		delete(own, gm) // written: its copy of the cells can go
	}
	return filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			m.Outputs = append(m.Outputs, filepath.ToSlash(rel))
		}
		return err
	})
}

// cellsPerGemeente gives each recipient its own cells and the regio's (the
// comparison), so that writing 14 or 350 gemeenten reads every cell once
// instead of once per gemeente.
func cellsPerGemeente(cells []aggregate.Cell, recipients []string) map[string][]aggregate.Cell {
	own := make(map[string][]aggregate.Cell, len(recipients))
	for _, gm := range recipients {
		own[gm] = nil
	}
	var regio []aggregate.Cell
	for _, c := range cells {
		if c.Gebiedsniveau == "regio" {
			regio = append(regio, c)
			continue
		}
		if cs, ok := own[c.Gemeentecode]; ok {
			own[c.Gemeentecode] = append(cs, c)
		}
	}
	for gm := range own {
		own[gm] = append(own[gm], regio...)
	}
	return own
}

// GemeenteWarnings are the warnings about each gemeente's figures that the
// reference gives: buurt codes of an older CBS indeling (geocode.OldIndeling).
func GemeenteWarnings(ref *geocode.Reference) map[string][]string {
	w := map[string][]string{}
	for _, old := range ref.OldIndelingen() {
		w[old.Code] = append(w[old.Code], old.Warning())
	}
	return w
}

// recipientCodes resolves the configured recipients (names or codes) or,
// by default, every gemeente that has cells.
func recipientCodes(o Options, ref *geocode.Reference, cells []aggregate.Cell) ([]string, error) {
	if len(o.Recipients) == 0 {
		seen := map[string]bool{}
		for _, c := range cells {
			if c.Gebiedsniveau == "gemeente" {
				seen[c.Gebiedscode] = true
			}
		}
		return slices.Sorted(maps.Keys(seen)), nil
	}
	var codes []string
	for _, r := range o.Recipients {
		g, ok := ref.GemeenteByName(r)
		if !ok {
			return nil, fmt.Errorf("%w: recipient %q is not a gemeente of the reference data", ErrConfig, r)
		}
		codes = append(codes, g.Code)
	}
	return codes, nil
}

func indicatorDocs(p aggregate.Policy) []publish.IndicatorDoc {
	var docs []publish.IndicatorDoc
	for _, ip := range p.Plan.Indicatoren {
		docs = append(docs, publish.IndicatorDoc{Name: ip.Name, Doc: ip.Doc, K: p.K(ip)})
	}
	return docs
}

// protectedK is the threshold the plan applies to most protected
// indicators, for texts that name one k.
func protectedK(p aggregate.Policy) int64 {
	seen := map[int64]int{}
	best := int64(5)
	for _, ip := range p.Plan.Indicatoren {
		if k := p.K(ip); k >= 2 {
			if seen[k]++; seen[k] > seen[best] {
				best = k
			}
		}
	}
	return best
}

func summaryLines(m *Manifest) []publish.KeyValue {
	lines := []publish.KeyValue{
		{Key: "run", Value: m.RunID},
		{Key: "rundatum", Value: m.RunDate},
		{Key: "software", Value: m.SoftwareText()},
	}
	for _, n := range slices.Sorted(maps.Keys(m.Bronnen)) {
		br := m.Bronnen[n]
		lines = append(lines, publish.KeyValue{Key: "bron " + n, Value: fmt.Sprintf("%d bestanden, %d rijen gelezen, %d in quarantaine", br.Files, br.Read, br.Quarantined)})
	}
	return lines
}

// swapLatest makes the new run the current publication, then removes the
// stores of older runs.
func swapLatest(o Options, runID string) error {
	if err := switchLatest(o.Out, runID); err != nil {
		return err
	}
	olds, _ := filepath.Glob(filepath.Join(o.State, "runs", "*.duckdb*"))
	for _, old := range olds {
		if !strings.HasPrefix(filepath.Base(old), runID+".duckdb") {
			os.RemoveAll(old)
		}
	}
	return nil
}

// quarantineCounts sums the rejected rows per source, column and reason:
// what the publication says about quality. Which files and rows were
// rejected is the operator's (STATE).
func quarantineCounts(errs []quarantine.RowError) []publish.QuarantineCount {
	type key struct{ bron, kolom, reden string }
	n := map[key]int{}
	for _, e := range errs {
		bron, _, _ := strings.Cut(e.File, "/") // inbox paths are <bron>/<file>
		n[key{bron, e.Column, e.Kind.String()}]++
	}
	out := make([]publish.QuarantineCount, 0, len(n))
	for k, c := range n {
		out = append(out, publish.QuarantineCount{Bron: k.bron, Kolom: k.kolom, Reden: k.reden, Rijen: c})
	}
	slices.SortFunc(out, func(a, b publish.QuarantineCount) int {
		return cmp.Or(cmp.Compare(a.Bron, b.Bron), cmp.Compare(a.Kolom, b.Kolom), cmp.Compare(a.Reden, b.Reden))
	})
	return out
}

// StorePath is the internal store that belongs to a published run.
func StorePath(state, runID string) string {
	return filepath.Join(state, "runs", runID+".duckdb")
}

// cleanStale removes what killed runs left behind: partial run directories
// and stores that no published run refers to. It runs under the lock.
func cleanStale(o Options, log zerolog.Logger) {
	finishSwitch(o.Out)
	current, _ := LatestRunID(o.Out)
	partials, _ := filepath.Glob(filepath.Join(o.Out, "runs", "*.partial"))
	for _, p := range partials {
		log.Warn().Str("dir", filepath.Base(p)).Msg("removing partial run directory of an interrupted run")
		os.RemoveAll(p)
	}
	// A complete run directory newer than latest was killed between its
	// rename and the switch of latest: it was never published.
	runs, _ := filepath.Glob(filepath.Join(o.Out, "runs", "*"))
	for _, r := range runs {
		if id := filepath.Base(r); current != "" && !strings.HasSuffix(id, ".partial") && id > current {
			log.Warn().Str("dir", id).Msg("removing run directory that was never published")
			os.RemoveAll(r)
		}
	}
	closeOthers(o.Out, current) // a run killed after its switch may have left the previous one open
	tmps, _ := filepath.Glob(filepath.Join(o.Out, LatestLink+".tmp-*"))
	for _, t := range tmps {
		os.Remove(t)
	}
	// A killed run can leave the private directories a store is created or
	// loaded through (.store-*, .load-*): hidden entries are always temporary.
	creating, _ := filepath.Glob(filepath.Join(o.State, "runs", ".*"))
	for _, c := range creating {
		os.RemoveAll(c)
	}
	stores, _ := filepath.Glob(filepath.Join(o.State, "runs", "*.duckdb*"))
	for _, s := range stores {
		if current == "" || !strings.HasPrefix(filepath.Base(s), current+".duckdb") {
			os.RemoveAll(s) // also DuckDB's spill directory <store>.duckdb.tmp
		}
	}
	// The operator's files live as long as their run: a run removed by
	// hand, or one that never published, takes them along.
	files, _ := os.ReadDir(filepath.Join(o.State, "runs"))
	for _, f := range files {
		id := runIDOf(f.Name())
		if id == "" || id == current {
			continue
		}
		if _, err := os.Stat(filepath.Join(o.Out, "runs", id)); err != nil {
			os.RemoveAll(filepath.Join(o.State, "runs", f.Name()))
		}
	}
}
