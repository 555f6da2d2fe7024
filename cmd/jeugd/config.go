package main

import (
	"bytes"
	"fmt"
	"os"

	"go.yaml.in/yaml/v3"

	"github.com/ivz-twente/jeugd/internal/dekking"
)

// Config is the YAML config file of `jeugd run` (--config). Every key has a
// flag of the same name that overrides it. The key itself is never read
// from here: only the path of the key file.
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
	// Dekking sets per source the months it covers, overriding what its
	// deliveries declare: dekking: {jgz-signalen: {van: 2024-01, tot:
	// 2025-09, ontbreekt: [2024-07]}}.
	Dekking map[string]dekking.Setting `yaml:"dekking"`
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
	if c.Policy != "" {
		return c, fmt.Errorf("config %s: policy is no longer a setting: every indicator is protected by the table plan (tabellen.yaml in --schemas), with k per indicator there; remove the policy line", path)
	}
	return c, nil
}
