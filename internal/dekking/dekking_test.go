package dekking

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func rows(bron, path, first, last string) Levering {
	return Levering{Bron: bron, Path: path, Eerste: day(first), Laatste: day(last)}
}

func TestNew(t *testing.T) {
	today := day("2025-07-15")
	tests := []struct {
		name       string
		leveringen []Levering
		settings   map[string]Setting
		want       Bron
	}{
		{"rows: a quiet month inside is a true zero",
			[]Levering{rows("jgz", "jgz/a.csv", "2025-01-03", "2025-03-30"), rows("jgz", "jgz/b.csv", "2025-05-02", "2025-06-20")}, nil,
			Bron{Van: "2025-01", Tot: "2025-06", Ontbreekt: []string{}, Bepaald: ViaRijen}},
		{"file names: a month no file declares is missing",
			[]Levering{rows("jgz", "jgz/jgz_2025-01_2025-03.csv", "2025-01-03", "2025-03-30"),
				rows("jgz", "jgz/jgz_2025-05_2025-06.csv", "2025-05-02", "2025-06-20")}, nil,
			Bron{Van: "2025-01", Tot: "2025-06", Ontbreekt: []string{"2025-04"}, Bepaald: ViaBestandsnaam}},
		{"a declared month without rows is covered",
			[]Levering{{Bron: "jgz", Path: "jgz/jgz_2025-02.csv"}, rows("jgz", "jgz/jgz_2025-01.csv", "2025-01-03", "2025-01-30")}, nil,
			Bron{Van: "2025-01", Tot: "2025-02", Ontbreekt: []string{}, Bepaald: ViaBestandsnaam}},
		{"title, sheet and rows",
			[]Levering{{Bron: "jgz", Path: "jgz/x.xlsx", Titles: []string{"JGZ Twente", "Periode: januari t/m maart 2025"}},
				{Bron: "jgz", Path: "jgz/y.xlsx", Sheet: "Signalen juni 2025"},
				rows("jgz", "jgz/z.csv", "2024-11-01", "2024-11-30")}, nil,
			Bron{Van: "2024-11", Tot: "2025-06", Ontbreekt: []string{"2024-12", "2025-04", "2025-05"}, Bepaald: "rijen+titel+werkblad"}},
		{"a declared period ends at the run month",
			[]Levering{rows("jgz", "jgz/schooljaar 2024-2025.csv", "2024-08-20", "2025-07-01")}, nil,
			Bron{Van: "2024-08", Tot: "2025-07", Ontbreekt: []string{}, Bepaald: ViaBestandsnaam}},
		{"rows outside the declared period are counted",
			[]Levering{rows("jgz", "jgz/jgz_2025-01_2025-03.csv", "2024-12-30", "2025-03-30")}, nil,
			Bron{Van: "2025-01", Tot: "2025-03", Ontbreekt: []string{}, Bepaald: ViaBestandsnaam, Buiten: 1}},
		{"the config wins",
			[]Levering{rows("jgz", "jgz/a.csv", "2025-01-03", "2025-03-30")},
			map[string]Setting{"jgz": {Van: "2024-01", Tot: "2024-06", Ontbreekt: []string{"2024-03"}}},
			Bron{Van: "2024-01", Tot: "2024-06", Ontbreekt: []string{"2024-03"}, Bepaald: ViaConfig}},
		{"config without tot runs to the run month",
			nil, map[string]Setting{"jgz": {Van: "2025-05"}},
			Bron{Van: "2025-05", Tot: "2025-07", Ontbreekt: []string{}, Bepaald: ViaConfig}},
		{"no delivery", []Levering{rows("halt", "halt/a.csv", "2025-01-03", "2025-03-30"), {Bron: "jgz", Path: "jgz/leeg.csv"}}, nil,
			Bron{Ontbreekt: []string{}, Bepaald: GeenLevering}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := New([]string{"halt", "jgz"}, tt.leveringen, tt.settings, today)
			if err != nil {
				t.Fatal(err)
			}
			got := *d.Bron("jgz")
			tt.want.Bron = "jgz"
			if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreUnexported(Bron{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			// Covers agrees with the summary, and so does the coverage
			// restored from it (as a later analyst command does).
			restored := Restore(map[string]*Bron{"jgz": &got})
			for m := maand(2024, 1); m <= maand(2025, 12); m++ {
				in := got.Van != "" && m.String() >= got.Van && m.String() <= got.Tot
				for _, o := range got.Ontbreekt {
					in = in && o != m.String()
				}
				start := time.Date(int(m)/12, time.Month(int(m)%12+1), 1, 0, 0, 0, 0, time.UTC)
				if d.Covers("jgz", start) != in || restored.Covers("jgz", start) != in {
					t.Errorf("Covers(jgz, %s) = %v, restored %v, want %v", m, d.Covers("jgz", start), restored.Covers("jgz", start), in)
				}
			}
		})
	}
}

func TestCheck(t *testing.T) {
	known := []string{"halt-verwijzingen", "jgz-signalen"}
	if err := Check(map[string]Setting{"jgz-signalen": {Van: "2024-01", Tot: "2025-09", Ontbreekt: []string{"2024-07"}}}, known); err != nil {
		t.Errorf("a valid setting: %v", err)
	}
	for name, s := range map[string]map[string]Setting{
		"unknown source":      {"jgz": {Van: "2024-01"}},
		"no van":              {"jgz-signalen": {Tot: "2024-01"}},
		"bad month":           {"jgz-signalen": {Van: "2024-1"}},
		"tot before van":      {"jgz-signalen": {Van: "2024-05", Tot: "2024-01"}},
		"ontbreekt outside":   {"jgz-signalen": {Van: "2024-01", Tot: "2024-06", Ontbreekt: []string{"2024-07"}}},
		"ontbreekt not month": {"jgz-signalen": {Van: "2024-01", Ontbreekt: []string{"juli"}}},
	} {
		if err := Check(s, known); !errors.Is(err, ErrSetting) {
			t.Errorf("%s: Check = %v, want ErrSetting", name, err)
		}
	}
}
