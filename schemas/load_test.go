package schemas

import "testing"

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
