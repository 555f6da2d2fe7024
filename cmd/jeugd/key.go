package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ivz-twente/jeugd/transform"
)

func (a *app) keyCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "key",
		Short: "Manage the pseudonymisation key",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "generate FILE",
		Short: "Write a new random 32-byte key to FILE with owner-only permissions",
		Long: `generate writes a new random key (64 hex characters) to FILE with mode 0600. It refuses
to overwrite an existing file: replacing the key changes every pseudonym, so earlier
stores can no longer be linked to new ones. Keep the key apart from the data and back it up.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := transform.GenerateKey(args[0]); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "wrote a new key to %s (mode 0600)\n", args[0])
			return nil
		},
	})
	return cmd
}

// loadKey reads the key from --key-file (or the config) or JEUGD_KEY.
func (a *app) loadKey(file string) ([]byte, error) {
	if file == "" {
		file = a.cfg.KeyFile
	}
	return transform.LoadKey(file, a.getenv)
}
