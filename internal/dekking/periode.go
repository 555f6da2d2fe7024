package dekking

import (
	"regexp"
	"strconv"
	"strings"
)

// maandNamen are the Dutch month names and the abbreviations exports use,
// full names first so that "juni" is not read as "jun" + "i".
var maandNamen = map[string]int{
	"januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7, "augustus": 8,
	"september": 9, "oktober": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mrt": 3, "maa": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sept": 9, "sep": 9,
	"okt": 10, "oct": 10, "nov": 11, "dec": 12,
}

const (
	mon = `\b(januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|` +
		`jan|feb|mrt|maa|apr|jun|jul|aug|sept|sep|okt|oct|nov|dec)\.?`
	tot  = `\s*(?:t/m|t\.m\.|tm|tot en met|tot|-|–|—)\s*`
	year = `((?:19|20)\d\d)`
	date = `(\d{1,2})[-/.](\d{1,2})[-/.]` + year
)

var (
	// 01-01-2025 t/m 30-06-2025: the months of both dates and between.
	dateRange = regexp.MustCompile(`\b` + date + tot + date + `\b`)
	// 2025-01-01 t/m 2025-06-30.
	isoDateRange = regexp.MustCompile(`\b` + year + `-(\d{2})-\d{2}` + tot + year + `-(\d{2})-\d{2}\b`)
	// januari t/m juni 2025, jan 2024 - jun 2025.
	nameRange = regexp.MustCompile(mon + `(?:\s+` + year + `)?` + tot + mon + `\s+` + year + `\b`)
	// schooljaar 2024-2025 or 2024/2025: 1 August to 31 July.
	schooljaar = regexp.MustCompile(`\bschooljaar\s*` + year + `\s*[-/]\s*` + year + `\b`)
	// 2025-K2, 2025Q2, Q2 2025, K2-2025.
	kwartaal = regexp.MustCompile(`\b(?:` + year + `\s*-?\s*[kq]([1-4])|[kq]([1-4])\s*-?\s*` + year + `)\b`)
	// juni 2025.
	oneName = regexp.MustCompile(mon + `\s+` + year + `\b`)
	// jaar 2024, kalenderjaar 2024, periode 2024.
	oneYear = regexp.MustCompile(`\b(?:jaar|kalenderjaar|periode:?)\s+` + year + `\b`)
	// 2024-01 as a whole token; a date such as 2024-01-15 is no month.
	isoMaand = regexp.MustCompile(`^` + year + `-(0[1-9]|1[0-2])$`)
)

// Declared returns the period a text declares, or false. It reads, in this
// order: a range of dates (01-01-2025 t/m 30-06-2025, or 2025-01-01 t/m
// 2025-06-30; a month partly in it counts as declared), a range of month
// names (januari t/m juni 2025), a schooljaar (schooljaar 2024-2025: August
// to July), months as YYYY-MM (one month, or the first two as a range:
// verzuim_2024-08_2025-07), a quarter (2025-K2, Q2 2025), one month name
// with its year (juni 2025) and a year named as such (jaar 2024). A single
// date such as a peildatum, an export date such as 20250715 and a bare year
// declare nothing.
func Declared(text string) (Periode, bool) {
	t := strings.ToLower(strings.NewReplacer("_", " ", "\u00a0", " ").Replace(text))
	if m := dateRange.FindStringSubmatch(t); m != nil {
		return check(atoiMaand(m[3], m[2]), atoiMaand(m[6], m[5]))
	}
	if m := isoDateRange.FindStringSubmatch(t); m != nil {
		return check(atoiMaand(m[1], m[2]), atoiMaand(m[3], m[4]))
	}
	if m := nameRange.FindStringSubmatch(t); m != nil {
		y := m[2]
		if y == "" {
			y = m[4]
		}
		return check(maand(atoi(y), maandNamen[m[1]]), maand(atoi(m[4]), maandNamen[m[3]]))
	}
	if m := schooljaar.FindStringSubmatch(t); m != nil && atoi(m[2]) == atoi(m[1])+1 {
		return check(maand(atoi(m[1]), 8), maand(atoi(m[2]), 7))
	}
	var months []Maand
	for _, tok := range strings.FieldsFunc(t, func(r rune) bool { return r == ' ' || r == '.' || r == ',' || r == '(' || r == ')' }) {
		if m := isoMaand.FindStringSubmatch(tok); m != nil {
			months = append(months, atoiMaand(m[1], m[2]))
		}
	}
	switch {
	case len(months) == 1:
		return check(months[0], months[0])
	case len(months) > 1:
		return check(months[0], months[1])
	}
	if m := kwartaal.FindStringSubmatch(t); m != nil {
		y, q := m[1], m[2]
		if y == "" {
			y, q = m[4], m[3]
		}
		first := maand(atoi(y), 3*atoi(q)-2)
		return check(first, first+2)
	}
	if m := oneName.FindStringSubmatch(t); m != nil {
		v := maand(atoi(m[2]), maandNamen[m[1]])
		return check(v, v)
	}
	if m := oneYear.FindStringSubmatch(t); m != nil {
		return check(maand(atoi(m[1]), 1), maand(atoi(m[1]), 12))
	}
	return Periode{}, false
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// atoiMaand is the month of year y and month m, or -1 when m is no month.
func atoiMaand(y, m string) Maand {
	if n := atoi(m); n >= 1 && n <= 12 {
		return maand(atoi(y), n)
	}
	return -1
}

func check(van, tot Maand) (Periode, bool) {
	if van < 0 || tot < van {
		return Periode{}, false
	}
	return Periode{van, tot}, true
}
