package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ivz-twente/jeugd/internal/demo"
	"github.com/ivz-twente/jeugd/internal/pipeline"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

// domainInbox is a clean demo inbox in the fictional region, to which a
// test adds its own exports; the sources in without get none of the
// demo's.
type domainInbox struct {
	base, ref, inbox, out, state, key string
	region                            *geocode.Reference
}

func newDomainInbox(t *testing.T, rows int, without ...string) *domainInbox {
	t.Helper()
	base := t.TempDir()
	d := &domainInbox{base: base, ref: filepath.Join(base, "referentie"), inbox: filepath.Join(base, "inbox"),
		out: filepath.Join(base, "out"), state: filepath.Join(base, "state")}
	region, err := demo.Region(d.ref, 3)
	if err != nil {
		t.Fatal(err)
	}
	d.region = region
	if _, err := demo.WriteInbox(d.inbox, region, demo.InboxOptions{Seed: 3, Rows: rows, Today: time.Now()}); err != nil {
		t.Fatal(err)
	}
	for _, src := range without {
		dir := filepath.Join(d.inbox, src)
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	d.key = hostileKey(t, base)
	return d
}

// add writes an export of lines (joined with newlines) to the inbox.
func (d *domainInbox) add(t *testing.T, rel string, lines ...string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(d.inbox, filepath.FromSlash(rel)), []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// run runs `jeugd run` on the inbox and returns the exit code, stderr and,
// when it published, the manifest.
func (d *domainInbox) run(t *testing.T, extra ...string) (int, string, *pipeline.Manifest) {
	t.Helper()
	args := append([]string{"run", "--inbox", d.inbox, "--reference", d.ref, "--out", d.out, "--state", d.state,
		"--key-file", d.key, "--log-format", "json"}, extra...)
	_, stderr, code := runCLI(t, nil, args...)
	if code != exitOK {
		return code, stderr, nil
	}
	return code, stderr, readManifest(t, d.out)
}

// quarantined returns the lines of the published quarantine report that
// name file.
func (d *domainInbox) quarantined(t *testing.T, file string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(d.out, pipeline.LatestLink, "kwaliteit", "quarantaine.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, file) {
			lines = append(lines, l)
		}
	}
	return lines
}

// address is an address of the postcode table of the region.
func (d *domainInbox) address(t *testing.T) (pc, hn string) {
	t.Helper()
	d.region.Adressen(func(p string, n int, _ string) bool {
		pc, hn = p, fmt.Sprint(n)
		return false
	})
	if pc == "" {
		t.Fatal("the region has no postcode table")
	}
	return pc, hn
}

func dmy(t time.Time) string { return t.Format("02-01-2006") }

// A politie-slachtoffers export with organisation victims (a soort column,
// a rechtspersoon ja/nee column, rows without person data) and a
// leerplicht export with DUO's verzuim kinds, RMC and unknown codes publish
// without those rows in quarantine, and the manifest counts them.
func TestRunOrganisationVictimsAndVerzuimKinds(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole pipeline")
	}
	d := newDomainInbox(t, 2000, "politie-slachtoffers", "leerplicht-verzuim")
	pc, hn := d.address(t)
	day := time.Now().AddDate(0, -3, 0)
	kind := dmy(day.AddDate(-14, 0, 0))
	d.add(t, "politie-slachtoffers/bvh_slachtoffers_soort.csv",
		"Registratienummer;Soort slachtoffer;Achternaam;Geboortedatum;Geslacht;Postcode;Huisnummer;Pleegdatum",
		"PL0600-2025900001;Rechtspersoon;Supermarkt De Hoek BV;;;"+pc+";"+hn+";"+dmy(day),
		"PL0600-2025900002;Bedrijf;Bouwbedrijf Oost;;;;;"+dmy(day),
		"PL0600-2025900003;Gemeente;Gemeente Oost;;;;;"+dmy(day),
		"PL0600-2025900004;Natuurlijk persoon;Jansen;"+kind+";M;"+pc+";"+hn+";"+dmy(day),
		"PL0600-2025900005;;;;;;;"+dmy(day), // no person data at all
	)
	d.add(t, "politie-slachtoffers/bvh_slachtoffers_rp.csv",
		"Registratienummer,Rechtspersoon,Achternaam,Geboortedatum,Postcode,Huisnummer,Pleegdatum",
		"PL0600-2025900006,ja,Sporthal De Bult,,,,"+dmy(day),
		"PL0600-2025900007,nee,de Vries,"+kind+","+pc+","+hn+","+dmy(day),
	)
	kinds := []string{"16 uur in 4 weken", "Langdurig relatief verzuim", "LRV", "Overig verzuim", "Te laat komen",
		"Thuiszitter", "Zorgwekkend ziekteverzuim", "Luxe verzuim", "Absoluut verzuim", "V17", "V17", "Ziek gemeld via de app"}
	lines := []string{"Achternaam;Geboortedatum;Postcode;Huisnummer;Verzuimsoort;Meldingsdatum"}
	for i, k := range kinds {
		lines = append(lines, fmt.Sprintf("Leerling%d;%s;%s;%s;%s;%s", i, kind, pc, hn, k, dmy(day)))
	}
	rmc := dmy(day.AddDate(-19, 0, 0))
	lines = append(lines, fmt.Sprintf("Jongvolwassene;%s;%s;%s;RMC;%s", rmc, pc, hn, dmy(day)))
	d.add(t, "leerplicht-verzuim/duo_verzuim.csv", lines...)

	code, stderr, m := d.run(t)
	if code != exitOK {
		t.Fatalf("jeugd run: exit %d\n%s", code, lastLines(stderr, 20))
	}
	for _, f := range []string{"bvh_slachtoffers_soort.csv", "bvh_slachtoffers_rp.csv", "duo_verzuim.csv"} {
		if q := d.quarantined(t, f); len(q) > 0 {
			t.Errorf("%s: rows in quarantine: %q", f, q)
		}
	}
	sl := m.Bronnen["politie-slachtoffers"]
	if sl.Organisaties != 5 || sl.Events != sl.Accepted-sl.Organisaties {
		t.Errorf("politie-slachtoffers: organisaties %d (want 5), events %d, accepted %d", sl.Organisaties, sl.Events, sl.Accepted)
	}
	lp := m.Bronnen["leerplicht-verzuim"]
	if lp.OnbekendeCodes["V17"] != 2 || lp.OnbekendeCodes["(omschrijving)"] != 1 || len(lp.OnbekendeCodes) != 2 {
		t.Errorf("leerplicht-verzuim onbekende_codes %v, want V17: 2 and (omschrijving): 1", lp.OnbekendeCodes)
	}
	if strings.Contains(strings.ToLower(stderr), "ziek gemeld via de app") {
		t.Errorf("the log echoes a free-text verzuimsoort")
	}
}

// personSources are the sources located by home address.
var personSources = []string{"halt-verwijzingen", "jgz-signalen", "leerplicht-verzuim", "om-zaken",
	"politie-slachtoffers", "politie-verdachten"}

// A run on an inbox whose homes carry only postcode and house number fails
// with exit 3, naming every person source and its rate, when the reference
// has no postcode table (the fictional region without it, and the real
// Twente data); with the table the homes are placed in their buurt.
func TestRunPostcodeOnlyHomes(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole pipeline")
	}
	base := t.TempDir()
	withTable, noTable := filepath.Join(base, "met"), filepath.Join(base, "zonder")
	region, err := demo.Region(withTable, 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Region(noTable, 2); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(noTable, "pc6hnr.csv")); err != nil {
		t.Fatal(err)
	}
	key := hostileKey(t, base)
	runOn := func(t *testing.T, ref string, region *geocode.Reference) (int, string, string) {
		t.Helper()
		dir := t.TempDir()
		inbox := filepath.Join(dir, "inbox")
		if _, err := demo.WriteInbox(inbox, region, demo.InboxOptions{Seed: 2, Rows: 2000, Today: time.Now(), PostcodeOnly: true}); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "out")
		_, stderr, code := runCLI(t, nil, "run", "--inbox", inbox, "--reference", ref, "--out", out,
			"--state", filepath.Join(dir, "state"), "--key-file", key, "--log-format", "json")
		return code, stderr, out
	}

	t.Run("with postcode table", func(t *testing.T) {
		code, stderr, out := runOn(t, withTable, region)
		if code != exitOK {
			t.Fatalf("exit %d\n%s", code, lastLines(stderr, 10))
		}
		m := readManifest(t, out)
		for _, name := range personSources {
			br := m.Bronnen[name]
			if r := br.MatchRate["woon"]; r != 1 || len(br.Geocode["woon"]) != 1 || br.Geocode["woon"]["postcode_huisnummer"] == 0 {
				t.Errorf("%s: woon match rate %g by %v, want every home by postcode_huisnummer", name, r, br.Geocode["woon"])
			}
		}
	})
	t.Run("without postcode table", func(t *testing.T) {
		code, stderr, out := runOn(t, noTable, region)
		checkLowMatchRate(t, code, stderr, out)
	})
	t.Run("real Twente data", func(t *testing.T) {
		ref := filepath.Join("..", "..", "..", "shared", "data")
		twente, err := geocode.LoadReference(ref)
		if err != nil {
			t.Skipf("no Twente reference data at %s: %v", ref, err)
		}
		code, stderr, out := runOn(t, ref, twente)
		checkLowMatchRate(t, code, stderr, out)
	})
}

// checkLowMatchRate: exit 3, nothing published, and the last line names
// every person source with its woon rate.
func checkLowMatchRate(t *testing.T, code int, stderr, out string) {
	t.Helper()
	if code != exitQuality {
		t.Fatalf("exit %d, want %d\n%s", code, exitQuality, lastLines(stderr, 10))
	}
	msg := lastLines(stderr, 1)
	if !strings.Contains(msg, "geocode match rate below the minimum") {
		t.Errorf("message %q does not say the match rate is too low", msg)
	}
	for _, name := range personSources {
		if !strings.Contains(msg, name+" woon 0.0% in a buurt") {
			t.Errorf("message %q does not name %s and its rate", msg, name)
		}
	}
	if _, err := os.Stat(filepath.Join(out, pipeline.LatestLink)); err == nil {
		t.Errorf("a run below the minimum match rate published")
	}
}

func readManifest(t *testing.T, out string) *pipeline.Manifest {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, pipeline.LatestLink, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m pipeline.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return &m
}
