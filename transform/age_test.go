package transform

import (
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

func day(s string) arrow.Date32 {
	tm, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return arrow.Date32FromTime(tm)
}

func TestAge(t *testing.T) {
	tests := []struct {
		geboren, datum string
		want           int
	}{
		{"2010-06-15", "2024-06-14", 13},
		{"2010-06-15", "2024-06-15", 14},
		{"2010-06-15", "2024-06-16", 14},
		{"2010-12-31", "2011-01-01", 0},
		{"2024-03-01", "2024-03-01", 0},
		{"2008-02-29", "2009-02-28", 0}, // no 29 February in 2009
		{"2008-02-29", "2009-03-01", 1}, // birthday reached on 1 March
		{"2008-02-29", "2012-02-28", 3},
		{"2008-02-29", "2012-02-29", 4},
		{"2008-03-01", "2012-02-29", 3},
		{"1900-01-01", "2024-01-01", 124},
		{"1969-12-31", "1970-01-01", 0},
		{"1960-05-05", "2000-05-04", 39},
		{"2024-06-16", "2024-06-15", -1},
	}
	for _, tt := range tests {
		if got := Age(day(tt.geboren), day(tt.datum)); got != tt.want {
			t.Errorf("Age(%s, %s) = %d; want %d", tt.geboren, tt.datum, got, tt.want)
		}
	}
}

func TestCivilMatchesTime(t *testing.T) {
	start := time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC)
	for tm := start; tm.Year() < 2200; tm = tm.AddDate(0, 0, 1) {
		d := arrow.Date32FromTime(tm)
		y, m, dd := civil(int32(d))
		if y != tm.Year() || m != int(tm.Month()) || dd != tm.Day() {
			t.Fatalf("civil(%d) = %d-%d-%d; want %s", d, y, m, dd, tm.Format("2006-01-02"))
		}
		if got, want := string(appendISODate(nil, int32(d))), tm.Format("2006-01-02"); got != want {
			t.Fatalf("appendISODate(%d) = %s; want %s", d, got, want)
		}
	}
}

func TestLeeftijdsklasse(t *testing.T) {
	tests := []struct {
		age  int
		want string
	}{
		{-1, Onbekend}, {0, "0-11"}, {11, "0-11"}, {12, "12-14"}, {14, "12-14"}, {15, "15-17"},
		{17, "15-17"}, {18, "18-22"}, {22, "18-22"}, {23, "23+"}, {120, "23+"},
	}
	for _, tt := range tests {
		if got := Leeftijdsklasse(tt.age); got != tt.want {
			t.Errorf("Leeftijdsklasse(%d) = %q; want %q", tt.age, got, tt.want)
		}
	}
}
