package transform

import (
	"testing"

	"github.com/ivz-twente/jeugd/schemas"
)

func builtinClassifier(t testing.TB, lijst string) *Classifier {
	t.Helper()
	set := schemas.Builtin()
	l := set.Classificatie.Lijst(lijst)
	if l == nil {
		t.Fatalf("lijst %s missing", lijst)
	}
	c, err := NewClassifier(l, set.Classificatie.Categorieen)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestClassifyBuiltin(t *testing.T) {
	tests := []struct {
		lijst, value, want string
	}{
		{"incident", "E35", "jeugdoverlast"},
		{"incident", "e 35", "jeugdoverlast"},
		{"incident", "Overlast jeugd", "jeugdoverlast"},
		{"incident", "Melding overlast jeugd", "jeugdoverlast"},
		{"incident", "Jeugdoverlast", "jeugdoverlast"},
		{"incident", "Overlast door jeugd", "jeugdoverlast"},
		{"incident", "E33", "overlast_overig"},
		{"incident", "E37", "overlast_overig"},
		{"incident", "E38", "overlast_overig"},
		{"incident", "Geluidsoverlast", "overlast_overig"},
		{"incident", "Overlast verward/overspannen persoon", "overlast_overig"},
		{"incident", "Burengerucht (relatieproblemen)", "overlast_overig"},
		{"incident", "Vernieling cq. zaakbeschadiging", "vernieling_openbare_orde"},
		{"incident", "Baldadigheid", "vernieling_openbare_orde"},
		{"incident", "Straatroof", "geweld"},
		{"incident", "Diefstal/inbraak woning", "vermogen"},
		{"incident", "E350", "overig"},
		{"incident", "Aanrijding", "overig"},

		{"feit", "300 Sr", "geweld"},
		{"feit", "Sr 300", "geweld"},
		{"feit", "art. 300 lid 1 Sr", "geweld"},
		{"feit", "300", "geweld"},
		{"feit", "285b Sr", "geweld"},
		{"feit", "312 Sr", "geweld"},
		{"feit", "310 Sr", "vermogen"},
		{"feit", "3100", "overig"},
		{"feit", "138ab Sr", "cyber"},
		{"feit", "art. 138ab lid 1 Sr", "cyber"},
		{"feit", "138 Sr", "vernieling_openbare_orde"},
		{"feit", "350a Sr", "cyber"},
		{"feit", "139h Sr", "zeden"},
		{"feit", "Phishing", "cyber"},
		{"feit", "Oplichting via internet", "cyber"},
		{"feit", "art. 26 WWM", "wapens"},
		{"feit", "Wet wapens en munitie", "wapens"},
		{"feit", "Bedreiging met vuurwapen", "geweld"},
		{"feit", "Wegenverkeerswet 1994 art. 8", "verkeer"},
		{"feit", "461 Sr", "overig"},
		{"feit", "453 Sr", "vernieling_openbare_orde"},
		{"feit", "31", "overig"},
		{"feit", "Artikel 326 Wetboek van Strafrecht", "vermogen"},
		{"feit", "417bis Sr", "vermogen"},
		{"feit", "350 Sr", "vernieling_openbare_orde"},
		{"feit", "424 Sr", "vernieling_openbare_orde"},
		{"feit", "245 Sr", "zeden"},
		{"feit", "art 3 Opiumwet", "drugs"},
		{"feit", "Opiumwet", "drugs"},
		{"feit", "8 WVW", "verkeer"},
		{"feit", "Diefstal met geweld", "geweld"},
		{"feit", "Eenvoudige mishandeling", "geweld"},
		{"feit", "Winkeldiefstal", "vermogen"},
		{"feit", "F30", "overig"},

		// Halt delicts go through the same list.
		{"feit", "Vuurwerk afsteken buiten de tijden", "vuurwerk"},
		{"feit", "Spijbelen", "leerplicht"},
		{"feit", "Baldadigheid", "vernieling_openbare_orde"},
		{"feit", "Vernieling bushokje", "vernieling_openbare_orde"},
		{"feit", "Valse melding", "overig"},
		{"feit", "Zwartrijden", "overig"},
		{"feit", "Openbare dronkenschap", "vernieling_openbare_orde"},
		{"feit", "iets anders", "overig"},

		// DUO's and Ingrado's verzuim kinds.
		{"verzuim", "Absoluut verzuim", "absoluut"},
		{"verzuim", "ABS", "absoluut"},
		{"verzuim", "rel", "relatief"},
		{"verzuim", "Relatief verzuim", "relatief"},
		{"verzuim", "16 uur in 4 weken", "relatief"},
		{"verzuim", "Ongeoorloofd verzuim 16 uur", "relatief"},
		{"verzuim", "Langdurig relatief verzuim", "langdurig_relatief"},
		{"verzuim", "LRV", "langdurig_relatief"},
		{"verzuim", "Thuiszitter", "langdurig_relatief"},
		{"verzuim", "Luxe verzuim", "luxe"},
		{"verzuim", "luxeverzuim", "luxe"},
		{"verzuim", "Signaalverzuim", "signaal"},
		{"verzuim", "Te laat komen", "signaal"},
		{"verzuim", "Overig verzuim", "overig"},
		{"verzuim", "RMC", "rmc"},
		{"verzuim", "RMC-verzuim", "rmc"},
		{"verzuim", "zorgwekkend verzuim", "zorgwekkend_ziekteverzuim"},
		{"verzuim", "Zorgwekkend ziekteverzuim", "zorgwekkend_ziekteverzuim"},
		{"verzuim", "V17", "overig"},

		{"jgz", "Huiselijk geweld", "huiselijk_geweld"},
		{"jgz", "Vermoeden kindermishandeling", "huiselijk_geweld"},
		{"jgz", "Verwaarlozing", "verwaarlozing"},
		{"jgz", "Alcoholgebruik ouder", "middelengebruik"},
		{"jgz", "Schoolverzuim", "schoolverzuim"},
		{"jgz", "Sociaal-emotionele problemen", "psychosociaal"},
		{"jgz", "Opvoedingsvragen", "opvoeding"},
		{"jgz", "Overgewicht", "overig"},
	}
	cs := map[string]*Classifier{}
	for _, tt := range tests {
		c := cs[tt.lijst]
		if c == nil {
			c = builtinClassifier(t, tt.lijst)
			cs[tt.lijst] = c
		}
		// overig is both a rule's categorie and the otherwise of the
		// shared lists, so only the categorie is compared here.
		if got, _ := c.Classify(tt.value); got != tt.want {
			t.Errorf("%s.Classify(%q) = %q; want %q", tt.lijst, tt.value, got, tt.want)
		}
	}
}

func TestParseArtikel(t *testing.T) {
	type res = artikel
	tests := []struct {
		in   string
		want res
	}{
		{"300", res{"sr", 300, "", true}},
		{"300 Sr", res{"sr", 300, "", true}},
		{"Sr 300", res{"sr", 300, "", true}},
		{"Sr-300", res{"sr", 300, "", true}},
		{"art. 300 lid 1 Sr", res{"sr", 300, "", true}},
		{"Art 300 lid 2 sub a WvSr", res{"sr", 300, "", true}},
		{"artikel 141a Wetboek van Strafrecht", res{"sr", 141, "a", true}},
		{"141 a Sr", res{"sr", 141, "a", true}},
		{"138ab Sr", res{"sr", 138, "ab", true}},
		{"Sr 138 AB", res{"sr", 138, "ab", true}},
		{"300Sr", res{"sr", 300, "", true}},
		{"3 OW", res{"opiumwet", 3, "", true}},
		{"161sexies Sr", res{"sr", 161, "", true}},
		{"Opiumwet 1928 art 2", res{"opiumwet", 2, "", true}},
		{"417bis Sr", res{"sr", 417, "", true}},
		{"3100", res{"sr", 3100, "", true}},
		{"300/302 Sr", res{"sr", 300, "", true}},
		{"art. 3 Opiumwet", res{"opiumwet", 3, "", true}},
		{"2 OW", res{"opiumwet", 2, "", true}},
		{"8 WVW", res{"wvw", 8, "", true}},
		{"Wegenverkeerswet 1994 art 8", res{"wvw", 8, "", true}},
		{"art. 26 lid 1 WWM", res{"wwm", 26, "", true}},
		{"F30", res{}},
		{"E35", res{}},
		{"Sr", res{}},
		{"mishandeling 300 Sr", res{}},
		{"300 Sr mishandeling", res{}},
		{"1234567", res{}},
		{"300 Sr\u00e9", res{}},
		{"", res{}},
	}
	for _, tt := range tests {
		got := parseArtikel(tt.in)
		if !got.ok {
			got = res{}
		}
		if got != tt.want {
			t.Errorf("parseArtikel(%q) = %+v; want %+v", tt.in, got, tt.want)
		}
	}
}

func TestClassifierFirstRuleWins(t *testing.T) {
	l := &schemas.Lijst{Naam: "t", Otherwise: "rest", Regels: []schemas.Regel{
		{Categorie: "a", Bevat: []string{"diefstal met geweld"}},
		{Categorie: "b", Codes: []string{"diefstal met geweld"}, Begint: []string{"diefstal"}},
		{Categorie: "c", Artikelen: []string{"310"}},
		{Categorie: "d", Codes: []string{"310"}},
	}}
	c, err := NewClassifier(l, nil)
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"Diefstal met geweld": "a", // the exact code of a later rule does not win
		"diefstal":            "b",
		"310":                 "c",
		"311":                 "rest",
	} {
		if got, _ := c.Classify(in); got != want {
			t.Errorf("Classify(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestNewClassifierBadArtikel(t *testing.T) {
	l := &schemas.Lijst{Naam: "t", Otherwise: "rest", Regels: []schemas.Regel{{Categorie: "a", Artikelen: []string{"abc", "310-300"}}}}
	if _, err := NewClassifier(l, nil); err == nil {
		t.Error("NewClassifier accepted bad artikelen")
	}
}

// ClassifyRow gives the delictsoort: the Sr book for an article of the Sr,
// else the rule's or categorie's; a voorrang rule wins on any field.
func TestClassifyRowDelictsoort(t *testing.T) {
	c := builtinClassifier(t, "feit")
	tests := []struct {
		values           []string
		categorie, soort string
		ok               bool
	}{
		{[]string{"300 Sr"}, "geweld", "misdrijf", true},
		{[]string{"424 Sr"}, "vernieling_openbare_orde", "overtreding", true},
		{[]string{"350 Sr"}, "vernieling_openbare_orde", "misdrijf", true},
		{[]string{"Baldadigheid"}, "vernieling_openbare_orde", "overtreding", true},
		{[]string{"Vernieling"}, "vernieling_openbare_orde", "misdrijf", true},
		{[]string{"461 Sr"}, "overig", "overtreding", true},
		{[]string{"443 Sr"}, "overig", "overtreding", false}, // book 3, no rule
		{[]string{"266 Sr"}, "overig", "misdrijf", false},
		{[]string{"Verboden toegang"}, "overig", "overtreding", true},
		{[]string{"Belediging"}, "overig", "misdrijf", true},
		{[]string{"Spijbelen"}, "leerplicht", "overtreding", true},
		{[]string{"Vuurwerk afsteken"}, "vuurwerk", "overtreding", true},
		{[]string{"Bezit illegaal vuurwerk"}, "vuurwerk", "misdrijf", true},
		{[]string{"Winkeldiefstal"}, "vermogen", "misdrijf", true},
		{[]string{"art. 3 Opiumwet"}, "drugs", "misdrijf", true},
		{[]string{"art. 8 WVW"}, "verkeer", "misdrijf", true},
		{[]string{"Wegenverkeerswet 1994 art. 8"}, "verkeer", "misdrijf", true},
		{[]string{"art. 107 WVW"}, "verkeer", "overtreding", true},
		{[]string{"Rijden onder invloed"}, "verkeer", "misdrijf", true},
		{[]string{"Rijbewijs"}, "verkeer", "", true},
		{[]string{"art. 26 WWM"}, "wapens", "misdrijf", true},
		{[]string{"art. 54 WWM"}, "wapens", "overtreding", true},
		{[]string{"Openbare orde"}, "vernieling_openbare_orde", "", true},
		{[]string{"iets anders"}, "overig", "", false},
		{[]string{"", ""}, "overig", "", false},
		// The first field that matches decides ...
		{[]string{"310 Sr", "Mishandeling"}, "vermogen", "misdrijf", true},
		{[]string{"X99", "Mishandeling"}, "geweld", "misdrijf", true},
		{[]string{"", "Baldadigheid"}, "vernieling_openbare_orde", "overtreding", true},
		// ... unless a voorrang rule matches another field.
		{[]string{"326 Sr", "Oplichting via internet (phishing)"}, "cyber", "misdrijf", true},
		{[]string{"art. 326 Sr", "Online oplichting"}, "cyber", "misdrijf", true},
		{[]string{"326 Sr", "Oplichting"}, "vermogen", "misdrijf", true},
		// An unmatched row takes the Sr book of any field.
		{[]string{"X99", "443 Sr"}, "overig", "overtreding", false},
	}
	for _, tt := range tests {
		cat, soort, ok := c.ClassifyRow(tt.values...)
		if cat != tt.categorie || soort != tt.soort || ok != tt.ok {
			t.Errorf("ClassifyRow(%q) = %q, %q, %v; want %q, %q, %v", tt.values, cat, soort, ok, tt.categorie, tt.soort, tt.ok)
		}
	}
}

// Art. 424 Sr lands in one categorie whichever source registers it: police
// and OM (feitcode, wetsartikel) and Halt (delict) share the feit list.
func TestOneCategorieForAllSources(t *testing.T) {
	set := schemas.Builtin()
	for _, name := range []string{"politie-verdachten", "om-zaken", "halt-verwijzingen"} {
		src := set.Source(name)
		if src.Categorie == nil || src.Categorie.Lijst != "feit" {
			t.Errorf("%s does not classify with lijst feit", name)
		}
	}
	c := builtinClassifier(t, "feit")
	for _, v := range []string{"424 Sr", "art. 424 Sr", "Baldadigheid"} {
		if cat, soort, _ := c.ClassifyRow(v); cat != "vernieling_openbare_orde" || soort != "overtreding" {
			t.Errorf("ClassifyRow(%q) = %q, %q; want vernieling_openbare_orde, overtreding", v, cat, soort)
		}
	}
}

// parseArtikel never panics and reads only whole, plausible articles.
func FuzzParseArtikel(f *testing.F) {
	for _, s := range []string{"300", "art. 300 lid 1 Sr", "138ab Sr", "Sr 138 AB", "Wegenverkeerswet 1994 art. 8", "417bis", "F30", "3100", "art 26 WWM"} {
		f.Add(s)
	}
	c := builtinClassifier(f, "feit")
	f.Fuzz(func(t *testing.T, s string) {
		a := parseArtikel(s)
		if a.ok && (a.num < 0 || a.num > 999999 || len(a.suffix) > maxArtikelSuffix || a.wet == "") {
			t.Errorf("parseArtikel(%q) = %+v", s, a)
		}
		cat, soort, _ := c.ClassifyRow(s)
		if cat == "" || (soort != "" && soort != schemas.Misdrijf && soort != schemas.Overtreding) {
			t.Errorf("ClassifyRow(%q) = %q, %q", s, cat, soort)
		}
	})
}
