package ingest

import (
	"testing"
	"time"
)

// day returns the date32 value of a calendar date, computed with package time
// so that the test does not share ParseDate's arithmetic.
func day(y int, m time.Month, d int) int32 {
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in     string
		want   int32
		wantOK bool
	}{
		{"15-07-2023", day(2023, 7, 15), true},
		{"5-7-2023", day(2023, 7, 5), true},
		{"05-7-2023", day(2023, 7, 5), true},
		{"2023-07-15", day(2023, 7, 15), true},
		{"2023/07/15", day(2023, 7, 15), true},
		{"15/07/2023", day(2023, 7, 15), true},
		{"5/7/2023", day(2023, 7, 5), true},
		{"15.07.2023", day(2023, 7, 15), true},
		{" 15-07-2023 ", day(2023, 7, 15), true},
		{"15-07-2023 13:45", day(2023, 7, 15), true},
		{"15-07-2023 9:05:59", day(2023, 7, 15), true},
		{"2023-07-15T13:45:00", day(2023, 7, 15), true},
		{"2023-07-15T13:45:00.123", day(2023, 7, 15), true},
		{"29-02-2024", day(2024, 2, 29), true},
		{"29-02-2000", day(2000, 2, 29), true},
		{"01-01-1970", 0, true},
		{"31-12-1969", -1, true},
		{"20230715", day(2023, 7, 15), true},
		// Excel serials, 1900 date system.
		{"45122", day(2023, 7, 15), true},
		{"45122.75", day(2023, 7, 15), true},
		{"45122,5", day(2023, 7, 15), true},
		{"1", day(1900, 1, 1), true},
		{"59", day(1900, 2, 28), true},
		{"61", day(1900, 3, 1), true},
		{"25569", 0, true},
		{"2958465", day(9999, 12, 31), true},
		// Rejected.
		{"", 0, false},
		{"   ", 0, false},
		{"0", 0, false},
		{"60", 0, false}, // Excel's 29-02-1900 never existed
		{"2958466", 0, false},
		{"31-02-2023", 0, false},
		{"29-02-2023", 0, false},
		{"29-02-1900", 0, false},
		{"31-04-2023", 0, false},
		{"00-01-2023", 0, false},
		{"15-13-2023", 0, false},
		{"15-07-23", 0, false},
		{"15-07/2023", 0, false},
		{"2023.07.15", 0, false},
		{"15-07-2023 25:00", 0, false},
		{"15-07-2023 13:60", 0, false},
		{"15-07-2023 13", 0, false},
		{"15-07-2023T", 0, false},
		{"15-07-2023x", 0, false},
		{"2023-07-15Z", 0, false},
		{"-45122", 0, false},
		{"45122.", 0, false},
		{"45122.5.5", 0, false},
		{"20231315", 0, false},
		{"1234567890123", 0, false},
		{"juli 2023", 0, false},
		{"15-07-0999", 0, false},
		{"115-07-2023", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseDate(tt.in)
		if ok != tt.wantOK || (ok && got != tt.want) {
			t.Errorf("ParseDate(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestCivilDaysMatchesTime(t *testing.T) {
	for d := time.Date(1899, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2101; d = d.AddDate(0, 0, 1) {
		got, ok := civilDays(d.Year(), int(d.Month()), d.Day())
		if want := int32(d.Unix() / 86400); !ok || got != want {
			t.Fatalf("civilDays(%s) = %d, %v; want %d, true", d.Format(time.DateOnly), got, ok, want)
		}
	}
}

func TestAppendPostcode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"7511AB", "7511AB"},
		{"7511 ab", "7511AB"},
		{"7511_AB", "7511AB"},
		{"7511-ab", "7511AB"},
		{" 7511  Ab ", "7511AB"},
		{"", ""},
		{"0511AB", ""},
		{"7511", ""},
		{"7511A", ""},
		{"7511ABC", ""},
		{"751AB", ""},
		{"75111AB", ""},
		{"7511SS", ""},
		{"7511sa", ""},
		{"AB7511", ""},
		{"7511ÄB", ""},
	}
	for _, tt := range tests {
		got, ok := AppendPostcode(nil, tt.in)
		if string(got) != tt.want || ok != (tt.want != "") {
			t.Errorf("AppendPostcode(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestAppendBSN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"111222333", "111222333"},
		{"1112.22.333", "111222333"},
		{"111 222 333", "111222333"},
		{"11222333", "011222333"},
		{"11.22.23.33", "011222333"},
		{"1112223334", ""},
		{"1122233", ""},
		{"", ""},
		{"11122233a", ""},
		{"onbekend", ""},
	}
	for _, tt := range tests {
		got, ok := AppendBSN(nil, tt.in)
		if string(got) != tt.want || ok != (tt.want != "") {
			t.Errorf("AppendBSN(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestParseHuisnummer(t *testing.T) {
	tests := []struct {
		in     string
		want   int64
		wantOK bool
	}{
		{"12", 12, true},
		{"12a", 12, true},
		{"12-2", 12, true},
		{"12 bis", 12, true},
		{" 7 ", 7, true},
		{"12.0", 12, true},
		{"99999", 99999, true},
		{"123456", 0, false},
		{"0", 0, false},
		{"", 0, false},
		{"a12", 0, false},
		{"bij 12", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseHuisnummer(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("ParseHuisnummer(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		in     string
		want   float64
		wantOK bool
	}{
		{"253123,45", 253123.45, true},
		{"253123.45", 253123.45, true},
		{"1.234,5", 1234.5, true},
		{"1,234.5", 1234.5, true},
		{"1.234.567,25", 1234567.25, true},
		{"-12,5", -12.5, true},
		{"+12", 12, true},
		{"52.2215372", 52.2215372, true},
		{"6,8936619", 6.8936619, true},
		{"0,1", 0.1, true},
		{",5", 0.5, true},
		{"5,", 5, true},
		{"1.5E+5", 150000, true},
		{"2.5e-1", 0.25, true},
		{"12345678901234567,5", 12345678901234567.5, true},
		{"0.0000000000000000000000001", 1e-25, true},
		{"", 0, false},
		{"-", 0, false},
		{",", 0, false},
		{"1.234.567", 0, false},
		{"1,2,3", 0, false},
		{"1,234,5.6", 0, false},
		{"12 m", 0, false},
		{"1,5E3", 0, false},
		{"NaN", 0, false},
		{"Inf", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseDecimal(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("ParseDecimal(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestParseInt(t *testing.T) {
	tests := []struct {
		in     string
		want   int64
		wantOK bool
	}{
		{"12", 12, true},
		{" -3 ", -3, true},
		{"1.5", 0, false},
		{"", 0, false},
		{"x", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseInt(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("ParseInt(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestTrimSpace(t *testing.T) {
	tests := []struct{ in, want string }{
		{" a ", "a"},
		{"\u00a0a\u00a0", "a"},
		{"\t\r\n", ""},
		{"a b", "a b"},
		{"\xc2", "\xc2"},
		{"\xa0", "\xa0"},
	}
	for _, tt := range tests {
		if got := trimSpace(tt.in); got != tt.want {
			t.Errorf("trimSpace(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// Sinks keep the parsers' results alive, so the compiler cannot drop the
// calls the allocation test measures.
var (
	sinkDays  int32
	sinkFloat float64
	sinkInt   int64
	sinkBytes []byte
	sinkOK    bool
)

func TestParsersDoNotAllocate(t *testing.T) {
	// Inputs from a slice, not constants, so nothing is folded away.
	in := []string{"15-07-2023 13:45", "45122", "253123,45", "12a", "12", "7511 ab", "11.22.23.33"}
	buf := make([]byte, 0, 16)
	parse := func() {
		var ok [7]bool
		sinkDays, ok[0] = ParseDate(in[0])
		sinkDays, ok[1] = ParseDate(in[1])
		sinkFloat, ok[2] = ParseDecimal(in[2])
		sinkInt, ok[3] = ParseHuisnummer(in[3])
		sinkInt, ok[4] = ParseInt(in[4])
		sinkBytes, ok[5] = AppendPostcode(buf[:0], in[5])
		sinkBytes, ok[6] = AppendBSN(buf[:0], in[6])
		sinkOK = ok == [7]bool{true, true, true, true, true, true, true}
	}
	if allocs := testing.AllocsPerRun(100, parse); allocs != 0 || !sinkOK {
		t.Errorf("parsers allocate %v times per run (all parsed: %v); want 0", allocs, sinkOK)
	}
	// The measurement works: appending past the buffer's capacity allocates.
	if allocs := testing.AllocsPerRun(100, func() { sinkBytes, sinkOK = AppendPostcode(nil, in[5]) }); allocs != 1 {
		t.Errorf("AppendPostcode into nil: %v allocations, want 1", allocs)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"15-07-2023", "5-7-2023", "2023-07-15T13:45:00", "15/07/2023 9:05",
		"15.07.2023", "45122.75", "60", "20230715", "31-02-2023", "", "1-1-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := ParseDate(s)
		if !ok {
			return
		}
		// Every accepted date is a real day between the years 1000 and 9999.
		tm := time.Unix(int64(d)*86400, 0).UTC()
		if tm.Year() < 1000 || tm.Year() > 9999 {
			t.Fatalf("ParseDate(%q) = %d, year %d out of range", s, d, tm.Year())
		}
		if again, ok2 := civilDays(tm.Year(), int(tm.Month()), tm.Day()); !ok2 || again != d {
			t.Fatalf("ParseDate(%q) = %d, which does not round-trip (%d)", s, d, again)
		}
	})
}
