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
	c, err := NewClassifier(l)
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

		{"halt", "Winkeldiefstal", "vermogen"},
		{"halt", "Vuurwerk afsteken buiten de tijden", "vuurwerk"},
		{"halt", "Spijbelen", "leerplicht"},
		{"halt", "Baldadigheid", "baldadigheid"},
		{"halt", "Vernieling bushokje", "vernieling_openbare_orde"},
		{"halt", "Valse melding", "overig_misdrijf"},
		{"halt", "Zwartrijden", "overig_overtreding"},
		{"halt", "iets anders", "overig"},

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
		got, ok := c.Classify(tt.value)
		if got != tt.want || ok != (tt.want != c.Otherwise()) {
			t.Errorf("%s.Classify(%q) = %q, %v; want %q", tt.lijst, tt.value, got, ok, tt.want)
		}
	}
}

func TestParseArtikel(t *testing.T) {
	type res struct {
		wet    string
		num    int
		letter byte
		ok     bool
	}
	tests := []struct {
		in   string
		want res
	}{
		{"300", res{"sr", 300, 0, true}},
		{"300 Sr", res{"sr", 300, 0, true}},
		{"Sr 300", res{"sr", 300, 0, true}},
		{"Sr-300", res{"sr", 300, 0, true}},
		{"art. 300 lid 1 Sr", res{"sr", 300, 0, true}},
		{"Art 300 lid 2 sub a WvSr", res{"sr", 300, 0, true}},
		{"artikel 141a Wetboek van Strafrecht", res{"sr", 141, 'a', true}},
		{"141 a Sr", res{"sr", 141, 'a', true}},
		{"417bis Sr", res{"sr", 417, 0, true}},
		{"3100", res{"sr", 3100, 0, true}},
		{"300/302 Sr", res{"sr", 300, 0, true}},
		{"art. 3 Opiumwet", res{"opiumwet", 3, 0, true}},
		{"2 OW", res{"opiumwet", 2, 0, true}},
		{"8 WVW", res{"wvw", 8, 0, true}},
		{"Wegenverkeerswet 1994 art 8", res{"wvw", 1994, 0, true}},
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
		var got res
		got.wet, got.num, got.letter, got.ok = parseArtikel(tt.in)
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
	c, err := NewClassifier(l)
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
	if _, err := NewClassifier(l); err == nil {
		t.Error("NewClassifier accepted bad artikelen")
	}
}
