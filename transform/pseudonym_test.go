package transform

import (
	"bytes"
	"strings"
	"testing"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

func TestValidBSN(t *testing.T) {
	tests := []struct {
		bsn  string
		want bool
	}{
		{"111222333", true},
		{"123456782", true},
		{"999999990", true},
		{"123456789", false}, // elfproef fails
		{"111222334", false},
		{"000000000", false}, // all zeros
		{"11122233", false},  // 8 digits: ingest pads, transform does not
		{"1112223333", false},
		{"11122233a", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidBSN(tt.bsn); got != tt.want {
			t.Errorf("ValidBSN(%q) = %v; want %v", tt.bsn, got, tt.want)
		}
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Van der Berg", "vanderberg"},
		{"van-der  BERG", "vanderberg"},
		{"Çelik", "celik"},
		{"Özdemir", "ozdemir"},
		{"Müller-Lüdenscheidt", "mullerludenscheidt"},
		{"Straße", "strasse"},
		{"Søren", "soren"},
		{"IJsselmeer", "ijsselmeer"},
		{"Ĳsbrand", "ijsbrand"},
		{"d'Hondt", "dhondt"},
		{"E35", "e35"},
		{"  ", ""},
	}
	for _, tt := range tests {
		if got := string(foldAppend(nil, tt.in)); got != tt.want {
			t.Errorf("foldAppend(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestInitials(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Jan Peter", "jp"},
		{"J.P.", "jp"},
		{"J. P.", "jp"},
		{"Jan-Peter Hendrik", "jph"},
		{"Émile", "e"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := string(initialsAppend(nil, tt.in)); got != tt.want {
			t.Errorf("initialsAppend(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func persoonOf(p *pseudonymiser, bsn, achternaam, voornamen, geboren string) (string, persoonKey, bool) {
	var dst [PseudonymLen]byte
	has := geboren != ""
	var d int32
	if has {
		d = int32(day(geboren))
	}
	k, bad := p.persoon(dst[:], bsn, achternaam, voornamen, d, has)
	if k == keyNone {
		return "", k, bad
	}
	return string(dst[:]), k, bad
}

func TestPersoon(t *testing.T) {
	p := newPseudonymiser(testKey)
	byBSN, k, bad := persoonOf(p, "111222333", "Jansen", "Piet", "2008-01-02")
	if k != keyBSN || bad || len(byBSN) != PseudonymLen || strings.Trim(byBSN, "0123456789abcdef") != "" {
		t.Fatalf("persoon(valid BSN) = %q, %v, %v; want 32 lower-case hex from the BSN", byBSN, k, bad)
	}
	if again, _, _ := persoonOf(p, "111222333", "Other", "Name", "1990-01-01"); again != byBSN {
		t.Error("the same valid BSN gives another pseudonym when the name differs")
	}
	if other, _, _ := persoonOf(newPseudonymiser(bytes.Repeat([]byte{'k'}, 32)), "111222333", "", "", ""); other == byBSN {
		t.Error("another key gives the same pseudonym")
	}

	byName, k, bad := persoonOf(p, "123456789", "Van der Berg", "Jan Peter", "2008-01-02")
	if k != keyNaam || !bad {
		t.Fatalf("persoon(invalid BSN) key %v, badBSN %v; want name key and badBSN", k, bad)
	}
	same := [][3]string{
		{"", "van der berg", "J.P."},
		{"", "Berg, van der", "Jan-Peter"},
		{"", "VAN DER BERG", "j p"},
	}
	for _, s := range same {
		if got, _, _ := persoonOf(p, s[0], s[1], s[2], "2008-01-02"); got != byName {
			t.Errorf("persoon(%q, %q) differs from the same person spelled otherwise", s[1], s[2])
		}
	}
	differ := [][4]string{
		{"", "Van der Berg", "Jan Peter", "2008-01-03"},
		{"", "Van den Berg", "Jan Peter", "2008-01-02"},
		{"", "Van der Berg", "Kees", "2008-01-02"},
	}
	for _, s := range differ {
		if got, _, _ := persoonOf(p, s[0], s[1], s[2], s[3]); got == byName {
			t.Errorf("persoon(%q, %q, %s) equals another person's", s[1], s[2], s[3])
		}
	}
	if _, k, _ := persoonOf(p, "", "Jansen", "Piet", ""); k != keyNone {
		t.Error("a name without birth date gives a person key")
	}
	if _, k, _ := persoonOf(p, "", " - ", "Piet", "2008-01-02"); k != keyNone {
		t.Error("an empty surname gives a person key")
	}
}

func TestZaak(t *testing.T) {
	p := newPseudonymiser(testKey)
	z := func(prefix, nr string) string {
		var dst [PseudonymLen]byte
		if !p.zaak(dst[:], prefix, nr) {
			return ""
		}
		return string(dst[:])
	}
	a := z(prefixZaak, "PL0600-2024.123456")
	for _, nr := range []string{"pl0600 2024123456", "PL06002024123456", " PL0600-2024-123456 "} {
		if got := z(prefixZaak, nr); got != a {
			t.Errorf("zaak(%q) differs from the same registratienummer spelled otherwise", nr)
		}
	}
	if z(prefixParket, "PL06002024123456") == a {
		t.Error("a parketnummer and a registratienummer with the same text share a zaak")
	}
	if z(prefixZaak, " - . ") != "" {
		t.Error("an empty number gives a zaak")
	}
}

func BenchmarkPseudonymise(b *testing.B) {
	p := newPseudonymiser(testKey)
	var dst [PseudonymLen]byte
	geboren := int32(day("2008-01-02"))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%4 == 0 { // a quarter fall back to the name key
			p.persoon(dst[:], "123456789", "Van der Berg", "Jan Peter", geboren, true)
		} else {
			p.persoon(dst[:], "111222333", "", "", geboren, true)
		}
		p.zaak(dst[:], prefixZaak, "PL0600-2024123456")
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
