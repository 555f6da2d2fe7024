package schemas

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed *.yaml
var builtin embed.FS

// Builtin returns the embedded schemas. They are validated by a test, so an
// error here means a broken build.
func Builtin() *Set {
	s, err := Load(builtin)
	if err != nil {
		panic("schemas: builtin schemas invalid: " + err.Error())
	}
	return s
}

func builtinPlan() (*Plan, []error) {
	data, err := builtin.ReadFile(PlanFile)
	if err != nil {
		return nil, []error{err}
	}
	return decodePlan(PlanFile, data)
}

// LoadDir loads the schemas in dir, falling back to nothing: a user who
// points --schemas at a directory takes responsibility for all of it.
func LoadDir(dir string) (*Set, error) { return Load(os.DirFS(dir)) }

// ClassificatieFile is the file name of the code lists.
const ClassificatieFile = "classificatie.yaml"

// Set is every source plus the classification lists and the table plan.
type Set struct {
	Sources       []*Source // sorted by Name
	Classificatie *Classificatie
	Plan          *Plan
}

// Source returns the source named "bron-soort", or nil.
func (s *Set) Source(name string) *Source {
	for _, src := range s.Sources {
		if src.Name() == name {
			return src
		}
	}
	return nil
}

// Names lists the source names in order.
func (s *Set) Names() []string {
	var names []string
	for _, src := range s.Sources {
		names = append(names, src.Name())
	}
	return names
}

// Error is one problem in a schema file.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// Load reads every *.yaml in fsys and returns all problems, each with file
// and line, joined into one error.
func Load(fsys fs.FS) (*Set, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	set := &Set{}
	var errs []error
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		switch path.Base(name) {
		case ClassificatieFile:
			c, cerrs := decodeClassificatie(name, data)
			errs = append(errs, cerrs...)
			set.Classificatie = c
			continue
		case PlanFile:
			p, perrs := decodePlan(name, data)
			errs = append(errs, perrs...)
			set.Plan = p
			continue
		}
		src, serrs := decodeSource(name, data)
		errs = append(errs, serrs...)
		if src != nil {
			set.Sources = append(set.Sources, src)
		}
	}
	if len(names) == 0 {
		errs = append(errs, errors.New("no *.yaml schema files found"))
	}
	if set.Classificatie == nil {
		set.Classificatie = &Classificatie{}
	}
	if set.Plan == nil && len(errs) == 0 {
		// A schemas directory without a plan publishes the built-in one.
		set.Plan, errs = builtinPlan()
	}
	errs = append(errs, set.check()...)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	sort.Slice(set.Sources, func(i, j int) bool { return set.Sources[i].Name() < set.Sources[j].Name() })
	return set, nil
}

func strictDecode(name string, data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		// yaml.v3 errors already say "line N: ...".
		return &Error{File: name, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	return nil
}

func decodeClassificatie(name string, data []byte) (*Classificatie, []error) {
	var c Classificatie
	if err := strictDecode(name, data, &c); err != nil {
		return nil, []error{err}
	}
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, &Error{File: name, Msg: fmt.Sprintf(format, args...)})
	}
	categorieen := map[string]bool{}
	for i, k := range c.Categorieen {
		switch {
		case k.Naam == "":
			bad("categorie %d has no naam", i+1)
		case categorieen[k.Naam]:
			bad("categorie %s declared twice", k.Naam)
		case k.Doc == "":
			bad("categorie %s has no doc", k.Naam)
		}
		if k.Delictsoort != "" && !slices.Contains(Delictsoorten, k.Delictsoort) {
			bad("categorie %s: delictsoort %q is not one of %s", k.Naam, k.Delictsoort, strings.Join(Delictsoorten, ", "))
		}
		categorieen[k.Naam] = true
	}
	seen := map[string]bool{}
	for _, l := range c.Lijsten {
		switch {
		case l.Naam == "":
			errs = append(errs, &Error{File: name, Msg: "a lijst has no naam"})
		case seen[l.Naam]:
			errs = append(errs, &Error{File: name, Msg: fmt.Sprintf("lijst %s declared twice", l.Naam)})
		case l.Doc == "":
			errs = append(errs, &Error{File: name, Msg: fmt.Sprintf("lijst %s has no doc", l.Naam)})
		case l.Otherwise == "":
			errs = append(errs, &Error{File: name, Msg: fmt.Sprintf("lijst %s has no otherwise categorie", l.Naam)})
		}
		seen[l.Naam] = true
		if l.Gedeeld && l.Otherwise != "" && !categorieen[l.Otherwise] {
			bad("lijst %s: otherwise categorie %s is not in categorieen", l.Naam, l.Otherwise)
		}
		for i, r := range l.Regels {
			if l.Gedeeld && r.Categorie != "" && !categorieen[r.Categorie] {
				bad("lijst %s regel %d: categorie %s is not in categorieen", l.Naam, i+1, r.Categorie)
			}
			if r.Delictsoort != "" && !slices.Contains(Delictsoorten, r.Delictsoort) {
				bad("lijst %s regel %d: delictsoort %q is not one of %s", l.Naam, i+1, r.Delictsoort, strings.Join(Delictsoorten, ", "))
			}
			if r.Categorie == "" || len(r.Codes)+len(r.Begint)+len(r.Bevat)+len(r.Artikelen) == 0 {
				errs = append(errs, &Error{File: name, Msg: fmt.Sprintf("lijst %s regel %d needs a categorie and at least one of codes, begint, bevat, artikelen", l.Naam, i+1)})
			}
			if r.Wet != "" && len(r.Artikelen) == 0 {
				errs = append(errs, &Error{File: name, Msg: fmt.Sprintf("lijst %s regel %d: wet is allowed only with artikelen", l.Naam, i+1)})
			}
			for _, a := range r.Artikelen {
				if _, err := ParseArtikelRange(a); err != nil {
					errs = append(errs, &Error{File: name, Msg: fmt.Sprintf("lijst %s regel %d: %v", l.Naam, i+1, err)})
				}
			}
		}
	}
	return &c, errs
}

// sourceDoc mirrors Source with yaml nodes for the fields, so that every
// problem can name its line.
type sourceDoc struct {
	Bron      string           `yaml:"bron"`
	Soort     string           `yaml:"soort"`
	Doc       string           `yaml:"doc"`
	Rol       string           `yaml:"rol"`
	Datum     string           `yaml:"datum"`
	Categorie *CategorieRef    `yaml:"categorie,omitempty"`
	Leeftijd  *Leeftijdsbereik `yaml:"leeftijd,omitempty"`
	Fields    []yaml.Node      `yaml:"fields"`
}

// maxLeeftijd is the highest age a leeftijd range may name; transform
// quarantines every age above it anyway.
const maxLeeftijd = 120

var (
	validTypes = []Type{TypeText, TypeInt, TypeDecimal, TypeDate, TypePostcode, TypeHuisnummer, TypeBSN, TypeCode}
	validRoles = []Role{RoleIdentifier, RoleLocation, RoleAttribute}
	validRols  = []string{"incident", "verdachte", "slachtoffer", "verwijzing", "verzuim", "signaal"}
)

func decodeSource(name string, data []byte) (*Source, []error) {
	var doc sourceDoc
	if err := strictDecode(name, data, &doc); err != nil {
		return nil, []error{err}
	}
	src := &Source{Bron: doc.Bron, Soort: doc.Soort, Doc: doc.Doc, Rol: doc.Rol, Datum: doc.Datum, Categorie: doc.Categorie,
		Leeftijd: doc.Leeftijd, file: name}
	var errs []error
	bad := func(line int, format string, args ...any) {
		errs = append(errs, &Error{File: name, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	checkHeader(src, bad)
	aliasOwner := map[string]string{}
	for i := range doc.Fields {
		node := &doc.Fields[i]
		var f Field
		if err := node.Decode(&f); err != nil {
			bad(node.Line, "%v", strings.TrimPrefix(err.Error(), "yaml: "))
			continue
		}
		f.line = node.Line
		// KnownFields does not reach into Node.Decode, so check keys here.
		for k := 0; k+1 < len(node.Content); k += 2 {
			switch key := node.Content[k].Value; key {
			case "name", "aliases", "type", "role", "required", "doc", "codes", "otherwise":
			default:
				bad(node.Content[k].Line, "field %s: unknown key %q", f.Name, key)
			}
		}
		if f.Name == "" {
			bad(f.line, "field without a name")
			continue
		}
		if src.Has(f.Name) {
			bad(f.line, "field %s declared twice", f.Name)
		}
		if !slices.Contains(validTypes, f.Type) {
			bad(f.line, "field %s: unknown type %q", f.Name, f.Type)
		}
		if !slices.Contains(validRoles, f.Role) {
			bad(f.line, "field %s: unknown role %q", f.Name, f.Role)
		}
		if f.Doc == "" {
			bad(f.line, "field %s: doc is required", f.Name)
		}
		if (f.Type == TypeCode) != (len(f.Codes) > 0) {
			bad(f.line, "field %s: codes are required for type code and allowed only there", f.Name)
		}
		for _, a := range append([]string{f.Name}, f.Aliases...) {
			n := Normalize(a)
			if owner, ok := aliasOwner[n]; ok && owner != f.Name {
				bad(f.line, "field %s: alias %q already belongs to field %s", f.Name, a, owner)
			}
			aliasOwner[n] = f.Name
		}
		f.index()
		src.Fields = append(src.Fields, f)
	}
	if src.Datum != "" {
		if d := src.Field(src.Datum); d == nil || d.Type != TypeDate {
			bad(0, "datum %q is not a date field of this source", src.Datum)
		}
	} else {
		bad(0, "datum (the event date field) is required")
	}
	return src, errs
}

// checkHeader checks a source's own settings, the ones above its fields.
func checkHeader(src *Source, bad func(line int, format string, args ...any)) {
	if src.Bron == "" || src.Soort == "" {
		bad(0, "bron and soort are required")
	}
	if src.Doc == "" {
		bad(0, "doc is required")
	}
	if !slices.Contains(validRols, src.Rol) {
		bad(0, "rol %q is not one of %s", src.Rol, strings.Join(validRols, ", "))
	}
	if l := src.Leeftijd; l != nil {
		if l.Min < 0 || l.Max < l.Min || l.Max > maxLeeftijd {
			bad(0, "leeftijd %d-%d is not a range within 0-%d", l.Min, l.Max, maxLeeftijd)
		}
		if l.Doc == "" {
			bad(0, "leeftijd needs a doc saying why")
		}
	}
}

// check validates references between files.
func (s *Set) check() []error {
	var errs []error
	seen := map[string]string{}
	for _, src := range s.Sources {
		if prev, ok := seen[src.Name()]; ok {
			errs = append(errs, &Error{File: src.file, Msg: fmt.Sprintf("source %s already declared in %s", src.Name(), prev)})
		}
		seen[src.Name()] = src.file
		if c := src.Categorie; c != nil {
			if s.Classificatie.Lijst(c.Lijst) == nil {
				errs = append(errs, &Error{File: src.file, Msg: fmt.Sprintf("categorie lijst %q not found in %s", c.Lijst, ClassificatieFile)})
			}
			for _, v := range c.Velden {
				if !src.Has(v) {
					errs = append(errs, &Error{File: src.file, Msg: fmt.Sprintf("categorie veld %q is not a field of this source", v)})
				}
			}
		}
	}
	return errs
}

// index precomputes the normalised code lookup.
func (f *Field) index() {
	if len(f.Codes) == 0 {
		return
	}
	f.lookup = map[string]string{}
	for code, spellings := range f.Codes {
		f.lookup[Normalize(code)] = code
		for _, sp := range spellings {
			f.lookup[Normalize(sp)] = code
		}
	}
}
