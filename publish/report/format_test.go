package report

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"

	"github.com/ivz-twente/jeugd/transform/geocode"
)

func TestFormatInt(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1.000"}, {12345, "12.345"},
		{1234567, "1.234.567"}, {-1, "-1"}, {-1234, "-1.234"}, {-123456, "-123.456"},
	}
	for _, tt := range tests {
		if got := formatInt(tt.in); got != tt.want {
			t.Errorf("formatInt(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatChange(t *testing.T) {
	tests := []struct {
		cur, prev int64
		want      string
	}{
		{50, 40, "+10 (+25,0%)"},
		{40, 50, "-10 (-20,0%)"},
		{7, 7, "0 (0,0%)"},
		{3, 0, "+3"},
		{1, 3, "-2 (-66,7%)"},
		{2001, 2000, "+1 (+0,1%)"},
		{1999, 2000, "-1 (-0,1%)"},
		{10001, 10000, "+1 (+0,0%)"},
		{13000, 1000, "+12.000 (+1.200,0%)"},
	}
	for _, tt := range tests {
		if got := formatChange(tt.cur, tt.prev); got != tt.want {
			t.Errorf("formatChange(%d, %d) = %q, want %q", tt.cur, tt.prev, got, tt.want)
		}
	}
}

func TestFormatPercent(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0,0%"}, {1, "100,0%"}, {0.975, "97,5%"}, {0.99125, "99,1%"}, {0.0004, "0,0%"}, {-0.0004, "0,0%"}, {-0.0006, "-0,1%"}, {-0.25, "-25,0%"},
	}
	for _, tt := range tests {
		if got := formatPercent(tt.in); got != tt.want {
			t.Errorf("formatPercent(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLabels(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2025-03", "mrt 2025"}, {"2025-12", "dec 2025"}, {"2025-K1", "K1 2025"}, {"2025", "2025"}, {"2025-13", "2025-13"},
	}
	for _, tt := range tests {
		if got := periodeLabel(tt.in); got != tt.want {
			t.Errorf("periodeLabel(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := formatDate(time.Date(2026, 3, 9, 23, 0, 0, 0, time.UTC)); got != "9 maart 2026" {
		t.Errorf("formatDate = %q", got)
	}
	if got := shorten("Dikkerslaan-Molenkampsweg en omgeving", 10); got != "Dikkersla…" {
		t.Errorf("shorten = %q", got)
	}
	if got := shorten("Wensink", 10); got != "Wensink" {
		t.Errorf("shorten = %q", got)
	}
}

func TestBetween(t *testing.T) {
	if diff := cmp.Diff([]string{"2024-11", "2024-12", "2025-01", "2025-02"}, monthsBetween([]string{"2024-11", "2025-02", "bad"})); diff != "" {
		t.Errorf("monthsBetween (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"2024-K4", "2025-K1", "2025-K2"}, quartersBetween([]string{"2024-K4", "2025-K2"})); diff != "" {
		t.Errorf("quartersBetween (-want +got):\n%s", diff)
	}
	if got := monthsBetween(nil); got != nil {
		t.Errorf("monthsBetween(nil) = %q", got)
	}
}

func TestNiceTop(t *testing.T) {
	tests := []struct {
		max       int64
		top, step int64
	}{
		{0, 1, 1}, {1, 1, 1}, {3, 3, 1}, {7, 8, 2}, {22, 30, 10}, {30, 30, 10}, {31, 40, 10}, {99, 100, 50}, {1234, 1500, 500},
	}
	for _, tt := range tests {
		top, step := niceTop(tt.max, 4)
		if top != tt.top || step != tt.step {
			t.Errorf("niceTop(%d, 4) = %d, %d, want %d, %d", tt.max, top, step, tt.top, tt.step)
		}
	}
}

// TestKlassen: the map's classes start at k, since a protected figure is
// 0 or at least k; without a threshold (k = 0) they start at 1.
func TestKlassen(t *testing.T) {
	tests := []struct {
		max, k int64
		want   []string
	}{
		{0, 0, []string{"0"}},
		{3, 0, []string{"0", "1", "2", "3"}},
		{30, 0, []string{"0", "1–10", "11–20", "21–30"}},
		{41, 0, []string{"0", "1–20", "21–40", "41–60"}},
		{5000, 0, []string{"0", "1–2.000", "2.001–4.000", "4.001–6.000"}},
		{30, 5, []string{"0", "5–14", "15–24", "25–34"}},
		{8, 5, []string{"0", "5", "6", "7", "8"}},
		{0, 5, []string{"0"}},
		{41, 5, []string{"0", "5–14", "15–24", "25–34", "35–44"}},
	}
	for _, tt := range tests {
		var got []string
		for _, k := range klassen(tt.max, tt.k) {
			got = append(got, k.label())
			if tt.k >= 2 && k.Lo > 0 && k.Lo < tt.k {
				t.Errorf("klassen(%d, %d): class %s holds figures below k", tt.max, tt.k, k.label())
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("klassen(%d, %d) (-want +got):\n%s", tt.max, tt.k, diff)
		}
	}
}

func TestProject(t *testing.T) {
	// Two buurten side by side, 2 km wide and 1 km high together; the
	// northern edge must come out on top (small y).
	b := []geocode.Buurt{
		{Code: "BU01470001", Naam: "West", Geometry: orb.MultiPolygon{{square(250000, 480000, 1000)}}},
		{Code: "BU01470002", Naam: "Oost", Geometry: orb.MultiPolygon{{orb.Ring{{251000, 480000}, {252000, 480000}, {252000, 481000}, {251000, 480000}}}}},
		{Code: "BU01470003", Naam: "Zonder kaart"},
	}
	p := project(b)
	want := projection{
		W: 1000, H: 510,
		Paths: []buurtPath{
			{Code: "BU01470001", Naam: "West", D: "M10 500L500 500L500 10L10 10Z"},
			{Code: "BU01470002", Naam: "Oost", D: "M500 500L990 500L990 10Z"},
		},
	}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("project (-want +got):\n%s", diff)
	}
	if got := project(b[2:]); len(got.Paths) != 0 || got.W != 0 {
		t.Errorf("project without geometry = %+v, want empty", got)
	}
}
