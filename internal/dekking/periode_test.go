package dekking

import "testing"

func TestDeclared(t *testing.T) {
	tests := []struct {
		text string
		want string // Periode.String(); "" when nothing is declared
	}{
		{"Periode: januari t/m juni 2025", "2025-01..2025-06"},
		{"Periode: januari 2022 t/m juni 2025 (peildatum 15-06-2025)", "2022-01..2025-06"},
		{"Verzuimmeldingen jan-jun 2025", "2025-01..2025-06"},
		{"okt. 2024 tot en met mrt. 2025", "2024-10..2025-03"},
		{"periode 01-01-2025 t/m 30-06-2025", "2025-01..2025-06"},
		{"van 2025-01-01 tot 2025-03-31", "2025-01..2025-03"},
		{"verzuim_2024-08_2025-07.csv", "2024-08..2025-07"},
		{"leerplicht_verzuim_20250715_2022-01_2025-07_deel2", "2022-01..2025-07"},
		{"jgz_2025-06.xlsx", "2025-06"},
		{"Schooljaar 2024-2025", "2024-08..2025-07"},
		{"schooljaar 2024/2025", "2024-08..2025-07"},
		{"halt_2025-K2.csv", "2025-04..2025-06"},
		{"Q3 2024", "2024-07..2024-09"},
		{"Export juni 2025", "2025-06"},
		{"Jaar 2024", "2024-01..2024-12"},
		{"Signalen_mei_2025", "2025-05"},
		// Nothing declared: a single date, an export date, a bare year,
		// words that hold a month abbreviation, a backward range.
		{"Peildatum 15-06-2025", ""},
		{"politie_verdachten_20250715.csv", ""},
		{"export-2025-07-15.csv", ""},
		{"verzuim 2024", ""},
		{"Meijer 2025", ""},
		{"schooljaar 2024-2026", ""},
		{"2025-06_2024-01", ""},
		{"juni t/m januari 2025", ""},
		{"Halt Nederland - verwijzingen regio Twente", ""},
		{"", ""},
	}
	for _, tt := range tests {
		p, ok := Declared(tt.text)
		got := ""
		if ok {
			got = p.String()
		}
		if got != tt.want {
			t.Errorf("Declared(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestParseMaand(t *testing.T) {
	for _, s := range []string{"2024-01", "1999-12"} {
		m, err := ParseMaand(s)
		if err != nil || m.String() != s {
			t.Errorf("ParseMaand(%q) = %v, %v", s, m, err)
		}
	}
	for _, s := range []string{"2024-13", "2024-1", "24-01", "2024/01", "januari", ""} {
		if _, err := ParseMaand(s); err == nil {
			t.Errorf("ParseMaand(%q) accepted", s)
		}
	}
}

// FuzzDeclared: any text, a file name or title row as a supplier wrote it,
// gives no panic and, when it declares a period, one that runs forward
// within years a delivery can have.
func FuzzDeclared(f *testing.F) {
	for _, s := range []string{"Periode: januari t/m juni 2025", "verzuim_2024-08_2025-07.csv", "schooljaar 2024/2025",
		"01-01-2025 t/m 30-06-2025", "2025-K2", "jan-jun 2025", "Peildatum 15-06-2025", "20250715", "mei 2025 - april 2024"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := Declared(s)
		if !ok {
			return
		}
		if p.Tot < p.Van || p.Van < maand(1900, 1) || p.Tot > maand(2099, 12) {
			t.Fatalf("Declared(%q) = %s", s, p)
		}
	})
}
