package transform

import "github.com/apache/arrow-go/v18/arrow"

// MaxLeeftijd is the highest plausible age at an event; an older person is
// a data error (often a wrong century) and quarantined as quarantine.KindTooOld.
const MaxLeeftijd = 120

// Age returns the age in whole years on datum of someone born on geboren:
// one less while the birthday is not yet reached that year. Someone born on
// 29 February reaches it on 1 March in a year without one. Age is negative
// when geboren is after datum.
func Age(geboren, datum arrow.Date32) int {
	if geboren > datum {
		return -1
	}
	gy, gm, gd := civil(int32(geboren))
	y, m, d := civil(int32(datum))
	age := y - gy
	if m < gm || (m == gm && d < gd) {
		age--
	}
	return age
}

// Leeftijdsklasse returns the class of an age (see Leeftijdsklassen);
// Onbekend for a negative age.
func Leeftijdsklasse(age int) string {
	switch {
	case age < 0:
		return Onbekend
	case age <= 11:
		return "0-11"
	case age <= 14:
		return "12-14"
	case age <= 17:
		return "15-17"
	case age <= 22:
		return "18-22"
	default:
		return "23+"
	}
}

// civil converts days since 1970-01-01 into a proleptic Gregorian date. It is
// Howard Hinnant's civil_from_days; unlike time.Time it costs a few integer
// operations per row.
func civil(days int32) (y, m, d int) {
	z := int64(days) + 719468
	era := z
	if era < 0 {
		era -= 146096
	}
	era /= 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	if mp < 10 {
		m = int(mp + 3)
	} else {
		m = int(mp - 9)
	}
	y = int(yoe + era*400)
	if m <= 2 {
		y++
	}
	return y, m, d
}

// appendISODate appends the date as jjjj-mm-dd.
func appendISODate(dst []byte, days int32) []byte {
	y, m, d := civil(days)
	if y < 0 || y > 9999 {
		y = 0
	}
	return append(dst,
		byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-',
		byte('0'+d/10), byte('0'+d%10))
}
