package main

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/ivz-twente/jeugd/transform/geocode"
)

func (a *app) referenceCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "reference",
		Aliases: []string{"referentie"},
		Short:   "Inspect CBS reference data (buurt polygons, postcode table)",
		RunE:    groupRunE,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "check DIR",
		Short: "Report the gemeenten, buurten, polygon validity and postcode coverage of DIR",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ref, err := geocode.LoadReference(args[0])
			if err != nil {
				return err
			}
			rep := geocode.Check(ref)
			if err := rep.WriteText(a.stdout); err != nil {
				return err
			}
			if !rep.OK() {
				return errors.New("reference data has problems (see above)")
			}
			return nil
		},
	})
	return cmd
}
