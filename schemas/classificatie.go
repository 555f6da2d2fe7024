package schemas

import (
	"fmt"
	"strings"
)

// Classificatie holds the code lists that map supplier codes and
// descriptions to a categorie. It lives in classificatie.yaml so that an
// analyst can add a new police code without rebuilding.
type Classificatie struct {
	Doc string `yaml:"doc"`
	// Categorieen is the one list of categorieën of incidents and offences
	// that police, OM and Halt records are mapped to; every lijst marked
	// Gedeeld may use only these.
	Categorieen []Categorie `yaml:"categorieen"`
	Lijsten     []Lijst     `yaml:"lijsten"`
}

// Delictsoort values: whether an offence is a misdrijf or an overtreding in
// Dutch criminal law. The Wetboek van Strafrecht puts misdrijven in book 2
// (art. 92-423) and overtredingen in book 3 (art. 424-487); a special law
// says itself which of its offences are which (art. 178 WVW 1994, art. 2 WED).
const (
	Misdrijf    = "misdrijf"
	Overtreding = "overtreding"
)

// Delictsoorten lists the values a Categorie or Regel may declare.
var Delictsoorten = []string{Misdrijf, Overtreding}

// Categorie is one entry of the shared categorie list.
type Categorie struct {
	Naam string `yaml:"naam"`
	Doc  string `yaml:"doc"`
	// Delictsoort is the default for offences in this categorie that no
	// article of the Sr and no rule decides; empty when the categorie holds
	// both kinds (vernieling_openbare_orde, verkeer, overig) or no offences.
	Delictsoort string `yaml:"delictsoort,omitempty"`
}

// Lijst is one classification list, e.g. incident or feit.
type Lijst struct {
	Naam      string `yaml:"naam"`
	Doc       string `yaml:"doc"`
	Otherwise string `yaml:"otherwise"` // categorie for a value no rule matches (counted in the run report)
	// Gedeeld marks a list that maps into the shared Categorieen: the
	// loader rejects any other categorie in it.
	Gedeeld bool    `yaml:"gedeeld,omitempty"`
	Regels  []Regel `yaml:"regels"`
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
	// Artikelen are article numbers or ranges: "300-306", "285", "141a",
	// "138ab". A number without letters matches every lettered article
	// under it (285 matches 285b); one with letters matches only itself.
	// Numbers are compared whole, so 310 never matches article 3100.
	Artikelen []string `yaml:"artikelen,omitempty"`
	// Wet is the law the Artikelen belong to, such as Sr, Opiumwet, WVW or
	// WWM; default Sr. A bare number in the data is read as an Sr article.
	Wet string `yaml:"wet,omitempty"`
	// Delictsoort overrides the categorie's default for values this rule
	// matches. It never overrides the Sr: a value read as an article of
	// book 2 is a misdrijf and one of book 3 an overtreding, whatever rule
	// matched it.
	Delictsoort string `yaml:"delictsoort,omitempty"`
	// Voorrang makes the rule win over every rule without it, on any of the
	// source's categorie fields: a description can then refine a code
	// ("326 Sr" with "phishing" in the description is cyber, not vermogen).
	Voorrang bool `yaml:"voorrang,omitempty"`
}

// ArtikelRange is one parsed entry of Regel.Artikelen: articles Lo..Hi, or
// exactly Lo with Suffix when Suffix is set.
type ArtikelRange struct {
	Lo, Hi int
	Suffix string // lower-case letters ("a", "ab"); empty when the entry has none
}

// Contains reports whether article num with suffix ("" for none) is in r.
func (r ArtikelRange) Contains(num int, suffix string) bool {
	if r.Suffix != "" {
		return num == r.Lo && suffix == r.Suffix
	}
	return num >= r.Lo && num <= r.Hi
}

// maxSuffix is the longest letter suffix of an article number (138ab Sr).
const maxSuffix = 2

// ParseArtikelRange reads "300", "300-306", "141a" or "138ab".
func ParseArtikelRange(s string) (ArtikelRange, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	lo, rest := leadingNumber(s)
	if lo < 0 {
		return ArtikelRange{}, fmt.Errorf("artikel %q does not start with a number", s)
	}
	r := ArtikelRange{Lo: lo, Hi: lo}
	switch {
	case rest == "":
	case len(rest) <= maxSuffix && strings.Trim(rest, "abcdefghijklmnopqrstuvwxyz") == "":
		r.Suffix = rest
	case rest[0] == '-':
		hi, tail := leadingNumber(strings.TrimSpace(rest[1:]))
		if hi < lo || tail != "" {
			return ArtikelRange{}, fmt.Errorf("artikel range %q is not low-high", s)
		}
		r.Hi = hi
	default:
		return ArtikelRange{}, fmt.Errorf("artikel %q is not a number, a number with one or two letters, or a range", s)
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

// SrDelictsoort returns the delictsoort of article num of the Wetboek van
// Strafrecht: book 2 (art. 92-423) holds the misdrijven, book 3 (art.
// 424-487) the overtredingen. Book 1 (art. 1-91) holds general provisions
// and no offence, so it and any number beyond the Sr give "".
func SrDelictsoort(num int) string {
	switch {
	case num >= 92 && num <= 423:
		return Misdrijf
	case num >= 424 && num <= 487:
		return Overtreding
	}
	return ""
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

// Categorie returns the named entry of the shared list, or nil.
func (c *Classificatie) Categorie(naam string) *Categorie {
	for i := range c.Categorieen {
		if c.Categorieen[i].Naam == naam {
			return &c.Categorieen[i]
		}
	}
	return nil
}
