package schemas

import (
	"fmt"
	"io"
	"strings"
)

// WriteClassificatieMarkdown renders the shared categorie list and every
// classification list with its rules as Markdown, for the generated
// reference page (`jeugd schemas doc`), so that the documented mapping is
// the one the program uses.
func (s *Set) WriteClassificatieMarkdown(w io.Writer) error {
	c := s.Classificatie
	var b strings.Builder
	b.WriteString("\n## Classificatie\n\n")
	b.WriteString(c.Doc)
	b.WriteString("\n\n### Categorieën\n\n")
	b.WriteString("| categorie | delictsoort | description |\n|---|---|---|\n")
	for _, k := range c.Categorieen {
		soort := k.Delictsoort
		if soort == "" {
			soort = "per rule or Sr book"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", k.Naam, soort, cell(k.Doc))
	}
	for _, l := range c.Lijsten {
		fmt.Fprintf(&b, "\n### Lijst `%s`\n\n%s\n\n", l.Naam, l.Doc)
		var users []string
		for _, src := range s.Sources {
			if src.Categorie != nil && src.Categorie.Lijst == l.Naam {
				users = append(users, fmt.Sprintf("`%s` (%s)", src.Name(), strings.Join(src.Categorie.Velden, ", ")))
			}
		}
		if len(users) > 0 {
			fmt.Fprintf(&b, "Used by %s. ", strings.Join(users, ", "))
		}
		fmt.Fprintf(&b, "A value no rule matches: `%s`.\n\n", l.Otherwise)
		b.WriteString("| # | categorie | matches | delictsoort | note |\n|---|---|---|---|---|\n")
		for i, r := range l.Regels {
			soort := r.Delictsoort
			if soort == "" {
				if k := c.Categorie(r.Categorie); k != nil {
					soort = k.Delictsoort
				}
			}
			if len(r.Artikelen) > 0 && (r.Wet == "" || strings.EqualFold(r.Wet, "Sr")) {
				soort = "Sr book"
			}
			note := r.Doc
			if r.Voorrang {
				note = strings.TrimSpace("voorrang: wins on any field. " + note)
			}
			fmt.Fprintf(&b, "| %d | `%s` | %s | %s | %s |\n", i+1, r.Categorie, cell(matches(r)), soort, cell(note))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// matches describes what values a rule matches.
func matches(r Regel) string {
	var parts []string
	if len(r.Codes) > 0 {
		parts = append(parts, "code "+strings.Join(r.Codes, ", "))
	}
	if len(r.Begint) > 0 {
		parts = append(parts, "starts with "+strings.Join(r.Begint, ", "))
	}
	if len(r.Bevat) > 0 {
		parts = append(parts, "contains "+strings.Join(r.Bevat, ", "))
	}
	if len(r.Artikelen) > 0 {
		wet := r.Wet
		if wet == "" {
			wet = "Sr"
		}
		parts = append(parts, "art. "+strings.Join(r.Artikelen, ", ")+" "+wet)
	}
	return strings.Join(parts, "; ")
}

// cell makes s fit one Markdown table cell.
func cell(s string) string {
	return strings.ReplaceAll(strings.Join(strings.Fields(s), " "), "|", "\\|")
}
