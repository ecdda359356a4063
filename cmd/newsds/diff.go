package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newDiffCmd(g *globalOptions) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "diff A B [--json]",
		Short: "List documents added, removed and modified between two versions",
		Long: `List the documents added, removed and modified (same id, new content hash) from version
A to version B, and annotation changes per layer. A version is v3, 3, a tag, latest, or
staged (the working set).`,
		Args: exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := g.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			d, err := st.Diff(cmd.Context(), args[0], args[1])
			if err != nil {
				return err
			}
			if asJSON {
				return g.printJSON(d)
			}
			fmt.Fprintf(g.IO.Out, "%s → %s\n", d.From, d.To)
			printDiffSummary(g.IO.Out, d)
			for _, l := range []struct {
				mark string
				ids  []string
			}{{"+", d.Added}, {"-", d.Removed}, {"M", d.Modified}, {"U", d.Updated}} {
				for _, id := range l.ids {
					fmt.Fprintf(g.IO.Out, "%s %s\n", l.mark, id)
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the diff as JSON")
	return cmd
}
