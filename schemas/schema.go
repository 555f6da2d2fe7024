// Package schemas declares the supplier sources (bron + soort) and the code
// lists that classify their records. A source is data, not code: one YAML
// file per source, embedded in the binary and replaceable with --schemas DIR.
package schemas

import (
	"fmt"
	"strings"
)

// Type is the value type of a canonical field. It decides how ingest parses
// and normalises a cell.
type Type string

const (
	TypeText       Type = "text"       // free text, trimmed
	TypeInt        Type = "int"        // whole number
	TypeDecimal    Type = "decimal"    // number with a decimal point or comma (coordinates)
	TypeDate       Type = "date"       // dd-mm-jjjj, d-m-jjjj, jjjj-mm-dd, dd/mm/jjjj, Excel serial
	TypePostcode   Type = "postcode"   // Dutch PC6, normalised to 1234AB
	TypeHuisnummer Type = "huisnummer" // house number; a letter suffix is split off
	TypeBSN        Type = "bsn"        // burgerservicenummer, normalised to 9 digits (elfproef is transform's job)
	TypeCode       Type = "code"       // value from the field's code list
)

// Role says what the pipeline does with a field after ingest.
type Role string

const (
	RoleIdentifier Role = "identifier" // pseudonymised, then dropped
	RoleLocation   Role = "location"   // geocoded, then dropped
	RoleAttribute  Role = "attribute"  // kept (after classification where it has a code list)
)

// Field declares one canonical field of a source. Doc is shown by `jeugd schemas`.
type Field struct {
	Name     string   `yaml:"name"`     // canonical, snake_case Dutch: pleegdatum
	Aliases  []string `yaml:"aliases"`  // supplier headers; case, space, underscore and accent blind
	Type     Type     `yaml:"type"`     // text | int | decimal | date | postcode | huisnummer | bsn | code
	Role     Role     `yaml:"role"`     // identifier | location | attribute
	Required bool     `yaml:"required"` // a file without this column fails; an empty cell quarantines the row
	Doc      string   `yaml:"doc"`      // a full sentence
	// Codes maps each canonical code to the spellings suppliers use for it
	// (type code only). Matching is case and space blind.
	Codes map[string][]string `yaml:"codes,omitempty"`
	// Otherwise is the canonical code for a value outside Codes. Empty means
	// such a value quarantines the row.
	Otherwise string `yaml:"otherwise,omitempty"`

	line   int               // where the field starts in its file, for error messages
	lookup map[string]string // Normalize(spelling) -> code, built on load
}

// Source is one supplier export kind: a bron (supplier) and soort (file kind).
type Source struct {
	Bron  string `yaml:"bron"`  // politie, om, halt, leerplicht, jgz
	Soort string `yaml:"soort"` // incidenten, verdachten, ...
	Doc   string `yaml:"doc"`   // a full sentence or more
	Rol   string `yaml:"rol"`   // the event role a row becomes: incident, verdachte, slachtoffer, verwijzing, verzuim, signaal
	Datum string `yaml:"datum"` // the field holding the event date (pleegdatum, verwijsdatum, ...)
	// Categorie names the classification list and the fields it reads, in
	// order of preference; empty when the source has no categorie.
	Categorie *CategorieRef `yaml:"categorie,omitempty"`
	// Leeftijd is the plausible age range at the event date; a row with an
	// age outside it is quarantined. nil: any age up to the general limit.
	Leeftijd *Leeftijdsbereik `yaml:"leeftijd,omitempty"`
	Fields   []Field          `yaml:"fields"`

	file string // where it was loaded from
}

// Leeftijdsbereik is a source's plausible age range, whole years at the
// event date, both ends included.
type Leeftijdsbereik struct {
	Min int    `yaml:"min"`
	Max int    `yaml:"max"`
	Doc string `yaml:"doc"` // why: the legal or service basis of the range
}

// Contains reports whether age lies in the range.
func (l *Leeftijdsbereik) Contains(age int) bool { return age >= l.Min && age <= l.Max }

// CategorieRef points a source at a classification list.
type CategorieRef struct {
	Lijst  string   `yaml:"lijst"`  // name of a list in the classification file
	Velden []string `yaml:"velden"` // canonical fields consulted, in order
}

// Name is the source's identifier, "bron-soort", as used for inbox folders
// and the --bron flag.
func (s *Source) Name() string { return s.Bron + "-" + s.Soort }

// File is the file the source was declared in.
func (s *Source) File() string { return s.file }

// Field returns the field with the canonical name, or nil.
func (s *Source) Field(name string) *Field {
	for i := range s.Fields {
		if s.Fields[i].Name == name {
			return &s.Fields[i]
		}
	}
	return nil
}

// Has reports whether the source declares the canonical field.
func (s *Source) Has(name string) bool { return s.Field(name) != nil }

// Normalize folds a header or code for matching: lower case, accents
// removed, and spaces, underscores, hyphens, dots and slashes dropped, so
// "Woon_Postcode", "woon postcode" and "WOONPOSTCODE" all match.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch r {
		case ' ', '_', '-', '.', '/', '\t', '\u00a0', '\ufeff':
			continue
		}
		if f, ok := foldAccent[r]; ok {
			r = f
		}
		b.WriteRune(r)
	}
	return b.String()
}

var foldAccent = map[rune]rune{
	'à': 'a', 'á': 'a', 'â': 'a', 'ä': 'a', 'ã': 'a', 'å': 'a',
	'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e',
	'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i',
	'ò': 'o', 'ó': 'o', 'ô': 'o', 'ö': 'o', 'õ': 'o',
	'ù': 'u', 'ú': 'u', 'û': 'u', 'ü': 'u',
	'ý': 'y', 'ÿ': 'y', 'ç': 'c', 'ñ': 'n', 'ĳ': 'y',
}

// Code returns the canonical code for a supplier value of a code field and
// whether it is known. An unknown value yields Otherwise (ok true) when set.
func (f *Field) Code(v string) (string, bool) {
	if code, ok := f.lookup[Normalize(v)]; ok {
		return code, true
	}
	if f.Otherwise != "" {
		return f.Otherwise, true
	}
	return "", false
}

func (f *Field) String() string { return fmt.Sprintf("%s (%s, %s)", f.Name, f.Type, f.Role) }
