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
		Long: `Unstage documents and their annotations; committed versions keep them. An ID may
be the start of an id, as long as no other staged document's id starts the same way (at
least 4 characters). Duplicates of a removed document are decided again without it, and
the count of those that are originals again is printed.`,
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := g.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			ids := make([]string, len(args))
			for i, a := range args {
				if ids[i], err = st.ResolveDocID(cmd.Context(), "staged", a); err != nil {
					return err
				}
			}
			res, err := st.Remove(cmd.Context(), ids)
			if err != nil {
				return err
			}
			if asJSON {
				return g.printJSON(res)
			}
			fmt.Fprintf(g.IO.Out, "removed %s from the staged set", plural(res.Removed, "document"))
			if res.Released > 0 {
				fmt.Fprint(g.IO.Out, "; "+releasedPhrase(res.Released))
			}
			fmt.Fprintln(g.IO.Out)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, `print {"removed": N, "released": M} as JSON (released: duplicates that are originals again)`)
	return cmd
}
