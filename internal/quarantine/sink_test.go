package quarantine

import (
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSinkKeepsAtMost(t *testing.T) {
	s := Sink{Keep: 3}
	for i := range 10 {
		s.Reject(&RowError{File: "a.csv", Row: i, Kind: Kind(1 + i%2)})
	}
	if got := len(s.Errors()); got != 3 {
		t.Errorf("kept %d errors, want 3", got)
	}
	if s.Count() != 10 || s.Dropped() != 7 || s.CountFile("a.csv") != 10 {
		t.Errorf("Count(), Dropped(), CountFile() = %d, %d, %d; want 10, 7, 10", s.Count(), s.Dropped(), s.CountFile("a.csv"))
	}
	if diff := cmp.Diff(map[Kind]int{KindMissing: 5, KindBadDate: 5}, s.ByKind()); diff != "" {
		t.Errorf("ByKind() (-want +got):\n%s", diff)
	}
}

// TestSinkSorted checks that concurrent reporters give one order: by file,
// sheet and row, with the reasons of one row in the order reported.
func TestSinkSorted(t *testing.T) {
	var s Sink
	var wg sync.WaitGroup
	for _, f := range []string{"b.csv", "a.xlsx"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for row := 9; row > 0; row-- {
				s.Reject(&RowError{File: f, Row: row, Column: "x", Kind: KindBadDate})
				s.Reject(&RowError{File: f, Row: row, Column: "y", Kind: KindMissing})
			}
		}()
	}
	wg.Wait()
	var want []RowError
	for _, f := range []string{"a.xlsx", "b.csv"} {
		for row := 1; row <= 9; row++ {
			want = append(want, RowError{File: f, Row: row, Column: "x", Kind: KindBadDate},
				RowError{File: f, Row: row, Column: "y", Kind: KindMissing})
		}
	}
	if diff := cmp.Diff(want, s.Errors()); diff != "" {
		t.Errorf("Errors() (-want +got):\n%s", diff)
	}
}

func TestRowErrorNamesPlace(t *testing.T) {
	for _, c := range []struct {
		e    RowError
		want string
	}{
		{RowError{File: "a.csv", Row: 3, Column: "Pleegdatum", Kind: KindBadDate}, `a.csv:3: column "Pleegdatum": ` + KindBadDate.String()},
		{RowError{File: "b.xlsx", Sheet: "Export", Row: 7, Kind: KindFieldCount}, "b.xlsx[Export]:7: " + KindFieldCount.String()},
		{RowError{File: "c.csv", Row: 1, Kind: Kind(200)}, "c.csv:1: kind 200"},
	} {
		if got := c.e.Error(); got != c.want {
			t.Errorf("%+v: Error() = %q, want %q", c.e, got, c.want)
		}
	}
}
