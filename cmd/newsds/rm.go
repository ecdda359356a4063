package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newRmCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "rm ID...",
		Short: "Unstage documents (committed versions keep them)",
		Args:  minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := g.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			n, err := st.Remove(cmd.Context(), args)
			if err != nil {
				return err
			}
			fmt.Fprintf(g.IO.Out, "removed %s from the staged set\n", plural(n, "document"))
			return nil
		},
	}
}
