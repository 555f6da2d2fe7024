package transform

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"time"
	"unicode/utf8"
)

// KeyEnv is the environment variable that holds the pseudonymisation key
// when no key file is given.
const KeyEnv = "JEUGD_KEY"

// MinKeyLen is the shortest accepted key in bytes (after decoding): the
// HMAC-SHA256 block of security a shorter key would not give.
const MinKeyLen = 32

// Key problems. Test them with errors.Is; the key itself is never in an error.
var (
	ErrNoKey          = errors.New("no pseudonymisation key: give --key-file FILE or set " + KeyEnv + " (create a key with: jeugd key generate FILE)")
	ErrShortKey       = fmt.Errorf("pseudonymisation key is shorter than %d bytes", MinKeyLen)
	ErrKeyPermissions = errors.New("key file is readable by group or others")
)

// KeyPermissionError refuses a key file that group or others may read or
// write. errors.Is(err, ErrKeyPermissions) holds for it.
type KeyPermissionError struct {
	File string
	Mode fs.FileMode
}

func (e *KeyPermissionError) Error() string {
	return fmt.Sprintf("key file %s is readable or writable by group or others (mode %04o); make it owner-only: chmod 600 %s",
		e.File, e.Mode.Perm(), e.File)
}

// Is makes errors.Is(err, ErrKeyPermissions) true.
func (e *KeyPermissionError) Is(target error) bool { return target == ErrKeyPermissions }

// LoadKey returns the pseudonymisation key from file, or when file is empty
// from the environment variable KeyEnv read through env (nil means
// os.Getenv). There is no default key: a missing key is ErrNoKey, a key
// shorter than MinKeyLen ErrShortKey. A key file must be readable by its
// owner only (ErrKeyPermissions). The content may be raw bytes, or hex or
// base64 text; surrounding white space of text is ignored and the length is
// counted after decoding.
func LoadKey(file string, env func(string) string) ([]byte, error) {
	if file == "" {
		if env == nil {
			env = os.Getenv
		}
		v := env(KeyEnv)
		if v == "" {
			return nil, ErrNoKey
		}
		return checkKey(decodeKey([]byte(v)))
	}
	fi, err := os.Stat(file)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	// Windows has no group/other mode bits; its ACLs are the admin's job.
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return nil, &KeyPermissionError{File: file, Mode: fi.Mode().Perm()}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("%s is empty: %w", file, ErrNoKey)
	}
	return checkKey(decodeKey(data))
}

func checkKey(k []byte) ([]byte, error) {
	if len(k) < MinKeyLen {
		return nil, ErrShortKey
	}
	return k, nil
}

// decodeKey decodes hex or base64 text when the whole trimmed content is
// such; other text is used trimmed, and binary content as it is (trimming
// random bytes would change the key).
func decodeKey(data []byte) []byte {
	t := bytes.TrimSpace(data)
	if len(t)%2 == 0 && isHex(t) {
		k := make([]byte, len(t)/2)
		if _, err := hex.Decode(k, t); err == nil {
			return k
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		k := make([]byte, enc.DecodedLen(len(t)))
		if n, err := enc.Decode(k, t); err == nil && len(t) > 0 {
			return k[:n]
		}
	}
	if utf8.Valid(data) {
		return t
	}
	return data
}

func isHex(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return len(b) > 0
}

// GenerateKey writes a new random key of MinKeyLen bytes to file as hex (64
// characters and a newline), readable by the owner only. It refuses to
// overwrite an existing file (errors.Is(err, fs.ErrExist)): replacing the key
// changes every pseudonym.
func GenerateKey(file string) error {
	k := make([]byte, MinKeyLen)
	if _, err := rand.Read(k); err != nil {
		return fmt.Errorf("generating key: %w", err)
	}
	text := make([]byte, hex.EncodedLen(len(k))+1)
	hex.Encode(text, k)
	text[len(text)-1] = '\n'
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(text); err != nil {
		f.Close()
		os.Remove(file)
		return fmt.Errorf("writing key file: %w", err)
	}
	if err := f.Sync(); err != nil { // RotateKey renames it over the old key
		f.Close()
		os.Remove(file)
		return fmt.Errorf("writing key file: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(file)
		return fmt.Errorf("writing key file: %w", err)
	}
	return nil
}

// RotateKey replaces the key in file by a new random one, as GenerateKey
// writes it, and keeps the old key beside it as file.<date>.old (mode 0600;
// a second rotation on the same day adds the time) so that an operator can
// roll back. It returns that name. The new key is written to a temporary
// file in the same directory and renamed over file, so file always holds a
// complete key. Pseudonyms are one-way HMACs and cannot be converted: the
// new key takes effect when the store is rebuilt from the inbox, which
// every run does.
func RotateKey(file string, now time.Time) (old string, err error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("key file: %w", err)
	}
	old = file + "." + now.Format("2006-01-02") + ".old"
	if _, err := os.Lstat(old); err == nil {
		old = file + "." + now.Format("2006-01-02T150405") + ".old"
	}
	if err := writeExcl(old, data); err != nil {
		return "", fmt.Errorf("keeping the old key: %w", err)
	}
	tmp := file + ".new"
	os.Remove(tmp) // left by an interrupted rotation; never a live key
	if err := GenerateKey(tmp); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, file); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("replacing the key: %w", err)
	}
	return old, nil
}

// writeExcl creates name with mode 0600, refusing an existing file, and
// syncs it: the old key must be on disk before the new one replaces it.
func writeExcl(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
	}
	return err
}
