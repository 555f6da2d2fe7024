package main

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/ivz-twente/jeugd/transform"
)

func (a *app) keyCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "key",
		Short: "Manage the pseudonymisation key",
		RunE:  groupRunE,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "generate FILE",
		Short: "Write a new random 32-byte key to FILE with owner-only permissions",
		Long: `generate writes a new random key (64 hex characters) to FILE with mode 0600. It refuses
to overwrite an existing file: replacing the key changes every pseudonym, so earlier
stores can no longer be linked to new ones. Keep the key apart from the data and back it up.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := generateKey(args[0]); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "wrote a new key to %s (mode 0600)\n", args[0])
			return nil
		},
	})
	cmd.AddCommand(a.keyRotateCommand())
	return cmd
}

// generateKey writes a new key to file and says what to do when it cannot:
// create the folder, or rotate the key that is already there.
func generateKey(file string) error {
	err := transform.GenerateKey(file)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrExist):
		return usagef("key file %s already exists; replacing a key changes every pseudonym: use jeugd key rotate --key-file %s", file, file)
	case errors.Is(err, fs.ErrNotExist):
		dir := filepath.Dir(file)
		return usagef("folder %s does not exist; create it owner-only first (mkdir -m 700 %s)", dir, dir)
	}
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return fmt.Errorf("write key file %s: %w", file, pe.Err) // the path once, not twice
	}
	return err
}

func (a *app) keyRotateCommand() *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use:   "rotate --key-file FILE",
		Short: "Replace the key in FILE by a new random one, keeping the old one as FILE.<date>.old",
		Long: `rotate writes a new random key to FILE (mode 0600) and keeps the old key beside it as
FILE.<date>.old (mode 0600), so that you can roll back by moving it back.

Pseudonyms are one-way HMACs: they cannot be converted from the old key to the new one.
Rotation takes effect by rebuilding, which every run does: the next jeugd run reads the
whole inbox again, pseudonymises everything with the new key and, once it publishes,
removes the store built with the old key. Until then the last store still holds the old
pseudonyms. Persons are linked across sources only within one run, so nothing else changes.

Once the next run has published, destroy FILE.<date>.old unless you need a roll back:
anyone holding the old key and an old store or inbox can recompute those pseudonyms.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if file == "" {
				file = a.cfg.KeyFile
			}
			if file == "" {
				return usagef("--key-file is required (or key_file in --config)")
			}
			old, err := transform.RotateKey(file, time.Now())
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "wrote a new key to %s (mode 0600); the old key is kept as %s\n", file, old)
			fmt.Fprintln(a.stdout, "the next jeugd run rebuilds the store with the new key; remove the old key once it has published")
			return nil
		},
	}
	cmd.Flags().StringVar(&file, "key-file", "", "the key file to rotate (config: key_file)")
	return cmd
}

// loadKey reads the key from --key-file (or the config) or JEUGD_KEY.
func (a *app) loadKey(file string) ([]byte, error) {
	if file == "" {
		file = a.cfg.KeyFile
	}
	return transform.LoadKey(file, a.getenv)
}
