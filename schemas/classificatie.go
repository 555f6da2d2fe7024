package schemas

import (
	"fmt"
	"strings"
)

// Classificatie holds the code lists that map supplier codes and
// descriptions to a categorie. It lives in classificatie.yaml so that an
// analyst can add a new police code without rebuilding.
type Classificatie struct {
	Doc     string  `yaml:"doc"`
	Lijsten []Lijst `yaml:"lijsten"`
}

// Lijst is one classification list, e.g. incident or feit.
type Lijst struct {
	Naam      string  `yaml:"naam"`
	Doc       string  `yaml:"doc"`
	Otherwise string  `yaml:"otherwise"` // categorie for a value no rule matches (counted in the run report)
	Regels    []Regel `yaml:"regels"`
}

// Regel maps values to a categorie. Values and patterns are folded (lower
// case, accents removed, only letters and digits kept). A value matches when
// it equals one of Codes, starts with one of Begint, or contains one of Bevat,
// or when it reads as an article of law (such as "art. 300 lid 1 Sr") of Wet
// whose number lies in one of Artikelen. Rules are tried in order; the first
// match wins.
type Regel struct {
	Categorie string   `yaml:"categorie"`
	Doc       string   `yaml:"doc,omitempty"` // optional: what the rule covers
	Codes     []string `yaml:"codes,omitempty"`
	Begint    []string `yaml:"begint,omitempty"`
	Bevat     []string `yaml:"bevat,omitempty"`
	// Artikelen are article numbers or ranges: "300-306", "285", "141a". A
	// number without a letter matches every lettered article under it (285
	// matches 285b); one with a letter matches only itself. Numbers are
	// compared whole, so 310 never matches article 3100.
	Artikelen []string `yaml:"artikelen,omitempty"`
	// Wet is the law the Artikelen belong to, such as Sr, Opiumwet or WVW;
	// default Sr. A bare number in the data is read as an Sr article.
	Wet string `yaml:"wet,omitempty"`
}

// ArtikelRange is one parsed entry of Regel.Artikelen: articles Lo..Hi, or
// exactly Lo with Letter when Letter is set.
type ArtikelRange struct {
	Lo, Hi int
	Letter byte // lower case; 0 when the entry has no letter
}

// Contains reports whether article num with letter (0 for none) is in r.
func (r ArtikelRange) Contains(num int, letter byte) bool {
	if r.Letter != 0 {
		return num == r.Lo && letter == r.Letter
	}
	return num >= r.Lo && num <= r.Hi
}

// ParseArtikelRange reads "300", "300-306" or "141a".
func ParseArtikelRange(s string) (ArtikelRange, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	lo, rest := leadingNumber(s)
	if lo < 0 {
		return ArtikelRange{}, fmt.Errorf("artikel %q does not start with a number", s)
	}
	r := ArtikelRange{Lo: lo, Hi: lo}
	switch {
	case rest == "":
	case len(rest) == 1 && rest[0] >= 'a' && rest[0] <= 'z':
		r.Letter = rest[0]
	case rest[0] == '-':
		hi, tail := leadingNumber(strings.TrimSpace(rest[1:]))
		if hi < lo || tail != "" {
			return ArtikelRange{}, fmt.Errorf("artikel range %q is not low-high", s)
		}
		r.Hi = hi
	default:
		return ArtikelRange{}, fmt.Errorf("artikel %q is not a number, number with one letter, or range", s)
	}
	return r, nil
}

// leadingNumber splits off the digits s starts with; -1 when there are none
// or too many to be an article.
func leadingNumber(s string) (int, string) {
	n, i := 0, 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if i == 6 {
			return -1, s
		}
		n = n*10 + int(s[i]-'0')
	}
	if i == 0 {
		return -1, s
	}
	return n, strings.TrimSpace(s[i:])
}

// Lijst returns the named list, or nil.
func (c *Classificatie) Lijst(naam string) *Lijst {
	for i := range c.Lijsten {
		if c.Lijsten[i].Naam == naam {
			return &c.Lijsten[i]
		}
	}
	return nil
}
