package attacker

import (
	"strings"
	"testing"
)

func TestReadCSV(t *testing.T) {
	const header = "indicator,gebiedsniveau,gebiedscode,gebiedsnaam,gemeentecode,periodetype,periode,uitsplitsing,klasse,waarde,onderdrukt,geen_gegevens\n"
	for _, tc := range []struct {
		name, in string
		want     []Row
		err      string
	}{
		{"published, withheld and geen gegevens", header +
			"jeugdoverlast,gemeente,GM0147,Borne,GM0147,jaar,2024,totaal,totaal,12,false,false\n" +
			"jeugdoverlast,buurt,BU01470001,Centrum,GM0147,jaar,2024,totaal,totaal,,true,false\n" +
			"jeugdoverlast,gemeente,GM0147,Borne,GM0147,maand,2024-03,totaal,totaal,,false,true\n",
			[]Row{
				{Indicator: "jeugdoverlast", Niveau: "gemeente", Code: "GM0147", Periodetype: "jaar", Periode: "2024", Uitsplitsing: "totaal", Klasse: "totaal", Waarde: 12},
				{Indicator: "jeugdoverlast", Niveau: "buurt", Code: "BU01470001", Periodetype: "jaar", Periode: "2024", Uitsplitsing: "totaal", Klasse: "totaal", Withheld: true},
			}, ""},
		{"semicolons and a byte order mark, no geen_gegevens column", "\ufeff" + strings.ReplaceAll(strings.TrimSuffix(header, ",geen_gegevens\n"), ",", ";") + "\n" +
			"feiten;regio;RG14;Twente;;jaar;2024;totaal;totaal;7;false\n",
			[]Row{{Indicator: "feiten", Niveau: "regio", Code: "RG14", Periodetype: "jaar", Periode: "2024", Uitsplitsing: "totaal", Klasse: "totaal", Waarde: 7}}, ""},
		{"a published cell without a number", header + "feiten,regio,RG14,Twente,,jaar,2024,totaal,totaal,,false,false\n", nil, "waarde of feiten|regio|RG14"},
		{"a column missing", "indicator,waarde\nfeiten,1\n", nil, `column "gebiedsniveau" missing`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadCSV(strings.NewReader(tc.in))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("%d rows, want %d: %+v", len(got), len(tc.want), got)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("row %d: %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}
