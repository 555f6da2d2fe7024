package transform

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strings"
)

// PseudonymLen is the length of a persoon or zaak pseudonym: the lower-case
// hex of the first 16 bytes (128 bits) of the HMAC-SHA256. 128 bits keep the
// chance that two of even 100 million persons collide below 1 in 10^22 (the
// birthday bound is 2^64 pseudonyms), while the pseudonym is half as long in
// the store. Truncation does not weaken the keyed HMAC: without the key a
// pseudonym can neither be computed nor reversed.
const PseudonymLen = 32

// Domain prefixes keep a BSN, a name key and a case number from ever
// hashing to the same input.
const (
	prefixBSN    = "bsn:"
	prefixNaam   = "naam:"
	prefixZaak   = "zaak:"
	prefixParket = "parket:"
)

// persoonKey says which key a person pseudonym was computed from.
type persoonKey uint8

const (
	keyNone persoonKey = iota // no BSN and not both achternaam and geboortedatum
	keyBSN
	keyNaam
)

// pseudonymiser computes pseudonyms. It is not safe for concurrent use: it
// reuses one HMAC state and its buffers for every row, so each goroutine
// holds its own.
type pseudonymiser struct {
	mac hash.Hash
	in  []byte
	sum []byte
}

func newPseudonymiser(key []byte) *pseudonymiser {
	return &pseudonymiser{
		mac: hmac.New(sha256.New, key),
		in:  make([]byte, 0, 128),
		sum: make([]byte, 0, sha256.Size),
	}
}

// encode writes the pseudonym of p.in into dst[:PseudonymLen].
func (p *pseudonymiser) encode(dst []byte) {
	p.mac.Reset()
	p.mac.Write(p.in)
	p.sum = p.mac.Sum(p.sum[:0])
	hex.Encode(dst[:PseudonymLen], p.sum[:PseudonymLen/2])
}

// persoon writes the person pseudonym into dst. bsn is the normalised BSN
// ("" when null); it is used when it passes the elfproef, otherwise the key
// is the folded achternaam, the initials of voornamen and the birth date
// (days since the epoch; hasGeboren false when null). badBSN reports a
// non-empty BSN that failed the elfproef.
func (p *pseudonymiser) persoon(dst []byte, bsn, achternaam, voornamen string, geboren int32, hasGeboren bool) (k persoonKey, badBSN bool) {
	if bsn != "" {
		if ValidBSN(bsn) {
			p.in = append(append(p.in[:0], prefixBSN...), bsn...)
			p.encode(dst)
			return keyBSN, false
		}
		badBSN = true
	}
	if !hasGeboren {
		return keyNone, badBSN
	}
	p.in = append(p.in[:0], prefixNaam...)
	p.in = appendAchternaam(p.in, achternaam)
	if len(p.in) == len(prefixNaam) {
		return keyNone, badBSN
	}
	p.in = append(p.in, '|')
	p.in = initialsAppend(p.in, voornamen)
	p.in = append(p.in, '|')
	p.in = appendISODate(p.in, geboren)
	p.encode(dst)
	return keyNaam, badBSN
}

// appendAchternaam folds a surname. Suppliers write the tussenvoegsel before
// the name ("van der Berg") or after a comma ("Berg, van der"); both fold to
// "vanderberg".
func appendAchternaam(dst []byte, s string) []byte {
	if i := strings.LastIndexByte(s, ','); i >= 0 {
		dst = foldAppend(dst, s[i+1:])
		return foldAppend(dst, s[:i])
	}
	return foldAppend(dst, s)
}

// zaak writes the pseudonym of a case number into dst: prefix plus the number
// in upper case without spaces, dots and hyphens, so that "PL0600-2024.123"
// and "pl0600 2024123" are one case. It reports false when nothing is left.
func (p *pseudonymiser) zaak(dst []byte, prefix, nummer string) bool {
	p.in = append(p.in[:0], prefix...)
	for i := 0; i < len(nummer); i++ {
		switch c := nummer[i]; {
		case c == ' ' || c == '.' || c == '-' || c == '\t':
		case 'a' <= c && c <= 'z':
			p.in = append(p.in, c-'a'+'A')
		default:
			p.in = append(p.in, c)
		}
	}
	if len(p.in) == len(prefix) {
		return false
	}
	p.encode(dst)
	return true
}

// ValidBSN reports whether s is a burgerservicenummer that passes the
// elfproef: nine digits, not all zero, whose digits weighted 9, 8, …, 2 and
// -1 add up to a multiple of 11.
func ValidBSN(s string) bool {
	if len(s) != 9 {
		return false
	}
	sum, nonzero := 0, false
	for i := 0; i < 9; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		nonzero = nonzero || d != 0
		if i == 8 {
			sum -= d
		} else {
			sum += d * (9 - i)
		}
	}
	return nonzero && sum%11 == 0
}
