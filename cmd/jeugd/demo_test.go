package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// twenteData is the real CBS reference extract for Twente beside the
// repository (see its PROVENANCE.md).
const twenteData = "../../../shared/data"

// TestDemoTwente runs the demo on the real Twente reference and checks what
// a pilot gemeente receives: the CSV for a Dutch spreadsheet, no sheet
// wider than 60 columns, the headline figures beside Twente's, the report
// in the gemeente's folder, and a warning for Rijssen-Holten, whose buurt
// codes in the extract are of 2019, that Borne (2024) does not get.
func TestDemoTwente(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole pipeline")
	}
	if _, err := os.Stat(filepath.Join(twenteData, "buurten_twente.geojson")); err != nil {
		t.Skipf("CBS reference data for Twente not available at %s", twenteData)
	}
	dir := t.TempDir()
	if _, stderr, code := runCLI(t, nil, "demo", "--dir", dir, "--reference", twenteData, "--regio-naam", "Twente",
		"--rows", "8000", "--log-level", "error"); code != exitOK {
		t.Fatalf("demo: exit %d\n%s", code, stderr)
	}
	gemeenten := filepath.Join(dir, "out", "latest", "gemeenten")
	for gm, warned := range map[string]bool{"GM0147": false, "GM1742": true} {
		t.Run(gm, func(t *testing.T) {
			csv, err := os.ReadFile(filepath.Join(gemeenten, gm, "indicatoren.csv"))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(csv, []byte("\xef\xbb\xbfindicator;gebiedsniveau;")) {
				t.Errorf("CSV starts %q; want a BOM and semicolons", csv[:min(len(csv), 30)])
			}
			f, err := excelize.OpenFile(filepath.Join(gemeenten, gm, "indicatoren.xlsx"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			for _, sheet := range f.GetSheetList() {
				rows, err := f.GetRows(sheet)
				if err != nil {
					t.Fatal(err)
				}
				for i, r := range rows {
					if len(r) > 60 {
						t.Errorf("%s row %d: %d columns", sheet, i+1, len(r))
						break
					}
				}
			}
			rows, err := f.GetRows("Samenvatting")
			if err != nil {
				t.Fatal(err)
			}
			var summary []string
			for _, r := range rows {
				summary = append(summary, strings.Join(r, "|"))
			}
			text := strings.Join(summary, "\n")
			if !strings.Contains(text, "Twente 2025") && !strings.Contains(text, "Twente 2024") {
				t.Errorf("Samenvatting has no Twente comparison:\n%s", text)
			}
			if got := strings.Contains(text, "Let op|") && strings.Contains(text, "CBS-indeling 2019"); got != warned {
				t.Errorf("Samenvatting warns about old buurt codes: %v, want %v", got, warned)
			}
			html, err := os.ReadFile(filepath.Join(gemeenten, gm, "report-"+gm+".html"))
			if err != nil {
				t.Fatal(err)
			}
			if got := bytes.Contains(html, []byte("CBS-indeling 2019")); got != warned {
				t.Errorf("report warns about old buurt codes: %v, want %v", got, warned)
			}
		})
	}
}
