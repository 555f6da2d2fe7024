package transform

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// foldAppend appends s lower-cased, with accents removed and only letters and
// digits kept, so that "Van der Berg", "van-der berg" and "VANDERBERG" fold
// alike. It does not allocate beyond growing dst, because it runs per row.
func foldAppend(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			dst = foldASCII(dst, c)
			i++
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		dst = foldRune(dst, s[i:i+size])
		i += size
	}
	return dst
}

func foldASCII(dst []byte, c byte) []byte {
	switch {
	case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		return append(dst, c)
	case 'A' <= c && c <= 'Z':
		return append(dst, c+'a'-'A')
	}
	return dst
}

// foldRune folds the one non-ASCII rune in s. NFKD splits é into e and a
// combining accent (dropped as not a letter) and ĳ into i and j.
func foldRune(dst []byte, s string) []byte {
	r, _ := utf8.DecodeRuneInString(s)
	switch r {
	case 'ß':
		return append(dst, "ss"...)
	case 'ø', 'Ø':
		return append(dst, 'o')
	case 'æ', 'Æ':
		return append(dst, "ae"...)
	case 'œ', 'Œ':
		return append(dst, "oe"...)
	case 'ł', 'Ł':
		return append(dst, 'l')
	case 'đ', 'Đ':
		return append(dst, 'd')
	}
	if d := norm.NFKD.PropertiesString(s).Decomposition(); d != nil {
		for j := 0; j < len(d); {
			dr, n := utf8.DecodeRune(d[j:])
			j += n
			if dr < utf8.RuneSelf {
				dst = foldASCII(dst, byte(dr))
			} else if unicode.IsLetter(dr) || unicode.IsDigit(dr) {
				dst = utf8.AppendRune(dst, unicode.ToLower(dr))
			}
		}
		return dst
	}
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
	}
	return dst
}

// initialsAppend appends the folded first letter of every word of s:
// "Jan-Peter Hendrik" and "J.P.H." both give "jph".
func initialsAppend(dst []byte, s string) []byte {
	word := false
	for i := 0; i < len(s); {
		n := len(dst)
		size := 1
		if c := s[i]; c < utf8.RuneSelf {
			dst = foldASCII(dst, c)
		} else {
			_, size = utf8.DecodeRuneInString(s[i:])
			dst = foldRune(dst, s[i:i+size])
		}
		i += size
		switch {
		case len(dst) == n: // a separator
			word = false
		case word: // not the first letter of a word: take it back
			dst = dst[:n]
		default:
			_, first := utf8.DecodeRune(dst[n:])
			dst = dst[:n+first]
			word = true
		}
	}
	return dst
}
