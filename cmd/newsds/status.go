package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/newsds/newsds/corpus"
)

func newStatusCmd(g *globalOptions) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show staged changes against the last version",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := g.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			d, err := st.Status(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				return g.printJSON(d)
			}
			fmt.Fprintf(g.IO.Out, "Staged against %s:\n", d.From)
			printDiffSummary(g.IO.Out, d)
			if d.Empty() {
				fmt.Fprintln(g.IO.Out, "nothing to commit")
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the status as JSON (same shape as diff --json)")
	return cmd
}

func printDiffSummary(w io.Writer, d *corpus.Diff) {
	fmt.Fprintf(w, "  documents: %d added, %d removed, %d modified, %d metadata updated\n",
		d.Counts.Added, d.Counts.Removed, d.Counts.Modified, d.Counts.Updated)
	for _, l := range d.Annotations {
		fmt.Fprintf(w, "  annotations %s: %d added, %d removed, %d changed\n", l.Layer, l.Added, l.Removed, l.Changed)
	}
}
