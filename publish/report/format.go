package report

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Dutch month names; index 0 is January.
var (
	maandKort = [12]string{"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"}
	maandLang = [12]string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}
)

// formatInt writes n the Dutch way, with a point between thousands:
// 12345 gives "12.345".
func formatInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// formatDecimal writes f with one decimal and a decimal comma; whole
// numbers keep ",0" so columns line up.
func formatDecimal(f float64) string {
	r := math.Round(f * 10)
	whole := int64(r / 10)
	frac := int64(math.Abs(math.Mod(r, 10)))
	s := formatInt(whole)
	if whole == 0 && r < 0 {
		s = "-0"
	}
	return s + "," + strconv.FormatInt(frac, 10)
}

// formatPercent writes a share (0.125) as "12,5%".
func formatPercent(share float64) string {
	return formatDecimal(share*100) + "%"
}

// formatChange writes the change from prev to cur, absolute and relative:
// "+3 (+12,5%)". The relative part is left out when prev is 0.
func formatChange(cur, prev int64) string {
	d := cur - prev
	s := signed(formatInt(d), d)
	if prev == 0 {
		return s
	}
	pct := float64(d) / float64(prev)
	return s + " (" + signed(formatPercent(pct), d) + ")"
}

func signed(s string, d int64) string {
	if d > 0 {
		return "+" + s
	}
	return s
}

// formatDate writes a date the Dutch way: "3 maart 2026".
func formatDate(t time.Time) string {
	return strconv.Itoa(t.Day()) + " " + maandLang[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// periodeLabel turns a published periode into a reader's label:
// "2025-03" gives "mrt 2025", "2025-K1" gives "K1 2025".
func periodeLabel(p string) string {
	if len(p) == 7 && p[4] == '-' {
		if p[5] == 'K' {
			return p[5:] + " " + p[:4]
		}
		if m, err := strconv.Atoi(p[5:]); err == nil && m >= 1 && m <= 12 {
			return maandKort[m-1] + " " + p[:4]
		}
	}
	return p
}
