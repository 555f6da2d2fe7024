package ingest

import (
	"math"
	"strconv"
)

// The parsers below run once per cell, so they work on the string in place:
// no regexp, fmt, time.Parse or allocation on the accepted path. They report
// only ok/not ok; the caller turns a failure into a Kind without the value.

// Excel serial day numbers (1900 date system) that ParseDate accepts:
// 1 = 1900-01-01, 2958465 = 9999-12-31.
const (
	excelMinSerial = 1
	excelMaxSerial = 2958465
	excelEpoch     = 25569 // serial of 1970-01-01
)

// ParseDate parses a supplier date into days since 1970-01-01 (Arrow date32).
// It accepts dd-mm-jjjj, d-m-jjjj, dd/mm/jjjj, d/m/jjjj, dd.mm.jjjj,
// jjjj-mm-dd and jjjj/mm/dd, each optionally followed by a time (" 13:45",
// "T13:45:00"), compact jjjjmmdd, and Excel serial day numbers in the 1900
// date system (1..2958465, a fraction is the time of day). Impossible dates
// such as 31-02-2023 are rejected.
func ParseDate(s string) (int32, bool) {
	s = trimSpace(s)
	if s == "" {
		return 0, false
	}
	if d, ok, isNum := parseSerial(s); isNum {
		return d, ok
	}
	// Leading number, separator, number, same separator, number.
	a, i := digits(s, 0)
	if i == 0 || i == len(s) {
		return 0, false
	}
	sep := s[i]
	if sep != '-' && sep != '/' && sep != '.' {
		return 0, false
	}
	b, j := digits(s, i+1)
	if j == i+1 || j == len(s) || s[j] != sep {
		return 0, false
	}
	c, k := digits(s, j+1)
	if k == j+1 {
		return 0, false
	}
	var y, m, d int
	switch {
	case i == 4 && sep != '.' && j-i-1 <= 2 && k-j-1 <= 2: // jjjj-mm-dd
		y, m, d = a, b, c
	case i <= 2 && j-i-1 <= 2 && k-j-1 == 4: // dd-mm-jjjj
		d, m, y = a, b, c
	default:
		return 0, false
	}
	if !validTime(s[k:]) {
		return 0, false
	}
	return civilDays(y, m, d)
}

// parseSerial handles cells that are all digits with an optional fraction:
// an Excel serial, or compact jjjjmmdd. isNum is false for anything else.
func parseSerial(s string) (days int32, ok, isNum bool) {
	n, i := digits(s, 0)
	if i == 0 {
		return 0, false, false
	}
	if i < len(s) {
		if s[i] != '.' && s[i] != ',' {
			return 0, false, false
		}
		if _, j := digits(s, i+1); j != len(s) || j == i+1 {
			return 0, false, false
		}
	}
	if i == 8 && i == len(s) && n > excelMaxSerial {
		d, ok := civilDays(n/10000, n/100%100, n%100)
		return d, ok, true
	}
	if i > 7 || n < excelMinSerial || n > excelMaxSerial || n == 60 {
		// Serial 60 is Excel's 29-02-1900, a day that never was.
		return 0, false, true
	}
	if n < 60 {
		n++ // before the phantom leap day the serials are one off
	}
	return int32(n - excelEpoch), true, true
}

// validTime accepts an empty rest or a time after ' ' or 'T': h:mm, hh:mm,
// with optional :ss and fraction.
func validTime(s string) bool {
	if s == "" {
		return true
	}
	if s[0] != ' ' && s[0] != 'T' {
		return false
	}
	h, i := digits(s, 1)
	if i == 1 || i-1 > 2 || h > 23 || i == len(s) || s[i] != ':' {
		return false
	}
	m, j := digits(s, i+1)
	if j-i-1 != 2 || m > 59 {
		return false
	}
	if j == len(s) {
		return true
	}
	if s[j] != ':' {
		return false
	}
	sec, k := digits(s, j+1)
	if k-j-1 != 2 || sec > 60 {
		return false
	}
	if k == len(s) {
		return true
	}
	if s[k] != '.' {
		return false
	}
	_, l := digits(s, k+1)
	return l == len(s) && l > k+1
}

// digits reads up to 9 decimal digits from s[i:] and returns their value and
// the index after them. More than 9 digits stop the scan, which callers then
// see as an unexpected character.
func digits(s string, i int) (int, int) {
	n := 0
	start := i
	for i < len(s) && i-start < 9 && '0' <= s[i] && s[i] <= '9' {
		n = n*10 + int(s[i]-'0')
		i++
	}
	return n, i
}

// civilDays converts a proleptic Gregorian date to days since 1970-01-01
// (Howard Hinnant's days_from_civil), rejecting impossible dates.
func civilDays(y, m, d int) (int32, bool) {
	if y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, false
	}
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int32(era*146097 + doe - 719468), true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// AppendPostcode appends s normalised to a Dutch PC6 (1234AB) to dst. Spaces,
// underscores and hyphens are dropped and letters upper-cased; a postcode
// never starts with 0 and never uses the letter pairs SA, SD or SS.
func AppendPostcode(dst []byte, s string) ([]byte, bool) {
	var pc [6]byte
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '_' || c == '-' || c == '\t':
			continue
		case n >= 6:
			return dst, false
		case n < 4 && '0' <= c && c <= '9':
		case n >= 4 && 'a' <= c && c <= 'z':
			c -= 'a' - 'A'
		case n >= 4 && 'A' <= c && c <= 'Z':
		default:
			return dst, false
		}
		pc[n] = c
		n++
	}
	if n != 6 || pc[0] == '0' {
		return dst, false
	}
	switch string(pc[4:]) {
	case "SA", "SD", "SS":
		return dst, false
	}
	return append(dst, pc[:]...), true
}

// AppendBSN appends s normalised to nine digits to dst: dots, spaces and
// hyphens are dropped and an eight-digit number gets its leading zero back
// (spreadsheets drop it). It does not check the elfproef; transform does.
func AppendBSN(dst []byte, s string) ([]byte, bool) {
	var d [9]byte
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.' || c == ' ' || c == '-' || c == '\t':
		case '0' <= c && c <= '9' && n < 9:
			d[n] = c
			n++
		default:
			return dst, false
		}
	}
	switch n {
	case 9:
		return append(dst, d[:]...), true
	case 8:
		dst = append(dst, '0')
		return append(dst, d[:8]...), true
	}
	return dst, false
}

// ParseHuisnummer returns the leading number of a house number: 12 for "12",
// "12a", "12-2" and "12 bis". A house number is at most 5 digits.
func ParseHuisnummer(s string) (int64, bool) {
	s = trimSpace(s)
	n, i := digits(s, 0)
	if i == 0 || i > 5 || n == 0 {
		return 0, false
	}
	return int64(n), true
}

// ParseInt parses a whole number, optionally signed.
func ParseInt(s string) (int64, bool) {
	v, err := strconv.ParseInt(trimSpace(s), 10, 64)
	return v, err == nil
}

var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// ParseDecimal parses a number with a decimal point or a decimal comma.
// One comma or one point is the decimal separator ("253123,45"); when both
// appear, the last one is ("1.234,5", "1,234.5") and the other groups
// thousands. Several of one kind alone ("1.234.567") are ambiguous and
// rejected. Exponents ("1.5E+5", as spreadsheets write) are accepted.
func ParseDecimal(s string) (float64, bool) {
	s = trimSpace(s)
	neg := false
	body := s
	if len(body) > 0 && (body[0] == '-' || body[0] == '+') {
		neg = body[0] == '-'
		body = body[1:]
	}
	dec, ok := decimalPoint(body)
	if !ok {
		return 0, false
	}
	if dec == exponent {
		v, err := strconv.ParseFloat(s, 64)
		return v, err == nil && !math.IsInf(v, 0) && !math.IsNaN(v)
	}
	// Clinger's fast path: up to 15 significant digits and 22 fraction
	// digits give an exactly rounded result with one division.
	var mant uint64
	nd, frac := 0, 0
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c < '0' || c > '9' {
			continue
		}
		if dec >= 0 && i > dec {
			frac++
		}
		if mant == 0 && c == '0' {
			continue
		}
		nd++
		if nd > 15 {
			return slowDecimal(body, dec, neg)
		}
		mant = mant*10 + uint64(c-'0')
	}
	if frac > 22 {
		return slowDecimal(body, dec, neg)
	}
	v := float64(mant) / pow10[frac]
	if neg {
		v = -v
	}
	return v, true
}

// exponent is what decimalPoint says of a number with an exponent, which
// strconv parses.
const exponent = -2

// decimalPoint finds the decimal separator of body (a number without its
// sign): its index, -1 when there is none, or exponent. ok is false for
// anything that is not a number or is ambiguous.
func decimalPoint(body string) (dec int, ok bool) {
	lastComma, lastPoint := -1, -1
	commas, points, nDigits := 0, 0, 0
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case '0' <= c && c <= '9':
			nDigits++
		case c == ',':
			commas++
			lastComma = i
		case c == '.':
			points++
			lastPoint = i
		case (c == 'e' || c == 'E') && commas == 0 && nDigits > 0:
			return exponent, true
		default:
			return 0, false
		}
	}
	if nDigits == 0 {
		return 0, false
	}
	dec = -1
	switch {
	case commas > 0 && points > 0:
		if lastComma > lastPoint {
			if commas > 1 {
				return 0, false
			}
			dec = lastComma
		} else {
			if points > 1 {
				return 0, false
			}
			dec = lastPoint
		}
		if !grouped(body[:dec]) {
			return 0, false
		}
	case commas == 1:
		dec = lastComma
	case points == 1:
		dec = lastPoint
	case commas+points > 1:
		return 0, false
	}
	return dec, true
}

// grouped reports whether the thousands separators in s, the integer part,
// are followed by exactly three digits each.
func grouped(s string) bool {
	run := -1 // digits since the last separator; -1 before the first
	for i := 0; i < len(s); i++ {
		if s[i] == '.' || s[i] == ',' {
			if run == 0 || run > 0 && run != 3 || i == 0 {
				return false
			}
			run = 0
			continue
		}
		if run >= 0 {
			run++
		}
	}
	return run == -1 || run == 3
}

// slowDecimal handles the rare long numbers through strconv, at the cost of
// one allocation.
func slowDecimal(body string, dec int, neg bool) (float64, bool) {
	b := make([]byte, 0, len(body)+1)
	if neg {
		b = append(b, '-')
	}
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case i == dec:
			b = append(b, '.')
		case c == '.' || c == ',':
		default:
			b = append(b, c)
		}
	}
	v, err := strconv.ParseFloat(string(b), 64)
	return v, err == nil && !math.IsInf(v, 0)
}

// trimSpace trims ASCII white space and no-break spaces without allocating.
func trimSpace(s string) string {
	for len(s) > 0 && isSpace(s[0], s[1:]) {
		s = s[width(s[0]):]
	}
	for len(s) > 0 && isSpaceEnd(s) {
		s = s[:len(s)-widthEnd(s)]
	}
	return s
}

// U+00A0 (no-break space) is C2 A0 in UTF-8; Excel exports love it.
func isSpace(c byte, rest string) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '\v', '\f':
		return true
	case 0xC2:
		return len(rest) > 0 && rest[0] == 0xA0
	}
	return false
}

func width(c byte) int {
	if c == 0xC2 {
		return 2
	}
	return 1
}

func isSpaceEnd(s string) bool {
	switch s[len(s)-1] {
	case ' ', '\t', '\r', '\n', '\v', '\f':
		return true
	case 0xA0:
		return len(s) > 1 && s[len(s)-2] == 0xC2
	}
	return false
}

func widthEnd(s string) int {
	if s[len(s)-1] == 0xA0 {
		return 2
	}
	return 1
}
