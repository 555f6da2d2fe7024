package transform

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func writeKey(t *testing.T, content []byte, mode os.FileMode) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(name, content, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(name, mode); err != nil { // WriteFile is subject to umask
		t.Fatal(err)
	}
	return name
}

func TestLoadKey(t *testing.T) {
	raw := []byte("0123456789abcdef0123456789ABCDEF-+") // 34 bytes of text, not hex or base64
	bin := make([]byte, 32)
	for i := range bin {
		bin[i] = byte(i * 7) // includes bytes that are white space
	}
	bin[31] = '\n'
	hex32 := []byte(hex.EncodeToString(bin) + "\n")
	b64 := []byte("  " + base64.StdEncoding.EncodeToString(bin) + "\r\n")
	tests := []struct {
		name    string
		content []byte
		mode    os.FileMode
		want    []byte
		wantErr error
	}{
		{"hex", hex32, 0o600, bin, nil},
		{"base64", b64, 0o400, bin, nil},
		{"binary", bin, 0o600, bin, nil},
		{"text", append(raw, '\n'), 0o600, raw, nil},
		{"short hex", []byte(strings.Repeat("ab", 31)), 0o600, nil, ErrShortKey},
		{"short text", []byte("geheim"), 0o600, nil, ErrShortKey},
		{"empty", nil, 0o600, nil, ErrNoKey},
		{"group readable", hex32, 0o640, nil, ErrKeyPermissions},
		{"world readable", hex32, 0o604, nil, ErrKeyPermissions},
		{"group writable", hex32, 0o620, nil, ErrKeyPermissions},
		{"world executable", hex32, 0o601, nil, ErrKeyPermissions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := writeKey(t, tt.content, tt.mode)
			got, err := LoadKey(name, func(string) string { return "" })
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("LoadKey = %v; want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("LoadKey (-want +got):\n%s", diff)
			}
			if err != nil && len(tt.content) > 0 && strings.Contains(err.Error(), strings.TrimSpace(string(tt.content))) {
				t.Errorf("error %q contains the key", err)
			}
		})
	}
}

func TestLoadKeyPermissionMessage(t *testing.T) {
	name := writeKey(t, []byte(strings.Repeat("ab", 32)), 0o644)
	_, err := LoadKey(name, nil)
	// The problem first, then the fix.
	want := "key file " + name + " is readable or writable by group or others (mode 0644); make it owner-only: chmod 600 " + name
	if !errors.Is(err, ErrKeyPermissions) || err.Error() != want {
		t.Errorf("LoadKey = %v;\nwant ErrKeyPermissions saying %q", err, want)
	}
}

func TestLoadKeyEnv(t *testing.T) {
	key := strings.Repeat("5a", 32)
	env := func(name string) string {
		if name == KeyEnv {
			return key
		}
		return ""
	}
	got, err := LoadKey("", env)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := hex.DecodeString(key); !cmp.Equal(got, want) {
		t.Errorf("LoadKey from env = %x; want %x", got, want)
	}
	if _, err := LoadKey("", func(string) string { return "" }); !errors.Is(err, ErrNoKey) {
		t.Errorf("LoadKey without key = %v; want ErrNoKey", err)
	}
	if _, err := LoadKey("", func(string) string { return "kort" }); !errors.Is(err, ErrShortKey) {
		t.Errorf("LoadKey with short key = %v; want ErrShortKey", err)
	}
	if _, err := LoadKey(filepath.Join(t.TempDir(), "absent"), env); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadKey(absent file) = %v; want fs.ErrNotExist (a file given wins over the env)", err)
	}
}

func TestGenerateKey(t *testing.T) {
	name := filepath.Join(t.TempDir(), "jeugd.key")
	if err := GenerateKey(name); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %04o; want 0600", fi.Mode().Perm())
	}
	data, _ := os.ReadFile(name)
	if len(data) != 65 || data[64] != '\n' || !isHex(data[:64]) {
		t.Errorf("key file is %d bytes; want 64 hex characters and a newline", len(data))
	}
	k, err := LoadKey(name, nil)
	if err != nil || len(k) != 32 {
		t.Errorf("LoadKey(generated) = %d bytes, %v; want 32 bytes", len(k), err)
	}
	if err := GenerateKey(name); !errors.Is(err, fs.ErrExist) {
		t.Errorf("GenerateKey over an existing file = %v; want fs.ErrExist", err)
	}
	again, _ := os.ReadFile(name)
	if string(again) != string(data) {
		t.Error("GenerateKey changed an existing key file")
	}
	other := filepath.Join(t.TempDir(), "other.key")
	if err := GenerateKey(other); err != nil {
		t.Fatal(err)
	}
	if k2, _ := LoadKey(other, nil); cmp.Equal(k, k2) {
		t.Error("two generated keys are equal")
	}
}

func TestRotateKey(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "jeugd.key")
	if err := GenerateKey(name); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(name)
	oldKey, _ := LoadKey(name, nil)
	day := time.Date(2025, 3, 7, 14, 5, 9, 0, time.UTC)

	old, err := RotateKey(name, day)
	if err != nil {
		t.Fatal(err)
	}
	if want := name + ".2025-03-07.old"; old != want {
		t.Errorf("old key kept as %s; want %s", old, want)
	}
	kept, _ := os.ReadFile(old)
	if string(kept) != string(before) {
		t.Error("the kept old key differs from the key before rotation")
	}
	newKey, err := LoadKey(name, nil)
	if err != nil {
		t.Fatalf("LoadKey after rotation: %v", err)
	}
	if cmp.Equal(newKey, oldKey) {
		t.Error("rotation kept the same key")
	}
	if p1, p2 := newPseudonymiser(oldKey), newPseudonymiser(newKey); pseudonymOf(p1) == pseudonymOf(p2) {
		t.Error("the same BSN gets the same pseudonym under the old and the new key")
	}
	for _, f := range []string{name, old} {
		if fi, err := os.Stat(f); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, %v; want 0600", filepath.Base(f), fi.Mode().Perm(), err)
		}
	}
	if _, err := LoadKey(old, nil); err != nil {
		t.Errorf("the old key cannot be loaded for a roll back: %v", err)
	}

	// A second rotation on the same day keeps both old keys.
	old2, err := RotateKey(name, day.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if old2 == old {
		t.Fatalf("second rotation overwrote %s", old)
	}
	if again, _ := os.ReadFile(old); string(again) != string(before) {
		t.Error("second rotation changed the first old key")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %q; want the key and two old keys, no temporary files", names)
	}

	if _, err := RotateKey(filepath.Join(dir, "absent.key"), day); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("RotateKey(absent) = %v; want fs.ErrNotExist", err)
	}
}

// pseudonymOf pseudonymises one fixed BSN.
func pseudonymOf(p *pseudonymiser) string {
	dst := make([]byte, PseudonymLen)
	p.persoon(dst, "123456782", "", "", 0, false)
	return string(dst)
}
