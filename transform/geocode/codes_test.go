package geocode

import "testing"

func TestNormalizeBuurtcode(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"BU01470101", "BU01470101"},
		{"bu01470101", "BU01470101"},
		{" BU01470101 ", "BU01470101"},
		{"01470101", "BU01470101"},
		{"1470101", "BU01470101"},
		{"30101", "BU00030101"}, // CBS tables drop leading zeros
		{"BU1470101", ""},       // with prefix all eight digits
		{"BU014701011", ""},
		{"147010123", ""},
		{"BU0147XXXX", ""},
		{"WK014701", ""},
		{"", ""},
		{"BU", ""},
		{"14701-1", ""},
	} {
		got, ok := NormalizeBuurtcode(tc.in)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("NormalizeBuurtcode(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

func TestParsePC6(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // formatted back; "" when invalid
	}{
		{"7622AB", "7622AB"},
		{"7622ab", "7622AB"},
		{"7622 AB", "7622AB"},
		{" 7622AB ", "7622AB"},
		{"1000AA", "1000AA"},
		{"9999ZZ", "9999ZZ"},
		{"0999AA", ""},
		{"7622A", ""},
		{"7622ABC", ""},
		{"76221B", ""},
		{"7622  AB", ""},
		{"7622-AB", ""},
		{"", ""},
	} {
		p, ok := parsePC6(tc.in)
		got := ""
		if ok {
			got = formatPC6(p)
			if p >= 1<<pc6Bits {
				t.Errorf("parsePC6(%q) = %d, beyond %d bits", tc.in, p, pc6Bits)
			}
		}
		if got != tc.want {
			t.Errorf("parsePC6(%q) formats as %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseGemeentecode(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint32
		ok   bool
	}{
		{"GM0147", 147, true},
		{"gm0147", 147, true},
		{"0147", 147, true},
		{"147", 147, true},
		{"GM147", 0, false},
		{"GM01470", 0, false},
		{"Borne", 0, false},
	} {
		got, ok := parseGemeentecode(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseGemeentecode(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
