package main

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/newsds/newsds/schema"

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
				for _, it := range a.Items {
					fmt.Fprintf(w, "  %s\n", itemLine(it))
				}
			}
			fmt.Fprintf(w, "\n%s\n", rec.Text)
			return nil
		},
	}
	cmd.Flags().StringVar(&version, "version", "staged", "version to read (v3, 3, a tag, latest, staged)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the document as JSON (the export shape)")
	return cmd
}

// excerptRunes is how much of an item's span text a line of `show` quotes: enough to
// recognise the span, short enough that a line stays one line.
const excerptRunes = 60

// itemLine is one item as `show` lists it: where it is (code points, or "document"),
// its label and score, its attributes, and the start of its text. Without the items a
// reader saw "8 items" and had to reach for --json to learn what the annotators said.
func itemLine(it schema.Item) string {
	var b strings.Builder
	if it.IsSpan() {
		fmt.Fprintf(&b, "%d-%d", *it.Start, *it.End)
	} else {
		b.WriteString("document")
	}
	if it.Label != "" {
		b.WriteString("  " + it.Label)
	}
	if it.Score != nil {
		fmt.Fprintf(&b, " %.2f", *it.Score)
	}
	for _, k := range slices.Sorted(maps.Keys(it.Attrs)) {
		v := it.Attrs[k]
		if v == "" || strings.ContainsAny(v, " \t\n\"") {
			v = strconv.Quote(v)
		}
		b.WriteString("  " + k + "=" + v)
	}
	if it.Text != "" {
		b.WriteString("  «" + excerpt(it.Text, excerptRunes) + "»")
	}
	return b.String()
}

// excerpt is the first n runes of s on one line, with an ellipsis when cut.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return strings.TrimSpace(string(r[:n])) + "…"
	}
	return s
}
