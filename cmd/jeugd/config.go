package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ivz-twente/jeugd/internal/dekking"
)

// ConfigEnv names the config file when --config is not given.
const ConfigEnv = "JEUGD_CONFIG"

// Config is the YAML config file of `jeugd run` (--config). Every key has a
// flag of the same name that overrides it. The key itself is never read
// from here: only the path of the key file. Relative paths in the file are
// relative to the file's folder, not to the working directory.
type Config struct {
	Inbox     string `yaml:"inbox"`
	Reference string `yaml:"reference"`
	Out       string `yaml:"out"`
	State     string `yaml:"state"`
	KeyFile   string `yaml:"key_file"`
	Schemas   string `yaml:"schemas"`
	MinCount  int    `yaml:"min_count"`
	// Policy is read only to refuse it: round5 is gone, it did not protect
	// (rounded counts were recovered by bounds). k per indicator is in
	// the table plan.
	Policy            string   `yaml:"policy"`
	MaxQuarantineRate float64  `yaml:"max_quarantine_rate"`
	MinMatchRate      float64  `yaml:"min_match_rate"`
	Recipients        []string `yaml:"recipients"`
	RegioCode         string   `yaml:"regio_code"`
	RegioNaam         string   `yaml:"regio_naam"`
	Report            bool     `yaml:"report"`    // an HTML report per recipient in its gemeente folder
	Group             string   `yaml:"group"`     // group that may read OUT/latest
	Umask             string   `yaml:"umask"`     // octal, e.g. "027"; default the umask jeugd runs with
	KeepRuns          int      `yaml:"keep_runs"` // runs kept in OUT/runs besides latest; 0 keeps all
	// Dekking sets per source the months it covers, overriding what its
	// deliveries declare: dekking: {jgz-signalen: {van: 2024-01, tot:
	// 2025-09, ontbreekt: [2024-07]}}.
	Dekking map[string]dekking.Setting `yaml:"dekking"`
}

// parseUmask reads an octal umask such as "027" or "0027".
func parseUmask(s string) (fs.FileMode, error) {
	n, err := strconv.ParseUint(strings.TrimPrefix(s, "0o"), 8, 32)
	if err != nil || n > 0o777 {
		return 0, fmt.Errorf("umask %q: use three octal digits, e.g. 027", s)
	}
	return fs.FileMode(n), nil
}

func loadConfig(path string) (Config, error) {
	var c Config
	data, err := os.ReadFile(path)
	if err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true) // a typo must not silently fall back to a default
	if err := dec.Decode(&c); err != nil && err.Error() != "EOF" {
		return c, fmt.Errorf("config %s: %w", path, err)
	}
	base := filepath.Dir(path)
	for _, p := range []*string{&c.Inbox, &c.Reference, &c.Out, &c.State, &c.KeyFile, &c.Schemas} {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(base, *p)
		}
	}
	if c.Umask != "" {
		if _, err := parseUmask(c.Umask); err != nil {
			return c, fmt.Errorf("config %s: %w", path, err)
		}
	}
	if c.Policy != "" {
		return c, fmt.Errorf("config %s: policy is no longer a setting: every indicator is protected by the table plan (tabellen.yaml in --schemas), with k per indicator there; remove the policy line", path)
	}
	return c, nil
}
