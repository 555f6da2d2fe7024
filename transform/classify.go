package transform

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/ivz-twente/jeugd/schemas"
)

// Classifier assigns a categorie from one schemas.Lijst. Its lookups are
// compiled once; it is immutable and safe for concurrent use.
type Classifier struct {
	naam, otherwise string
	categorieen     []string       // per regel
	exact           map[string]int // folded code -> first regel
	begint, bevat   []pattern      // in regel order
	artikelen       []artikelRegel // in regel order
}

type pattern struct {
	s     []byte
	regel int
}

type artikelRegel struct {
	wet   string
	r     schemas.ArtikelRange
	regel int
}

// NewClassifier compiles l. It reports every rule it cannot use.
func NewClassifier(l *schemas.Lijst) (*Classifier, error) {
	c := &Classifier{naam: l.Naam, otherwise: l.Otherwise, exact: map[string]int{}}
	var errs []error
	for i, r := range l.Regels {
		c.categorieen = append(c.categorieen, r.Categorie)
		for _, code := range r.Codes {
			k := string(foldAppend(nil, code))
			if _, dup := c.exact[k]; !dup && k != "" {
				c.exact[k] = i
			}
		}
		for _, s := range r.Begint {
			if p := foldAppend(nil, s); len(p) > 0 {
				c.begint = append(c.begint, pattern{p, i})
			}
		}
		for _, s := range r.Bevat {
			if p := foldAppend(nil, s); len(p) > 0 {
				c.bevat = append(c.bevat, pattern{p, i})
			}
		}
		wet := "sr"
		if r.Wet != "" {
			wet = canonicalWet(foldAppend(nil, r.Wet))
		}
		for _, a := range r.Artikelen {
			ar, err := schemas.ParseArtikelRange(a)
			if err != nil {
				errs = append(errs, fmt.Errorf("lijst %s regel %d: %w", l.Naam, i+1, err))
				continue
			}
			c.artikelen = append(c.artikelen, artikelRegel{wet, ar, i})
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

// Naam is the name of the list.
func (c *Classifier) Naam() string { return c.naam }

// Otherwise is the categorie of a value no rule matches.
func (c *Classifier) Otherwise() string { return c.otherwise }

// Classify returns the categorie of v, and false with Otherwise when no rule
// matches.
func (c *Classifier) Classify(v string) (string, bool) {
	if i, _ := c.match(nil, v); i >= 0 {
		return c.categorieen[i], true
	}
	return c.otherwise, false
}

// match returns the first regel that matches v, or -1. It folds v into buf
// and returns buf for reuse, so that a caller classifying many rows does not
// allocate.
func (c *Classifier) match(buf []byte, v string) (int, []byte) {
	buf = foldAppend(buf[:0], v)
	best := -1
	if len(buf) == 0 {
		return best, buf
	}
	if i, ok := c.exact[string(buf)]; ok {
		best = i
	}
	for _, p := range c.begint {
		if best >= 0 && p.regel >= best {
			break
		}
		if bytes.HasPrefix(buf, p.s) {
			best = p.regel
			break
		}
	}
	for _, p := range c.bevat {
		if best >= 0 && p.regel >= best {
			break
		}
		if bytes.Contains(buf, p.s) {
			best = p.regel
			break
		}
	}
	if len(c.artikelen) > 0 && (best < 0 || c.artikelen[0].regel < best) {
		if wet, num, letter, ok := parseArtikel(v); ok {
			for _, a := range c.artikelen {
				if best >= 0 && a.regel >= best {
					break
				}
				if a.wet == wet && a.r.Contains(num, letter) {
					best = a.regel
					break
				}
			}
		}
	}
	return best, buf
}

// wetten maps the folded spellings of a law to one name. A value naming
// another law is not read as an article.
var wetten = map[string]string{
	"sr": "sr", "wvsr": "sr", "wvs": "sr", "strafrecht": "sr", "wetboekvanstrafrecht": "sr",
	"opiumwet": "opiumwet", "ow": "opiumwet",
	"wvw": "wvw", "wegenverkeerswet": "wvw",
	"wwm": "wwm", "wapenwet": "wwm", "wetwapensenmunitie": "wwm",
	"apv": "apv",
}

func canonicalWet(folded []byte) string {
	if w, ok := wetten[string(folded)]; ok {
		return w
	}
	return string(folded)
}

// parseArtikel reads a value as an article of law: "300", "300 Sr",
// "Sr 300", "art. 300 lid 1 Sr", "Artikel 141a Wetboek van Strafrecht",
// "417bis Sr". A bare number is an Sr article. It reports false for anything
// else, such as a police code "F30" or a description, so that only a whole
// article number is ever compared: "3100" reads as 3100, never as 310.
func parseArtikel(s string) (wet string, num int, letter byte, ok bool) {
	if len(s) > 80 {
		return "", 0, 0, false
	}
	var lawBuf [40]byte
	law := lawBuf[:0]
	num = -1
	afterNum := false // the previous token was the article number
	skip := false
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c >= 0x80:
			return "", 0, 0, false
		case '0' <= c && c <= '9':
			j, n := i, 0
			for ; j < len(s) && '0' <= s[j] && s[j] <= '9'; j++ {
				if j-i == 6 {
					return "", 0, 0, false
				}
				n = n*10 + int(s[j]-'0')
			}
			afterNum = false
			if !skip && num < 0 {
				num, afterNum = n, true
			}
			skip = false
			i = j
		case 'a' <= c|0x20 && c|0x20 <= 'z':
			j := i
			for ; j < len(s) && 'a' <= s[j]|0x20 && s[j]|0x20 <= 'z'; j++ {
			}
			tok := s[i:j]
			wasAfterNum := afterNum
			afterNum = false
			switch {
			case skip:
				skip = false
			case wasAfterNum && j-i == 1: // "141a", "141 a"
				letter = tok[0] | 0x20
			case equalFoldASCII(tok, "art"), equalFoldASCII(tok, "artikel"), equalFoldASCII(tok, "artikelen"),
				equalFoldASCII(tok, "jo"), equalFoldASCII(tok, "juncto"), equalFoldASCII(tok, "en"),
				equalFoldASCII(tok, "bis"), equalFoldASCII(tok, "ter"), equalFoldASCII(tok, "quater"):
			case equalFoldASCII(tok, "lid"), equalFoldASCII(tok, "sub"), equalFoldASCII(tok, "onder"):
				skip = true
			default:
				if len(law)+len(tok) > cap(law) {
					return "", 0, 0, false
				}
				for k := 0; k < len(tok); k++ {
					law = append(law, tok[k]|0x20)
				}
			}
			i = j
		default:
			i++
		}
	}
	if num < 0 {
		return "", 0, 0, false
	}
	if len(law) == 0 {
		return "sr", num, letter, true
	}
	w, known := wetten[string(law)]
	if !known {
		return "", 0, 0, false
	}
	return w, num, letter, true
}

func equalFoldASCII(tok, lower string) bool {
	if len(tok) != len(lower) {
		return false
	}
	for i := 0; i < len(tok); i++ {
		if tok[i]|0x20 != lower[i] {
			return false
		}
	}
	return true
}
