package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/corpus"
)

func newInitCmd(g *globalOptions) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Create a corpus: newsds.yaml and the store in .newsds/",
		Long: `Create a corpus in DIR (default: the current folder): a commented newsds.yaml with
sources, time zones and options, and an embedded SQLite store in .newsds/.`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := g.workDir()
			if err != nil {
				return err
			}
			if len(args) == 1 {
				dir = args[0]
				if !filepath.IsAbs(dir) && g.Dir != "" {
					dir = filepath.Join(g.Dir, dir)
				}
			}
			if err := corpus.Init(cmd.Context(), dir); err != nil {
				return err
			}
			abs, _ := filepath.Abs(dir)
			cfg := filepath.Join(abs, config.FileName)
			if asJSON {
				return g.printJSON(struct {
					Root   string `json:"root"`
					Config string `json:"config"`
				}{abs, cfg})
			}
			fmt.Fprintf(g.IO.Out, "Initialised an empty newsds corpus in %s\n", abs)
			g.status("Edit %s to describe your sources, then run `newsds ingest PATH...`.", cfg)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the corpus root and config file as JSON")
	return cmd
}
