package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/newsds/newsds/corpus"
)

const checkHelp = `Re-read the whole corpus store and verify it, like restic's check --read-data: SQLite's
integrity_check and foreign_key_check, every kept raw input (decompressed, against the
sha256 it is stored under), every revision (its JSON against rev_hash, its text against
content_hash), every annotation (against ann_hash), and every document and annotation
of every committed version and of the staged set (each points at a stored, intact row
of the same document; each version holds what it was committed with).

Each problem is printed with where it is (table, rowid, version, document) and its fix.
A damaged text is corruption, not a stale annotation: restore from a release or
re-ingest, never re-annotate. Memory stays flat whatever the store's size.

Exit codes: 0 nothing found, 1 problems found (or the store cannot be opened),
2 usage error, 130 interrupted.`

func newCheckCmd(g *globalOptions) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "check [--json]",
		Short: "Verify every stored byte of the corpus against its hash and report located damage",
		Long:  checkHelp,
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := g.openStore(cmd.Context())
			if errors.Is(err, corpus.ErrNotCorpus) {
				return err
			}
			if err != nil {
				// A store SQLite cannot even open is the worst damage check can report.
				return fmt.Errorf("%w\n  fix: %s", err, corpus.FixCorruptStore)
			}
			defer st.Close()
			opts := corpus.CheckOptions{}
			if !asJSON {
				// Problems are printed as they are found: a long check shows its findings
				// before it ends.
				opts.OnProblem = func(p *corpus.CorruptError) {
					fmt.Fprintf(g.IO.Out, "%s\n  fix: %s\n", p.Describe(), p.Fix)
				}
			}
			rep, err := st.Check(cmd.Context(), opts)
			if err != nil {
				return err
			}
			if asJSON {
				if err := g.printJSON(rep); err != nil {
					return err
				}
			} else {
				fmt.Fprintln(g.IO.Out, checkSummary(rep))
			}
			if !rep.OK() {
				return withCode(exitError, nil)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON (checked counts, problems)")
	return cmd
}

func checkSummary(r *corpus.CheckReport) string {
	c := r.Checked
	read := fmt.Sprintf("%d SQLite pages, %s (%.1f MB), %s, %s, %s with %d document and %d annotation entries, staged set with %d and %d, %s",
		c.Pages, plural(int(c.RawBlobs), "raw input"), float64(c.RawBytes)/1e6, plural(int(c.Revisions), "revision"),
		plural(int(c.Annotations), "annotation"), plural(int(c.Versions), "version"), c.VersionDocuments, c.VersionAnnotations,
		c.StagedDocuments, c.StagedAnnotations, plural(int(c.Signatures), "dedup signature"))
	if r.OK() {
		return "checked " + read + ": no problems"
	}
	s := fmt.Sprintf("checked %s: %s", read, plural(r.Total, "problem"))
	if r.Dropped > 0 {
		s += fmt.Sprintf(" (%d not kept in the report)", r.Dropped)
	}
	return s
}
