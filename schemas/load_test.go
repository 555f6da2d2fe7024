package schemas

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestBuiltinLoads(t *testing.T) {
	s, err := Load(builtin)
	if err != nil {
		t.Fatalf("Load(builtin) = %v", err)
	}
	want := []string{"halt-verwijzingen", "jgz-signalen", "leerplicht-verzuim", "om-zaken", "politie-incidenten", "politie-slachtoffers", "politie-verdachten"}
	got := s.Names()
	if len(got) != len(want) {
		t.Fatalf("Names() = %v; want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Names()[%d] = %q; want %q", i, got[i], want[i])
		}
	}
}

func TestLeeftijdValidation(t *testing.T) {
	src, err := builtin.ReadFile("jgz-signalen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cls, err := builtin.ReadFile(ClassificatieFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ leeftijd, want string }{
		{"leeftijd:\n  min: 18\n  max: 12\n  doc: x\n", "leeftijd 18-12 is not a range"},
		{"leeftijd:\n  min: 0\n  max: 130\n  doc: x\n", "leeftijd 0-130 is not a range"},
		{"leeftijd:\n  min: 0\n  max: 17\n", "leeftijd needs a doc"},
	} {
		bad := strings.Replace(string(src), "leeftijd:", "oud_leeftijd:", 1)
		bad = strings.Replace(bad, "fields:\n", tt.leeftijd+"fields:\n", 1)
		bad = removeBlock(bad, "oud_leeftijd:")
		_, err := Load(fstest.MapFS{"jgz-signalen.yaml": {Data: []byte(bad)}, ClassificatieFile: {Data: cls}})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Load(%q) = %v; want an error containing %q", tt.leeftijd, err, tt.want)
		}
	}
}

// removeBlock drops the top-level YAML key and its indented lines.
func removeBlock(s, key string) string {
	var out []string
	skip := false
	for _, line := range strings.Split(s, "\n") {
		switch {
		case strings.HasPrefix(line, key):
			skip = true
			continue
		case skip && strings.HasPrefix(line, " "):
			continue
		}
		skip = false
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}
