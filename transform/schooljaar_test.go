package transform

import (
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

func TestSchooljaar(t *testing.T) {
	tests := []struct{ day, want string }{
		{"2024-08-01", "2024/25"},
		{"2025-07-31", "2024/25"},
		{"2025-08-01", "2025/26"},
		{"2024-01-15", "2023/24"},
		{"2024-02-29", "2023/24"},
		{"1999-09-01", "1999/00"},
		{"2000-03-01", "1999/00"},
	}
	for _, tt := range tests {
		if got := Schooljaar(day(tt.day)); got != tt.want {
			t.Errorf("Schooljaar(%s) = %s; want %s", tt.day, got, tt.want)
		}
		from, to, err := SchooljaarRange(tt.want)
		d := arrow.Date32(day(tt.day)).ToTime()
		if err != nil || d.Before(from) || !d.Before(to) {
			t.Errorf("SchooljaarRange(%s) = %v, %v, %v; does not hold %s", tt.want, from, to, err, tt.day)
		}
	}
	from, to, _ := SchooljaarRange("2024/25")
	if want := time.Date(2024, 8, 1, 0, 0, 0, 0, time.UTC); !from.Equal(want) || !to.Equal(want.AddDate(1, 0, 0)) {
		t.Errorf("SchooljaarRange(2024/25) = %v, %v", from, to)
	}
	for _, bad := range []string{"2024/26", "2024-25", "24/25", "2024/2025", "", "abcd/ef", "2024/25x"} {
		if _, _, err := SchooljaarRange(bad); err == nil {
			t.Errorf("SchooljaarRange(%q) accepted", bad)
		}
	}
}
