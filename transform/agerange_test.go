package transform

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/ivz-twente/jeugd/internal/quarantine"
	"github.com/ivz-twente/jeugd/schemas"
)

// Each source's plausible age range is checked at the event date: Halt
// 12-17, JGZ 0-17, leerplicht 5-22 (RMC 18-22 as leeftijdsklasse 18-22),
// police and OM without a range. An age outside it is quarantined with
// KindAgeRange, naming the column but not the value.
func TestAgeRangePerSource(t *testing.T) {
	tests := []struct {
		src    string
		age    int
		klasse string // "" means quarantined with KindAgeRange
	}{
		{"halt-verwijzingen", 11, ""},
		{"halt-verwijzingen", 12, "12-14"},
		{"halt-verwijzingen", 17, "15-17"},
		{"halt-verwijzingen", 18, ""},
		{"halt-verwijzingen", 30, ""},
		{"jgz-signalen", 0, "0-11"},
		{"jgz-signalen", 17, "15-17"},
		{"jgz-signalen", 18, ""},
		{"jgz-signalen", 21, ""},
		{"leerplicht-verzuim", 4, ""},
		{"leerplicht-verzuim", 5, "0-11"},
		{"leerplicht-verzuim", 17, "15-17"},
		{"leerplicht-verzuim", 18, "18-22"}, // RMC
		{"leerplicht-verzuim", 22, "18-22"},
		{"leerplicht-verzuim", 23, ""},
		{"politie-verdachten", 8, "0-11"},
		{"politie-verdachten", 45, "23+"},
		{"om-zaken", 70, "23+"},
		{"politie-slachtoffers", 2, "0-11"},
	}
	srcs := sources(t)
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d", tt.src, tt.age), func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
			defer mem.AssertSize(t, 0)
			q := &quarantine.Sink{}
			tr, err := New(Options{Key: testKey, Locator: &fakeLocator{}, Classificatie: schemas.Builtin().Classificatie, Quarantine: q, Mem: mem})
			if err != nil {
				t.Fatal(err)
			}
			src := srcs[tt.src]
			r := row{src.Datum: "2024-06-15", "geboortedatum": fmt.Sprintf("%04d-06-14", 2024-tt.age), "bsn": bsnA, "woon_gemeente": "Borne"}
			switch tt.src {
			case "politie-verdachten", "politie-slachtoffers":
				r["registratienummer"] = "PL0600-1"
			case "om-zaken":
				r["parketnummer"] = "05/1"
			case "leerplicht-verzuim":
				r["verzuimsoort"] = "RMC"
			case "jgz-signalen":
				r["signaaltype"] = "Opvoeding"
			}
			in := rawBatch(t, mem, src, []row{r})
			defer in.Release()
			out, err := tr.Stage(src, "f.csv", "").Apply(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			defer out.Release()
			rows := q.Errors()
			if tt.klasse == "" {
				if out.NumRows() != 0 || len(rows) != 1 || rows[0].Kind != quarantine.KindAgeRange || rows[0].Column != "geboortedatum" {
					t.Fatalf("age %d: %d events, quarantine %v; want one KindAgeRange row", tt.age, out.NumRows(), rows)
				}
				msg := rows[0].Error()
				if strings.Contains(msg, fmt.Sprint(tt.age)) || strings.Contains(msg, "2024") || strings.Contains(msg, bsnA) {
					t.Errorf("quarantine reason %q holds a value", msg)
				}
				return
			}
			if out.NumRows() != 1 || len(rows) != 0 {
				t.Fatalf("age %d: %d events, quarantine %v; want one event", tt.age, out.NumRows(), rows)
			}
			got := out.Column(EventSchema.FieldIndices(ColLeeftijdsklasse)[0]).(*array.String).Value(0)
			if got != tt.klasse {
				t.Errorf("age %d: leeftijdsklasse %q; want %q", tt.age, got, tt.klasse)
			}
		})
	}
}

func TestLeeftijdsklassenHas18to22(t *testing.T) {
	for _, k := range Leeftijdsklassen {
		if k == "18-22" {
			return
		}
	}
	t.Errorf("Leeftijdsklassen %v lack 18-22, the RMC class of leerplicht", Leeftijdsklassen)
}
