package schemas

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// PlanFile is the file name of the table plan.
const PlanFile = "tabellen.yaml"

// Plan is the table plan: per indicator what is counted, the threshold k
// and which tables are published. It is data, so a privacy officer can
// read it and change it without rebuilding; package aggregate checks it
// against the indicators it knows.
type Plan struct {
	Doc         string
	Indicatoren []PlanIndicator
	Minima      []Minimum // classes published only at this level or coarser
	File        string
}

// PlanIndicator is the rule and the tables of one indicator.
type PlanIndicator struct {
	Naam     string
	Telt     string // personen | zaken | incidenten | registraties
	K        int    // cells of 1..K-1 are withheld; 0 publishes every count
	Waarom   string // why this threshold and these tables
	Tabellen []Tabel
	Line     int
}

// Tabel is one published table: an area level times a period type, as
// totals and per class of each breakdown. Coarser levels and periods follow
// from it (a buurt table implies the wijk, gemeente and regio totals).
type Tabel struct {
	Niveau         string   // buurt | wijk | gemeente | regio
	Periode        string   // maand | kwartaal | jaar
	Uitsplitsingen []string // breakdowns besides the total; checked by aggregate
	Line           int
}

// Minimum keeps one class of a breakdown out of every table finer than
// Niveau x Periode (zeden only per gemeente and year, say).
type Minimum struct {
	Uitsplitsing, Klasse string
	Niveau, Periode      string
	Waarom               string
	Line                 int
}

// Plan vocabularies, coarse to fine.
var (
	PlanNiveaus  = []string{"regio", "gemeente", "wijk", "buurt"}
	PlanPeriodes = []string{"jaar", "kwartaal", "maand"}
	PlanTelt     = []string{"personen", "zaken", "incidenten", "registraties"}
)

type planDoc struct {
	Doc         string      `yaml:"doc"`
	Indicatoren []yaml.Node `yaml:"indicatoren"`
	Minima      []yaml.Node `yaml:"minima"`
}

type indicatorDoc struct {
	Naam     string      `yaml:"naam"`
	Telt     string      `yaml:"telt"`
	K        *int        `yaml:"k"`
	Waarom   string      `yaml:"waarom"`
	Tabellen []yaml.Node `yaml:"tabellen"`
}

type tabelDoc struct {
	Niveau         string   `yaml:"niveau"`
	Periode        string   `yaml:"periode"`
	Uitsplitsingen []string `yaml:"uitsplitsingen"`
}

type minimumDoc struct {
	Uitsplitsing string `yaml:"uitsplitsing"`
	Klasse       string `yaml:"klasse"`
	Niveau       string `yaml:"niveau"`
	Periode      string `yaml:"periode"`
	Waarom       string `yaml:"waarom"`
}

// decodePlan reads tabellen.yaml strictly and reports every problem with
// its line.
func decodePlan(name string, data []byte) (*Plan, []error) {
	var doc planDoc
	if err := strictDecode(name, data, &doc); err != nil {
		return nil, []error{err}
	}
	p := &Plan{Doc: doc.Doc, File: name}
	var errs []error
	bad := func(line int, format string, args ...any) {
		errs = append(errs, &Error{File: name, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	if doc.Doc == "" {
		bad(0, "doc is required")
	}
	seen := map[string]bool{}
	for i := range doc.Indicatoren {
		node := &doc.Indicatoren[i]
		var d indicatorDoc
		if !decodeNode(node, &d, []string{"naam", "telt", "k", "waarom", "tabellen"}, bad) {
			continue
		}
		ind := PlanIndicator{Naam: d.Naam, Telt: d.Telt, Waarom: d.Waarom, Line: node.Line}
		switch {
		case d.Naam == "":
			bad(node.Line, "indicator without a naam")
			continue
		case seen[d.Naam]:
			bad(node.Line, "indicator %s listed twice", d.Naam)
		}
		seen[d.Naam] = true
		if !slices.Contains(PlanTelt, d.Telt) {
			bad(node.Line, "indicator %s: telt %q is not one of %s", d.Naam, d.Telt, strings.Join(PlanTelt, ", "))
		}
		switch {
		case d.K == nil:
			bad(node.Line, "indicator %s: k is required (0 publishes every count)", d.Naam)
		case *d.K < 0 || *d.K == 1:
			bad(node.Line, "indicator %s: k must be 0 (no threshold) or at least 2, not %d", d.Naam, *d.K)
		default:
			ind.K = *d.K
		}
		if d.Waarom == "" {
			bad(node.Line, "indicator %s: waarom is required: say why this threshold and these tables", d.Naam)
		}
		for j := range d.Tabellen {
			tn := &d.Tabellen[j]
			var td tabelDoc
			if !decodeNode(tn, &td, []string{"niveau", "periode", "uitsplitsingen"}, bad) {
				continue
			}
			t := Tabel{Niveau: td.Niveau, Periode: td.Periode, Uitsplitsingen: td.Uitsplitsingen, Line: tn.Line}
			checkLevel(t.Niveau, t.Periode, tn.Line, bad)
			ind.Tabellen = append(ind.Tabellen, t)
		}
		p.Indicatoren = append(p.Indicatoren, ind)
	}
	for i := range doc.Minima {
		node := &doc.Minima[i]
		var d minimumDoc
		if !decodeNode(node, &d, []string{"uitsplitsing", "klasse", "niveau", "periode", "waarom"}, bad) {
			continue
		}
		m := Minimum{Uitsplitsing: d.Uitsplitsing, Klasse: d.Klasse, Niveau: d.Niveau, Periode: d.Periode, Waarom: d.Waarom, Line: node.Line}
		if m.Uitsplitsing == "" || m.Klasse == "" {
			bad(node.Line, "minimum needs uitsplitsing and klasse")
		}
		if m.Waarom == "" {
			bad(node.Line, "minimum %s %s: waarom is required", m.Uitsplitsing, m.Klasse)
		}
		checkLevel(m.Niveau, m.Periode, node.Line, bad)
		p.Minima = append(p.Minima, m)
	}
	return p, errs
}

func checkLevel(niveau, periode string, line int, bad func(int, string, ...any)) {
	if !slices.Contains(PlanNiveaus, niveau) {
		bad(line, "niveau %q is not one of %s", niveau, strings.Join(PlanNiveaus, ", "))
	}
	if !slices.Contains(PlanPeriodes, periode) {
		bad(line, "periode %q is not one of %s", periode, strings.Join(PlanPeriodes, ", "))
	}
}

// decodeNode decodes a mapping node, reporting keys outside keys with
// their line: Node.Decode does not apply KnownFields.
func decodeNode(node *yaml.Node, v any, keys []string, bad func(int, string, ...any)) bool {
	if node.Kind != yaml.MappingNode {
		bad(node.Line, "expected a mapping")
		return false
	}
	ok := true
	for k := 0; k+1 < len(node.Content); k += 2 {
		if key := node.Content[k]; !slices.Contains(keys, key.Value) {
			bad(key.Line, "unknown key %q (known: %s)", key.Value, strings.Join(keys, ", "))
			ok = false
		}
	}
	if err := node.Decode(v); err != nil {
		bad(node.Line, "%s", strings.TrimPrefix(err.Error(), "yaml: "))
		return false
	}
	return ok
}
