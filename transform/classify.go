package transform

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/ivz-twente/jeugd/schemas"
)

// Classifier assigns a categorie, and for offences a delictsoort, from one
// schemas.Lijst. Its lookups are compiled once; it is immutable and safe for
// concurrent use.
type Classifier struct {
	naam, otherwise string
	categorieen     []string // per regel
	soorten         []string // per regel: its delictsoort, else its categorie's default, else ""
	main, prio      rules    // rules without and with voorrang
}

// rules are the compiled matchers of some of a list's rules; every index
// refers to the regel in the whole list.
type rules struct {
	exact         map[string]int // folded code -> first regel
	begint, bevat []pattern      // in regel order
	artikelen     []artikelRegel // in regel order
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

// NewClassifier compiles l. categorieen are the shared categorieën whose
// Delictsoort is the default of the rules mapping to them; nil is allowed.
// It reports every rule it cannot use.
func NewClassifier(l *schemas.Lijst, categorieen []schemas.Categorie) (*Classifier, error) {
	c := &Classifier{naam: l.Naam, otherwise: l.Otherwise,
		main: rules{exact: map[string]int{}}, prio: rules{exact: map[string]int{}}}
	defaults := map[string]string{}
	for _, k := range categorieen {
		defaults[k.Naam] = k.Delictsoort
	}
	var errs []error
	for i, r := range l.Regels {
		c.categorieen = append(c.categorieen, r.Categorie)
		c.soorten = append(c.soorten, cmpOr(r.Delictsoort, defaults[r.Categorie]))
		rs := &c.main
		if r.Voorrang {
			rs = &c.prio
		}
		for _, code := range r.Codes {
			k := string(foldAppend(nil, code))
			if _, dup := rs.exact[k]; !dup && k != "" {
				rs.exact[k] = i
			}
		}
		for _, s := range r.Begint {
			if p := foldAppend(nil, s); len(p) > 0 {
				rs.begint = append(rs.begint, pattern{p, i})
			}
		}
		for _, s := range r.Bevat {
			if p := foldAppend(nil, s); len(p) > 0 {
				rs.bevat = append(rs.bevat, pattern{p, i})
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
			rs.artikelen = append(rs.artikelen, artikelRegel{wet, ar, i})
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Naam is the name of the list.
func (c *Classifier) Naam() string { return c.naam }

// Otherwise is the categorie of a value no rule matches.
func (c *Classifier) Otherwise() string { return c.otherwise }

// Classify returns the categorie of v, and false with Otherwise when no rule
// matches.
func (c *Classifier) Classify(v string) (string, bool) {
	categorie, _, ok := c.ClassifyRow(v)
	return categorie, ok
}

// ClassifyRow classifies one row from the values of its categorie fields,
// in the source's order of preference. A voorrang rule matching any value
// wins; otherwise the first value that matches a rule decides. The
// delictsoort is that of the deciding value when it reads as an article of
// the Sr (book 2 misdrijf, book 3 overtreding), else that of its rule or
// categorie, else "" (unknown). A row no rule matches gets Otherwise and the
// delictsoort of the first value that reads as an Sr article, if any.
func (c *Classifier) ClassifyRow(values ...string) (categorie, delictsoort string, ok bool) {
	var buf []byte
	vals := make([]valueClass, len(values))
	for i, v := range values {
		vals[i], buf = c.classify(buf, v)
	}
	regel, soort := c.decide(vals)
	if regel < 0 {
		return c.otherwise, soort, false
	}
	return c.categorieen[regel], soort, true
}

// valueClass is what one value says about its row.
type valueClass struct {
	regel, prio int32  // first matching rule without and with voorrang; -1 for none
	sr          string // schemas.Misdrijf or Overtreding when the value reads as an Sr article of book 2 or 3
	unknown     string // what Stats may show of the value when no rule matches it (see unknownCode)
}

// noClass is the class of an empty value.
var noClass = valueClass{regel: -1, prio: -1}

// classify folds v into buf (returned for reuse, so that a caller
// classifying many rows does not allocate) and matches it.
func (c *Classifier) classify(buf []byte, v string) (valueClass, []byte) {
	buf = foldAppend(buf[:0], v)
	if len(buf) == 0 {
		return noClass, buf
	}
	a := parseArtikel(v)
	vc := valueClass{regel: int32(c.main.match(buf, a)), prio: int32(c.prio.match(buf, a))}
	if a.ok && a.wet == "sr" {
		vc.sr = schemas.SrDelictsoort(a.num)
	}
	if vc.regel < 0 && vc.prio < 0 {
		vc.unknown = unknownCode(v)
	}
	return vc, buf
}

// decide picks the rule and delictsoort of a row from the classes of its
// values; regel is -1 when no rule matched (see ClassifyRow).
func (c *Classifier) decide(vals []valueClass) (regel int, soort string) {
	pick, regel := -1, -1
	for i := range vals {
		if vals[i].prio >= 0 {
			pick, regel = i, int(vals[i].prio)
			break
		}
	}
	if pick < 0 {
		for i := range vals {
			if vals[i].regel >= 0 {
				pick, regel = i, int(vals[i].regel)
				break
			}
		}
	}
	if pick >= 0 {
		return regel, cmpOr(vals[pick].sr, c.soorten[regel])
	}
	for i := range vals {
		if vals[i].sr != "" {
			return -1, vals[i].sr
		}
	}
	return -1, ""
}

// match returns the first regel of rs that matches the folded value buf,
// whose reading as an article is a, or -1.
func (rs *rules) match(buf []byte, a artikel) int {
	best := -1
	if i, ok := rs.exact[string(buf)]; ok {
		best = i
	}
	for _, p := range rs.begint {
		if best >= 0 && p.regel >= best {
			break
		}
		if bytes.HasPrefix(buf, p.s) {
			best = p.regel
			break
		}
	}
	for _, p := range rs.bevat {
		if best >= 0 && p.regel >= best {
			break
		}
		if bytes.Contains(buf, p.s) {
			best = p.regel
			break
		}
	}
	if a.ok && len(rs.artikelen) > 0 && (best < 0 || rs.artikelen[0].regel < best) {
		for _, ar := range rs.artikelen {
			if best >= 0 && ar.regel >= best {
				break
			}
			if ar.wet == a.wet && ar.r.Contains(a.num, a.suffix) {
				best = ar.regel
				break
			}
		}
	}
	return best
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

// artikel is a value read as an article of law.
type artikel struct {
	wet    string // canonical (see wetten)
	num    int
	suffix string // lower-case letters after the number ("a", "ab"), or ""
	ok     bool
}

// maxArtikelSuffix is the longest letter suffix of an article (138ab Sr).
const maxArtikelSuffix = 2

// parseArtikel reads a value as an article of law: "300", "300 Sr",
// "Sr 300", "art. 300 lid 1 Sr", "Artikel 141a Wetboek van Strafrecht",
// "138ab Sr", "417bis Sr", "Wegenverkeerswet 1994 art. 8". A bare number is
// an Sr article. It reports !ok for anything else, such as a police code
// "F30" or a description, so that only a whole article number is ever
// compared: "3100" reads as 3100, never as 310.
func parseArtikel(s string) artikel {
	var none artikel
	if len(s) > 80 {
		return none
	}
	var lawBuf [40]byte
	law := lawBuf[:0]
	num := -1
	var suffix [maxArtikelSuffix]byte
	nsuffix := 0
	afterNum := false // the previous token was the article number
	afterLaw := false // the previous token named a law
	skip := false
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c >= 0x80:
			return none
		case '0' <= c && c <= '9':
			n, j := leadingNumber(s, i)
			if n < 0 {
				return none
			}
			year := afterLaw && n >= 1800 && n <= 2100 // "Wegenverkeerswet 1994", "Opiumwet 1928"
			afterNum, afterLaw = false, false
			if !skip && !year && num < 0 {
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
			afterNum, afterLaw = false, false
			switch {
			case skip:
				skip = false
			case wasAfterNum && j-i <= maxArtikelSuffix && !isWet(tok): // "141a", "141 a", "138ab"
				for k := 0; k < len(tok); k++ {
					suffix[k] = tok[k] | 0x20
				}
				nsuffix = len(tok)
			case foldIn(tok, "art", "artikel", "artikelen", "jo", "juncto", "en", "bis", "ter", "quater", "quinquies", "sexies", "septies"):
			case foldIn(tok, "lid", "sub", "onder"):
				skip = true
			default:
				if len(law)+len(tok) > cap(law) {
					return none
				}
				for k := 0; k < len(tok); k++ {
					law = append(law, tok[k]|0x20)
				}
				_, afterLaw = wetten[string(law)]
			}
			i = j
		default:
			i++
		}
	}
	if num < 0 {
		return none
	}
	a := artikel{wet: "sr", num: num, ok: true}
	if nsuffix > 0 {
		a.suffix = string(suffix[:nsuffix])
	}
	if len(law) == 0 {
		return a
	}
	w, known := wetten[string(law)]
	if !known {
		return none
	}
	a.wet = w
	return a
}

// leadingNumber reads the digits of s from i: their value and the index
// after them, or -1 for more than six digits (no article number).
func leadingNumber(s string, i int) (n, end int) {
	end = i
	for ; end < len(s) && '0' <= s[end] && s[end] <= '9'; end++ {
		if end-i == 6 {
			return -1, end
		}
		n = n*10 + int(s[end]-'0')
	}
	return n, end
}

// foldIn reports whether tok equals one of words, ASCII case folded.
func foldIn(tok string, words ...string) bool {
	for _, w := range words {
		if equalFoldASCII(tok, w) {
			return true
		}
	}
	return false
}

// isWet reports whether tok alone names a law ("Sr", "OW").
func isWet(tok string) bool {
	var b [maxArtikelSuffix]byte
	if len(tok) > len(b) {
		return false
	}
	for k := 0; k < len(tok); k++ {
		b[k] = tok[k] | 0x20
	}
	_, ok := wetten[string(b[:len(tok)])]
	return ok
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
