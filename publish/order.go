package publish

import (
	"cmp"
	"slices"

	"github.com/ivz-twente/jeugd/transform"
)

// CompareKlasse orders the classes of a breakdown the way people read
// them, whatever order the cells came in: leeftijdsklassen from young to
// old, other classes by name, and "onbekend" last.
func CompareKlasse(a, b string) int {
	rank := func(k string) int {
		switch {
		case k == "totaal":
			return -1
		case k == transform.Onbekend:
			return len(transform.Leeftijdsklassen)
		}
		if i := slices.Index(transform.Leeftijdsklassen, k); i >= 0 {
			return i
		}
		return len(transform.Leeftijdsklassen) - 1 // between the ages and onbekend, by name
	}
	return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a, b))
}
