package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ivz-twente/jeugd/internal/pipeline"
)

// A month without a delivery from one source is "geen gegevens" for that
// source's indicators, and a covered month without rows is a true 0: in the
// dashboard table, in jeugd aggregate (also with a stricter k) and in
// bronnen.csv. First as the deliveries declare their periods in their file
// names, then as the config's dekking setting says.
func TestRunGeenGegevens(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole pipeline")
	}
	d := newDomainInbox(t, 2000, "jgz-signalen")
	pc, hn := d.address(t)
	gm := d.gemeenteOf(t, pc, hn)
	now := time.Now()
	month := func(back int) time.Time {
		return time.Date(now.Year(), now.Month()-time.Month(back), 1, 0, 0, 0, 0, time.UTC)
	}
	ym := func(back int) string { return month(back).Format("2006-01") }
	jgz := func(name string, perMonth map[int]int) {
		lines := []string{"Achternaam;Geboortedatum;Postcode;Huisnummer;Signaaldatum;Signaaltype"}
		for back, n := range perMonth {
			for i := range n {
				day := month(back).AddDate(0, 0, 3+i)
				lines = append(lines, fmt.Sprintf("Kind%d%d;%s;%s;%s;%s;Opvoedingsproblemen", back, i, dmy(day.AddDate(-9, 0, 0)), pc, hn, dmy(day)))
			}
		}
		d.add(t, "jgz-signalen/"+name, lines...)
	}
	// Months 6..4 and 2..1 back are delivered; 3 back is not. Month 2 back
	// is delivered without a signal: a true zero.
	jgz("jgz_signalen_"+ym(6)+"_"+ym(4)+".csv", map[int]int{6: 6, 5: 6, 4: 6})
	jgz("jgz_signalen_"+ym(2)+"_"+ym(1)+".csv", map[int]int{1: 7})

	code, stderr, m := d.run(t)
	if code != exitOK {
		t.Fatalf("jeugd run: exit %d\n%s", code, lastLines(stderr, 10))
	}
	dk := m.Bronnen["jgz-signalen"].Dekking
	if dk == nil || dk.Van != ym(6) || dk.Tot != ym(1) || strings.Join(dk.Ontbreekt, " ") != ym(3) || dk.Bepaald != "bestandsnaam" {
		t.Fatalf("manifest dekking of jgz-signalen: %+v, want %s..%s without %s, by bestandsnaam", dk, ym(6), ym(1), ym(3))
	}
	d.checkMonths(t, gm, map[string]string{ym(3): "geen gegevens", ym(2): "0", ym(4): "6"})
	d.checkBronnen(t, "jgz-signalen", ym(6), ym(1), ym(3), "bestandsnaam")

	// The config says month 4 back had no delivery and month 3 back had
	// one (without a signal), whatever the file names say.
	cfg := filepath.Join(d.base, "config.yaml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf("dekking:\n  jgz-signalen:\n    van: %s\n    tot: %s\n    ontbreekt: [%s]\n", ym(6), ym(1), ym(4))), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, stderr, _ := d.run(t, "--config", cfg); code != exitOK {
		t.Fatalf("jeugd run --config: exit %d\n%s", code, lastLines(stderr, 10))
	}
	d.checkMonths(t, gm, map[string]string{ym(4): "geen gegevens", ym(3): "0", ym(2): "0"})
	d.checkBronnen(t, "jgz-signalen", ym(6), ym(1), ym(4), "config")
}

// gemeenteOf is the GM code of an address of the region.
func (d *domainInbox) gemeenteOf(t *testing.T, pc, hn string) string {
	t.Helper()
	gm := ""
	d.region.Adressen(func(p string, n int, buurt string) bool {
		if p == pc && fmt.Sprint(n) == hn {
			gm = "GM" + buurt[2:6]
		}
		return gm == ""
	})
	return gm
}

// checkMonths checks the jgz_signalen cells of gemeente gm per month, in
// the dashboard table and in the answers of jeugd aggregate (as published
// and under a stricter k): "geen gegevens", or the value.
func (d *domainInbox) checkMonths(t *testing.T, gm string, want map[string]string) {
	t.Helper()
	sources := map[string][][]string{"indicatoren.csv": readCSVFile(t, filepath.Join(d.out, pipeline.LatestLink, "dashboard", "indicatoren.csv"))}
	for name, extra := range map[string][]string{"aggregate": nil, "aggregate --min-count 6": {"--min-count", "6", "--state", d.state}} {
		args := append([]string{"aggregate", "jgz_signalen", "--per", "gemeente", "--periode", "maand", "--format", "csv", "--out", d.out}, extra...)
		stdout, stderr, code := runCLI(t, nil, args...)
		if code != exitOK {
			t.Fatalf("jeugd %s: exit %d: %s", strings.Join(args, " "), code, stderr)
		}
		rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		sources[name] = rows
	}
	for name, rows := range sources {
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		got := map[string]string{}
		for _, r := range rows[1:] {
			if r[col["indicator"]] != "jgz_signalen" || r[col["gebiedscode"]] != gm || r[col["periodetype"]] != "maand" || r[col["uitsplitsing"]] != "totaal" {
				continue
			}
			v := r[col["waarde"]]
			switch {
			case r[col["geen_gegevens"]] == "true" && v == "" && r[col["onderdrukt"]] == "false":
				v = "geen gegevens"
			case r[col["geen_gegevens"]] != "false":
				v = "invalid: " + strings.Join(r, ",")
			case r[col["onderdrukt"]] == "true":
				v = "onderdrukt"
			}
			got[r[col["periode"]]] = v
		}
		for month, w := range want {
			if got[month] != w {
				t.Errorf("%s: jgz_signalen %s %s = %q, want %q", name, gm, month, got[month], w)
			}
		}
	}
}

// checkBronnen checks the row of bron in the published bronnen.csv.
func (d *domainInbox) checkBronnen(t *testing.T, bron, van, tot, ontbreekt, bepaald string) {
	t.Helper()
	rows := readCSVFile(t, filepath.Join(d.out, pipeline.LatestLink, "dashboard", "bronnen.csv"))
	for _, r := range rows[1:] {
		if r[0] == bron {
			if got := strings.Join(r[1:5], ","); got != strings.Join([]string{van, tot, ontbreekt, bepaald}, ",") {
				t.Errorf("bronnen.csv %s: %q, want %s..%s without %s, by %s", bron, got, van, tot, ontbreekt, bepaald)
			}
			return
		}
	}
	t.Errorf("bronnen.csv has no row for %s", bron)
}

func readCSVFile(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}
