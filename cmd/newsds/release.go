package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/datasets"
)

type releaseOptions struct {
	datasets.ReleaseOptions
	Formats   string
	ShardSize string
	AsJSON    bool
}

func newReleaseCmd(g *globalOptions) *cobra.Command {
	var o releaseOptions
	cmd := &cobra.Command{
		Use:   "release --version X.Y.Z --out DIR [--corpus-version V] [--format parquet,arrow] [--split SPEC | --split-by date:D1,D2] [--shard-size 256MB]",
		Short: "Write a committed corpus version as Parquet/Arrow shards with a dataset card",
		Long: `Write a committed corpus version and its annotations as a dataset release in the
Hugging Face layout: configs "articles" and "turns" as Parquet shards under
data/<config>/ (and Arrow IPC files under arrow/<config>/ with --format parquet,arrow),
with label-name and split columns beside the class ids, a dataset card README.md with datasheet sections and
charts, croissant.json, CHANGELOG.md against the previous release, and
checksums.sha256. The folder is written beside DIR and renamed at the end: a failed or
killed release leaves no partial DIR, and the next release removes what a killed one
left beside its DIR. --force replaces an existing DIR only when it is a newsds release
(it has newsds-release.json) holding nothing but the files its checksums.sha256 lists,
and is neither the corpus nor a folder holding it; anything else is refused. Without --version, the next version is proposed
from the changes (MAJOR: records changed, left or moved split; MINOR: only added;
PATCH: serialization only).

A release is made from a commit: when documents or annotations are staged but not
committed, release refuses (exit 1), since they would be left out; commit them first,
or give --allow-staged to release the commit without them.

Splits: --split train=0.8,validation=0.1,test=0.1 (by a hash of the document id: a
document keeps its split between releases) or --split-by date:2024-01-01,2024-07-01
(train before the first date, validation before the second, test after).

` + exitCodesHelp,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.Out == "" {
				return usageError("--out DIR is required")
			}
			if o.Split != "" && o.SplitBy != "" {
				return usageError("--split and --split-by exclude each other")
			}
			for _, f := range strings.Split(o.Formats, ",") {
				f = strings.TrimSpace(f)
				if f != datasets.FormatParquet && f != datasets.FormatArrow {
					return usageError("--format %q: want parquet or parquet,arrow", o.Formats)
				}
				o.ReleaseOptions.Formats = append(o.ReleaseOptions.Formats, f)
			}
			if o.ShardSize != "" {
				n, err := datasets.ParseSize(o.ShardSize)
				if err != nil {
					return usageError("--shard-size: %v", err)
				}
				o.ReleaseOptions.ShardSize = n
			}
			return runRelease(cmd, g, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Version, "version", "", "release version X.Y.Z (default: proposed from the changes)")
	f.StringVar(&o.Out, "out", "", "release folder to create")
	f.StringVar(&o.CorpusVersion, "corpus-version", "", "committed corpus version to release (default: latest)")
	f.StringVar(&o.Formats, "format", "parquet", "data formats: parquet or parquet,arrow")
	f.StringVar(&o.Split, "split", "", "split ratios by id hash (default "+datasets.DefaultSplit+")")
	f.StringVar(&o.SplitBy, "split-by", "", "split by published date: date:D1,D2,...")
	f.StringVar(&o.ShardSize, "shard-size", "256MB", "target size of one data file")
	f.BoolVar(&o.KeepDuplicates, "keep-duplicates", false, "release documents marked as duplicates too")
	f.StringVar(&o.PreviousDir, "previous", "", "previous release folder to compare with (default: the last recorded; none for no comparison)")
	f.BoolVar(&o.AllowStaged, "allow-staged", false, "release the commit even though staged documents or annotations are not committed (they are left out)")
	f.BoolVar(&o.Force, "force", false, "replace an existing DIR that is a newsds release holding only its own files (never the corpus)")
	f.BoolVar(&o.AsJSON, "json", false, "print the release manifest as JSON")
	return cmd
}

func runRelease(cmd *cobra.Command, g *globalOptions, o releaseOptions) error {
	ctx := cmd.Context()
	st, err := g.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	o.Out = g.absPath(o.Out)
	if o.PreviousDir != "" && o.PreviousDir != datasets.PreviousNone {
		o.PreviousDir = g.absPath(o.PreviousDir)
	}
	o.Config = st.Config()
	o.CorpusDir = st.Root()
	o.History = corpus.ReleasesDir(st.Root())
	src := g.recordProgress(ctx, st, "releasing", o.CorpusVersion)
	m, err := datasets.Release(ctx, src, o.ReleaseOptions)
	src.Finish()
	if err != nil {
		return err
	}
	if o.AsJSON {
		return g.printJSON(m)
	}
	printRelease(g, m, o.Out)
	return nil
}

func printRelease(g *globalOptions, m *datasets.Manifest, dir string) {
	w := g.IO.Out
	fmt.Fprintf(w, "release %s of corpus %s in %s\n", m.Version, m.Corpus.Version, dir)
	for _, c := range m.Configs {
		var parts []string
		for _, s := range c.Splits {
			parts = append(parts, fmt.Sprintf("%s %d", s.Name, s.NumExamples))
		}
		fmt.Fprintf(w, "  %-9s %s\n", c.Name, strings.Join(parts, ", "))
	}
	if m.Excluded.Duplicates.Count > 0 {
		fmt.Fprintf(w, "  %s left out as duplicates\n", plural(int(m.Excluded.Duplicates.Count), "document"))
	}
}
