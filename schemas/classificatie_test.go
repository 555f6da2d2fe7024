package schemas

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestParseArtikelRange(t *testing.T) {
	tests := []struct {
		in      string
		want    ArtikelRange
		wantErr bool
	}{
		{"300", ArtikelRange{Lo: 300, Hi: 300}, false},
		{"300-306", ArtikelRange{Lo: 300, Hi: 306}, false},
		{" 300 - 306 ", ArtikelRange{Lo: 300, Hi: 306}, false},
		{"141a", ArtikelRange{Lo: 141, Hi: 141, Suffix: "a"}, false},
		{"141A", ArtikelRange{Lo: 141, Hi: 141, Suffix: "a"}, false},
		{"138ab", ArtikelRange{Lo: 138, Hi: 138, Suffix: "ab"}, false},
		{"306-300", ArtikelRange{}, true},
		{"abc", ArtikelRange{}, true},
		{"300-", ArtikelRange{}, true},
		{"141abc", ArtikelRange{}, true},
		{"141a-142", ArtikelRange{}, true},
		{"1234567", ArtikelRange{}, true},
	}
	for _, tt := range tests {
		got, err := ParseArtikelRange(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseArtikelRange(%q) = %+v, %v; want %+v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestArtikelRangeContains(t *testing.T) {
	r300 := ArtikelRange{Lo: 300, Hi: 306}
	r285 := ArtikelRange{Lo: 285, Hi: 285}
	r141a := ArtikelRange{Lo: 141, Hi: 141, Suffix: "a"}
	r138ab := ArtikelRange{Lo: 138, Hi: 138, Suffix: "ab"}
	tests := []struct {
		r      ArtikelRange
		num    int
		suffix string
		want   bool
	}{
		{r300, 300, "", true}, {r300, 306, "", true}, {r300, 307, "", false}, {r300, 3000, "", false},
		{r285, 285, "b", true}, {r285, 28, "", false},
		{r141a, 141, "a", true}, {r141a, 141, "", false}, {r141a, 141, "b", false},
		{r138ab, 138, "ab", true}, {r138ab, 138, "a", false}, {r138ab, 138, "", false},
	}
	for _, tt := range tests {
		if got := tt.r.Contains(tt.num, tt.suffix); got != tt.want {
			t.Errorf("%+v.Contains(%d, %q) = %v; want %v", tt.r, tt.num, tt.suffix, got, tt.want)
		}
	}
}

func TestClassificatieValidation(t *testing.T) {
	builtinFS := fstest.MapFS{}
	src, err := builtin.ReadFile("halt-verwijzingen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	builtinFS["halt-verwijzingen.yaml"] = &fstest.MapFile{Data: src}
	builtinFS[ClassificatieFile] = &fstest.MapFile{Data: []byte(`doc: test
categorieen:
  - naam: geweld
    doc: violence
    delictsoort: misdrijf
  - naam: vermogen
    doc: property
    delictsoort: zwaar
  - naam: geweld
    doc: again
  - naam: zonder_doc
lijsten:
  - naam: feit
    doc: test list
    gedeeld: true
    otherwise: overig
    regels:
      - categorie: geweld
        artikelen: ["300-2"]
      - categorie: vermogen
        wet: Sr
        bevat: [diefstal]
      - categorie: leeg
      - categorie: drugs
        bevat: [drugs]
        delictsoort: licht
`)}
	_, err = Load(builtinFS)
	if err == nil {
		t.Fatal("Load accepted a bad classificatie")
	}
	for _, want := range []string{
		"regel 1: artikel range", "regel 2: wet is allowed only with artikelen", "regel 3 needs a categorie",
		"categorie vermogen: delictsoort \"zwaar\"", "categorie geweld declared twice", "categorie zonder_doc has no doc",
		"lijst feit: otherwise categorie overig is not in categorieen", "regel 4: categorie drugs is not in categorieen",
		"regel 4: delictsoort \"licht\"",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Load error %q does not report %q", err, want)
		}
	}
}

func TestSrDelictsoort(t *testing.T) {
	for num, want := range map[int]string{
		1: "", 91: "", 92: Misdrijf, 300: Misdrijf, 350: Misdrijf, 423: Misdrijf,
		424: Overtreding, 453: Overtreding, 461: Overtreding, 487: Overtreding, 488: "", 3100: "",
	} {
		if got := SrDelictsoort(num); got != want {
			t.Errorf("SrDelictsoort(%d) = %q; want %q", num, got, want)
		}
	}
}

// The builtin list is one list: every police, OM and Halt source maps into
// the shared categorieen, and the lists that classify offences are gedeeld.
func TestBuiltinCategorieen(t *testing.T) {
	set := Builtin()
	c := set.Classificatie
	for _, src := range set.Sources {
		if src.Categorie == nil || src.Bron == "jgz" || src.Bron == "leerplicht" {
			continue // signal and absence kinds, not incidents or offences
		}
		if l := c.Lijst(src.Categorie.Lijst); l == nil || !l.Gedeeld {
			t.Errorf("%s classifies with lijst %s, which is not gedeeld", src.Name(), src.Categorie.Lijst)
		}
	}
	for _, naam := range []string{"geweld", "zeden", "vermogen", "vernieling_openbare_orde", "cyber", "drugs", "wapens", "verkeer", "vuurwerk", "leerplicht", "overig"} {
		if c.Categorie(naam) == nil {
			t.Errorf("categorie %s missing", naam)
		}
	}
	for _, gone := range []string{"overig_misdrijf", "overig_overtreding", "baldadigheid"} {
		if c.Categorie(gone) != nil {
			t.Errorf("categorie %s is back; use overig or vernieling_openbare_orde with a delictsoort", gone)
		}
	}
}
