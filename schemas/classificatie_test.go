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
		{"141a", ArtikelRange{Lo: 141, Hi: 141, Letter: 'a'}, false},
		{"141A", ArtikelRange{Lo: 141, Hi: 141, Letter: 'a'}, false},
		{"306-300", ArtikelRange{}, true},
		{"abc", ArtikelRange{}, true},
		{"300-", ArtikelRange{}, true},
		{"141ab", ArtikelRange{}, true},
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
	r141a := ArtikelRange{Lo: 141, Hi: 141, Letter: 'a'}
	tests := []struct {
		r      ArtikelRange
		num    int
		letter byte
		want   bool
	}{
		{r300, 300, 0, true}, {r300, 306, 0, true}, {r300, 307, 0, false}, {r300, 3000, 0, false},
		{r285, 285, 'b', true}, {r285, 28, 0, false},
		{r141a, 141, 'a', true}, {r141a, 141, 0, false}, {r141a, 141, 'b', false},
	}
	for _, tt := range tests {
		if got := tt.r.Contains(tt.num, tt.letter); got != tt.want {
			t.Errorf("%+v.Contains(%d, %q) = %v; want %v", tt.r, tt.num, tt.letter, got, tt.want)
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
lijsten:
  - naam: halt
    doc: test list
    otherwise: overig
    regels:
      - categorie: geweld
        artikelen: ["300-2"]
      - categorie: vermogen
        wet: Sr
        bevat: [diefstal]
      - categorie: leeg
`)}
	_, err = Load(builtinFS)
	if err == nil {
		t.Fatal("Load accepted a bad classificatie")
	}
	for _, want := range []string{"regel 1: artikel range", "regel 2: wet is allowed only with artikelen", "regel 3 needs a categorie"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Load error %q does not report %q", err, want)
		}
	}
}
