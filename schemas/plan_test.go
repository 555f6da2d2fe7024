package schemas

import (
	"strings"
	"testing"
	"testing/fstest"
)

const goodPlan = `doc: test plan
indicatoren:
  - naam: a
    telt: personen
    k: 5
    waarom: because
    tabellen:
      - niveau: buurt
        periode: jaar
      - niveau: gemeente
        periode: maand
        uitsplitsingen: [geslacht]
minima:
  - uitsplitsing: categorie
    klasse: zeden
    niveau: gemeente
    periode: jaar
    waarom: rare
`

func TestDecodePlan(t *testing.T) {
	p, errs := decodePlan("tabellen.yaml", []byte(goodPlan))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(p.Indicatoren) != 1 || p.Indicatoren[0].K != 5 || len(p.Indicatoren[0].Tabellen) != 2 || p.Indicatoren[0].Tabellen[1].Line != 10 {
		t.Errorf("decoded %+v", p)
	}
	if len(p.Minima) != 1 || p.Minima[0].Klasse != "zeden" {
		t.Errorf("minima %+v", p.Minima)
	}
}

// Every strict check names the file and the line.
func TestDecodePlanErrors(t *testing.T) {
	for name, tt := range map[string]struct{ yaml, want string }{
		"unknown key":     {strings.Replace(goodPlan, "    waarom: because", "    waarom: because\n    drempel: 3", 1), `tabellen.yaml:7: unknown key "drempel"`},
		"unknown niveau":  {strings.Replace(goodPlan, "niveau: buurt", "niveau: straat", 1), `tabellen.yaml:8: niveau "straat" is not one of`},
		"unknown periode": {strings.Replace(goodPlan, "periode: jaar\n      - niveau: gemeente", "periode: week\n      - niveau: gemeente", 1), `tabellen.yaml:8: periode "week"`},
		"k one":           {strings.Replace(goodPlan, "k: 5", "k: 1", 1), "tabellen.yaml:3: indicator a: k must be 0"},
		"k missing":       {strings.Replace(goodPlan, "    k: 5\n", "", 1), "tabellen.yaml:3: indicator a: k is required"},
		"telt":            {strings.Replace(goodPlan, "telt: personen", "telt: mensen", 1), `tabellen.yaml:3: indicator a: telt "mensen"`},
		"no waarom":       {strings.Replace(goodPlan, "    waarom: because\n", "", 1), "tabellen.yaml:3: indicator a: waarom is required"},
		"no doc":          {strings.Replace(goodPlan, "doc: test plan\n", "", 1), "tabellen.yaml: doc is required"},
		"minimum waarom":  {strings.Replace(goodPlan, "    waarom: rare\n", "", 1), "tabellen.yaml:14: minimum categorie zeden: waarom is required"},
		"not a mapping":   {strings.Replace(goodPlan, "      - niveau: buurt\n        periode: jaar", "      - buurt", 1), "tabellen.yaml:8: expected a mapping"},
		"top-level typo":  {goodPlan + "extra: 1\n", "line 19: field extra not found"},
	} {
		_, errs := decodePlan("tabellen.yaml", []byte(tt.yaml))
		found := false
		for _, err := range errs {
			if strings.Contains(err.Error(), tt.want) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: errors %v, want one containing %q", name, errs, tt.want)
		}
	}
	twice := strings.Replace(goodPlan, "minima:", `  - naam: a
    telt: personen
    k: 5
    waarom: again
minima:`, 1)
	if _, errs := decodePlan("tabellen.yaml", []byte(twice)); len(errs) == 0 || !strings.Contains(errs[0].Error(), "tabellen.yaml:13: indicator a listed twice") {
		t.Errorf("listed twice: %v", errs)
	}
}

// A schemas directory without tabellen.yaml publishes the built-in plan; one
// with a broken plan fails to load.
func TestPlanFallsBackToBuiltin(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, name := range []string{"classificatie.yaml", "politie-incidenten.yaml"} {
		data, err := builtin.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: data}
	}
	s, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if s.Plan == nil || len(s.Plan.Indicatoren) == 0 {
		t.Fatal("no plan")
	}
	fsys[PlanFile] = &fstest.MapFile{Data: []byte("doc: x\nindicatoren:\n  - naam: a\n")}
	if _, err := Load(fsys); err == nil || !strings.Contains(err.Error(), "tabellen.yaml:3") {
		t.Errorf("broken plan: %v", err)
	}
}
