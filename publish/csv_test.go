package publish

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/ivz-twente/jeugd/aggregate"
)

// TestCSVRoundTrip writes arbitrary cells, reads them back with
// encoding/csv and expects the neutralised texts, the value of every
// published cell and an empty waarde for every suppressed one, and in the
// dashboard layout for every cell without figures.
func TestCSVRoundTrip(t *testing.T) {
	text := rapid.StringOf(rapid.SampledFrom([]rune("aZ09 ,;\"'\n\r\t=+-@é€")))
	rapid.Check(t, func(t *rapid.T) {
		cells := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) aggregate.Cell {
			return aggregate.Cell{
				Indicator: text.Draw(t, "indicator"), Gebiedsniveau: text.Draw(t, "niveau"),
				Gebiedscode: text.Draw(t, "code"), Gebiedsnaam: text.Draw(t, "naam"),
				Gemeentecode: rapid.SampledFrom([]string{"GM0147", "GM1742", ""}).Draw(t, "gm"),
				Periodetype:  text.Draw(t, "periodetype"), Periode: text.Draw(t, "periode"),
				Uitsplitsing: text.Draw(t, "uitsplitsing"), Klasse: text.Draw(t, "klasse"),
				Waarde: rapid.Int64().Draw(t, "waarde"), Onderdrukt: rapid.Bool().Draw(t, "onderdrukt"),
				GeenGegevens: rapid.Bool().Draw(t, "geen_gegevens"),
			}
		}), 0, 20).Draw(t, "cells")
		gm := rapid.SampledFrom([]string{"", "GM0147"}).Draw(t, "filter")
		comma := rapid.SampledFrom([]rune{',', ';'}).Draw(t, "comma")

		var buf bytes.Buffer
		if err := writeCSV(&buf, cells, gm, comma); err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(&buf)
		r.Comma = comma
		got, err := r.ReadAll()
		if err != nil {
			t.Fatalf("reading back: %v", err)
		}
		want := [][]string{DashboardColumns}
		for _, c := range cells {
			if gm != "" && c.Gemeentecode != gm {
				continue
			}
			waarde, onderdrukt := strconv.FormatInt(c.Waarde, 10), "false"
			if c.Onderdrukt {
				waarde, onderdrukt = "", "true"
			}
			row := []string{Neutralise(c.Indicator), Neutralise(c.Gebiedsniveau), Neutralise(c.Gebiedscode),
				Neutralise(c.Gebiedsnaam), c.Gemeentecode, Neutralise(c.Periodetype), Neutralise(c.Periode),
				Neutralise(c.Uitsplitsing), Neutralise(c.Klasse), waarde, onderdrukt}
			if c.GeenGegevens { // no waarde for such a cell
				row[9] = ""
			}
			row = append(row, strconv.FormatBool(c.GeenGegevens))
			want = append(want, row)
		}
		// encoding/csv reads \r\n inside a quoted field as \n.
		for _, row := range want {
			for i, f := range row {
				row[i] = string(bytes.ReplaceAll([]byte(f), []byte("\r\n"), []byte("\n")))
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("read back (-want +got):\n%s", diff)
		}
	})
}

func FuzzNeutralise(f *testing.F) {
	for _, s := range []string{"", "=1", "Borne", "\t", "'=1", "-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Neutralise(s)
		if got != s && got != "'"+s {
			t.Fatalf("Neutralise(%q) = %q: neither unchanged nor quoted", s, got)
		}
		if got != "" {
			switch got[0] {
			case '=', '+', '-', '@', '\t', '\r':
				t.Fatalf("Neutralise(%q) = %q still starts with %q", s, got, got[0])
			}
		}
	})
}
