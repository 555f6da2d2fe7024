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
	if !errors.Is(err, ErrKeyPermissions) || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("LoadKey = %v; want ErrKeyPermissions telling chmod 600", err)
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
