package transform

import "strings"

// What Stats.UnknownCodes shows instead of a value that is not a code.
const (
	// CodeOmschrijving stands for a value that does not look like a
	// supplier code: a description, or anything that could be a person's
	// value (a name, BSN, date, postcode or address) delivered in a code
	// column. Such a value is never echoed.
	CodeOmschrijving = "(omschrijving)"
	// CodeLeeg stands for a row whose categorie fields are all empty.
	CodeLeeg = "(leeg)"
	// CodeMeer stands for every further code of a source and lijst once
	// maxUnknownCodes distinct ones were counted.
	CodeMeer = "(meer codes)"
)

// maxUnknownCodes bounds the distinct unknown codes counted per source and
// lijst: a supplier that sends a new code system should not flood the
// manifest.
const maxUnknownCodes = 100

// UnknownKey groups the rows whose categorie fields matched no rule of a
// classification lijst.
type UnknownKey struct {
	Source string // "bron-soort"
	Lijst  string
	// Code is the first non-empty categorie value as a supplier code
	// (trimmed, spaces collapsed, upper case: "E99", "461 SR"), or
	// CodeOmschrijving, CodeLeeg or CodeMeer.
	Code string
}

// unknownCode returns what may be shown of v, a value no rule matched: v
// itself when it looks like a supplier code, else CodeOmschrijving. A code
// here is at most 12 characters of ASCII letters, digits, spaces, dots,
// hyphens and slashes, with exactly one run of at most 4 digits and no run
// of more than 3 letters, and not a postcode: "E35", "F 30", "461 Sr",
// "art. 5 WVW", "OPI2002", "138ab". That rules out names and descriptions
// (long letter runs), BSNs, case numbers, phone and house numbers of five
// digits or more, dates (several digit runs) and PC6 postcodes.
func unknownCode(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return CodeLeeg
	}
	if len(v) > 12 {
		return CodeOmschrijving
	}
	runs, digits, letters := 0, 0, 0
	prevDigit := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case '0' <= c && c <= '9':
			if !prevDigit {
				runs++
			}
			prevDigit, letters = true, 0
			digits++
		case 'a' <= c|0x20 && c|0x20 <= 'z':
			prevDigit = false
			if letters++; letters > 3 {
				return CodeOmschrijving
			}
		case c == ' ' || c == '.' || c == '-' || c == '/':
			prevDigit, letters = false, 0
		default:
			return CodeOmschrijving
		}
	}
	if runs != 1 || digits > 4 || isPC6(v) {
		return CodeOmschrijving
	}
	return strings.ToUpper(strings.Join(strings.Fields(v), " "))
}

// isPC6 reports whether v has the shape of a Dutch postcode: four digits
// and two letters once spaces, dots, hyphens and slashes are dropped. It is
// looser than ingest.AppendPostcode (which also rejects 0123 and SS) on
// purpose: anything postcode-shaped stays out of the stats.
func isPC6(v string) bool {
	v = strings.Map(func(r rune) rune {
		if r == ' ' || r == '.' || r == '-' || r == '/' {
			return -1
		}
		return r
	}, v)
	if len(v) != 6 {
		return false
	}
	for i := 0; i < 4; i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	for i := 4; i < 6; i++ {
		if c := v[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
