package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

func newShowCmd(g *globalOptions) *cobra.Command {
	var version string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show ID [--json]",
		Short: "Show one document with its metadata and annotations",
		Long: `Show one document of a version (default: staged) with its metadata and annotations.
ID may be the start of an id, as long as no other document's id starts the same way
(at least 4 characters).`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := g.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			id, err := st.ResolveDocID(cmd.Context(), version, args[0])
			if err != nil {
				return err
			}
			rec, err := st.Record(cmd.Context(), version, id)
			if err != nil {
				return err
			}
			if asJSON {
				return g.printJSON(exportRecord(rec, false))
			}
			w := g.IO.Out
			fmt.Fprintf(w, "id:        %s\n", rec.ID)
			fmt.Fprintf(w, "title:     %s\n", rec.Title)
			fmt.Fprintf(w, "url:       %s\n", rec.URL)
			fmt.Fprintf(w, "source:    %s (%s)\n", rec.Source, rec.SiteName)
			fmt.Fprintf(w, "byline:    %s\n", strings.Join(rec.Byline, "; "))
			fmt.Fprintf(w, "published: %s\n", rec.Published)
			fmt.Fprintf(w, "section:   %s\n", rec.Section)
			fmt.Fprintf(w, "lang:      %s\n", rec.Lang)
			if d := rec.DupOf(); d != "" {
				fmt.Fprintf(w, "dup_of:    %s\n", d)
			}
			for _, a := range rec.Annotations {
				stale := ""
				if a.Stale {
					stale = " STALE (text changed since)"
				}
				fmt.Fprintf(w, "layer %s by %s %s (%s): %s%s\n", a.Layer, a.Annotator.Name, a.Annotator.Version, a.Annotator.Kind, plural(len(a.Items), "item"), stale)
			}
			fmt.Fprintf(w, "\n%s\n", rec.Text)
			return nil
		},
	}
	cmd.Flags().StringVar(&version, "version", "staged", "version to read (v3, 3, a tag, latest, staged)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the document as JSON (the export shape)")
	return cmd
}
