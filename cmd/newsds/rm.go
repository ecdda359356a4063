package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newRmCmd(g *globalOptions) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
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
			if asJSON {
				return g.printJSON(struct {
					Removed int `json:"removed"`
				}{n})
			}
			fmt.Fprintf(g.IO.Out, "removed %s from the staged set\n", plural(n, "document"))
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, `print {"removed": N} as JSON`)
	return cmd
}
