package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
)

func newLogCmd(g *globalOptions) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "log [--json]",
		Short: "List the committed versions, newest first",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := g.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			vs, err := st.Versions(cmd.Context())
			if err != nil {
				return err
			}
			for i, j := 0, len(vs)-1; i < j; i, j = i+1, j-1 {
				vs[i], vs[j] = vs[j], vs[i]
			}
			if asJSON {
				if vs == nil {
					return g.printJSON([]any{})
				}
				return g.printJSON(vs)
			}
			for _, v := range vs {
				tag := ""
				if v.Tag != "" {
					tag = " (" + v.Tag + ")"
				}
				fmt.Fprintf(g.IO.Out, "%s%s\t%s\t%d docs\t%d annotations\t%s\n", v.Name, tag, v.CreatedAt.Format(time.RFC3339), v.Documents, v.Annotations, v.Message)
			}
			if len(vs) == 0 {
				g.status("no versions yet: `newsds commit -m MSG` makes the first")
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the versions as a JSON array")
	return cmd
}
