package geocode

import "strings"

// CBS codes are handled as integers inside the package: a buurt code
// BUggggwwbb is the number ggggwwbb, its wijk ggggww and its gemeente gggg,
// so the hierarchy is plain division and lookups need no string building.

const (
	buurtDigits    = 8
	wijkDigits     = 6
	gemeenteDigits = 4
)

// parseCode reads a CBS code: prefix (any case) plus exactly width digits,
// or bare digits without prefix whose leading zeros may be missing, as CBS
// tables store them ("1470101" for BU01470101). Surrounding space is ignored.
func parseCode(s, prefix string, width int) (uint32, bool) {
	s = strings.TrimSpace(s)
	if len(s) > len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		s = s[len(prefix):]
		if len(s) != width {
			return 0, false
		}
	}
	if len(s) == 0 || len(s) > width {
		return 0, false
	}
	var n uint32
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint32(c-'0')
	}
	return n, true
}

func parseBuurtcode(s string) (uint32, bool)    { return parseCode(s, "BU", buurtDigits) }
func parseWijkcode(s string) (uint32, bool)     { return parseCode(s, "WK", wijkDigits) }
func parseGemeentecode(s string) (uint32, bool) { return parseCode(s, "GM", gemeenteDigits) }

// formatCode writes prefix plus n zero-padded to width digits.
func formatCode(prefix string, n uint32, width int) string {
	b := make([]byte, len(prefix)+width)
	copy(b, prefix)
	for i := len(b) - 1; i >= len(prefix); i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b)
}

func buurtString(n uint32) string    { return formatCode("BU", n, buurtDigits) }
func wijkString(n uint32) string     { return formatCode("WK", n, wijkDigits) }
func gemeenteString(n uint32) string { return formatCode("GM", n, gemeenteDigits) }

// NormalizeBuurtcode returns the CBS form BUggggwwbb of a buurt code given
// as "BU01470101", "01470101" or "1470101", and false when s is not one.
func NormalizeBuurtcode(s string) (string, bool) {
	n, ok := parseBuurtcode(s)
	if !ok {
		return "", false
	}
	return buurtString(n), true
}

// A PC6 is packed as (digits-1000)·676 + letters, which fits in 23 bits.
const (
	pc6Bits       = 23
	huisnummerMax = 1<<17 - 1 // Dutch house numbers have at most five digits
)

// parsePC6 reads "1234AB", "1234 ab" or "1234ab" without allocating.
func parsePC6(s string) (uint32, bool) {
	s = strings.TrimSpace(s)
	if len(s) == 7 && s[4] == ' ' {
		return packPC6(s[0], s[1], s[2], s[3], s[5], s[6])
	}
	if len(s) != 6 {
		return 0, false
	}
	return packPC6(s[0], s[1], s[2], s[3], s[4], s[5])
}

func packPC6(d0, d1, d2, d3, l0, l1 byte) (uint32, bool) {
	var n uint32
	for _, c := range [4]byte{d0, d1, d2, d3} {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint32(c-'0')
	}
	if n < 1000 {
		return 0, false
	}
	l0, l1 = upper(l0), upper(l1)
	if l0 < 'A' || l0 > 'Z' || l1 < 'A' || l1 > 'Z' {
		return 0, false
	}
	return (n-1000)*676 + uint32(l0-'A')*26 + uint32(l1-'A'), true
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

func formatPC6(p uint32) string {
	digits := p/676 + 1000
	l := p % 676
	return string([]byte{
		byte('0' + digits/1000), byte('0' + digits/100%10), byte('0' + digits/10%10), byte('0' + digits%10),
		byte('A' + l/26), byte('A' + l%26),
	})
}
