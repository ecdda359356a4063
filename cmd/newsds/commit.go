package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/newsds/newsds/corpus"
)

func newCommitCmd(g *globalOptions) *cobra.Command {
	var message, tag string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "commit -m MSG [--tag NAME]",
		Short: "Make the staged documents and annotations an immutable version",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if message == "" {
				return usageError("commit needs a message: -m MSG")
			}
			st, err := g.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			v, err := st.Commit(cmd.Context(), message, tag)
			if errors.Is(err, corpus.ErrNothingToCommit) {
				fmt.Fprintln(g.IO.ErrOut, "nothing to commit")
				return withCode(exitError, nil)
			}
			if err != nil {
				return err
			}
			if asJSON {
				return g.printJSON(v)
			}
			label := v.Name
			if v.Tag != "" {
				label += " (" + v.Tag + ")"
			}
			fmt.Fprintf(g.IO.Out, "%s: %s, %s — %s\n", label, plural(v.Documents, "document"), plural(v.Annotations, "annotation"), v.Message)
			return nil
		},
	}
	cmd.Flags().StringVarP(&message, "message", "m", "", "what this version is")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the new version as JSON (the shape of log --json)")
	cmd.Flags().StringVar(&tag, "tag", "", "a name for this version (letters first, e.g. spring-2024)")
	return cmd
}
