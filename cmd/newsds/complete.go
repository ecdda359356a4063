package main

import (
	"maps"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/newsds/newsds/annotate"
	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/schema"
)

// maxCompletions bounds the document ids offered: a shell shows no more usefully, and a
// large corpus would otherwise be read whole on each TAB.
const maxCompletions = 200

// completer offers values read from the corpus around the working folder (or -C).
type completer func(g *globalOptions, cmd *cobra.Command, toComplete string) []string

// registerCompletions gives every command's flags and arguments dynamic completion by
// flag name, so a command added later gets it without code of its own: --version and
// --corpus-version complete versions and tags, --layer layers, --with and --annotators
// annotator names, --docs document ids.
func registerCompletions(g *globalOptions, root *cobra.Command) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		if c == root {
			return
		}
		byFlag := map[string]completer{
			"corpus-version": completeVersions(false),
			"layer":          completeLayers,
			"with":           completeList(completeAnnotators),
			"annotators":     completeList(completeAnnotators),
			"docs":           completeList(completeDocIDs),
		}
		// release's --version is the new release's X.Y.Z, not a corpus version.
		if c.Name() != "release" {
			byFlag["version"] = completeVersions(true)
		}
		for name, f := range byFlag {
			if c.LocalFlags().Lookup(name) == nil {
				continue
			}
			_ = c.RegisterFlagCompletionFunc(name, adapt(g, f))
		}
	}
	walk(root)
	for _, c := range root.Commands() {
		switch c.Name() {
		case "show":
			c.ValidArgsFunction = positional(g, 1, completeDocIDs)
		case "rm":
			c.ValidArgsFunction = positional(g, -1, completeDocIDs)
		case "diff":
			c.ValidArgsFunction = positional(g, 2, completeVersions(true))
		}
	}
}

func adapt(g *globalOptions, f completer) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return f(g, cmd, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// positional completes up to n arguments (n < 0: any number) with f.
func positional(g *globalOptions, n int, f completer) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if n >= 0 && len(args) >= n {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return f(g, cmd, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// completeList completes the last item of a comma-separated value.
func completeList(f completer) completer {
	return func(g *globalOptions, cmd *cobra.Command, toComplete string) []string {
		head, last := "", toComplete
		if i := strings.LastIndex(toComplete, ","); i >= 0 {
			head, last = toComplete[:i+1], toComplete[i+1:]
		}
		var out []string
		for _, c := range f(g, cmd, last) {
			out = append(out, head+c)
		}
		return out
	}
}

// completionStore opens the corpus for a completion; a folder that holds none completes nothing.
func completionStore(g *globalOptions, cmd *cobra.Command) *corpus.Store {
	st, err := g.openStore(cmd.Context())
	if err != nil {
		return nil
	}
	return st
}

// completeVersions offers version names and tags (with their messages as
// descriptions), latest, and staged when the command reads the working set.
func completeVersions(staged bool) completer {
	return func(g *globalOptions, cmd *cobra.Command, toComplete string) []string {
		st := completionStore(g, cmd)
		if st == nil {
			return nil
		}
		defer st.Close()
		vs, err := st.Versions(cmd.Context())
		if err != nil {
			return nil
		}
		var out []string
		for i := len(vs) - 1; i >= 0; i-- {
			v := vs[i]
			out = append(out, v.Name+"\t"+v.Message)
			if v.Tag != "" {
				out = append(out, v.Tag+"\t"+v.Name+": "+v.Message)
			}
		}
		if len(vs) > 0 {
			out = append(out, "latest\tthe last commit")
		}
		if staged {
			out = append(out, "staged\tthe working set")
		}
		return filterPrefix(out, toComplete)
	}
}

// filterPrefix keeps the "value\tdescription" entries whose value starts with prefix.
func filterPrefix(entries []string, prefix string) []string {
	var out []string
	for _, e := range entries {
		value, _, _ := strings.Cut(e, "\t")
		if strings.HasPrefix(value, prefix) {
			out = append(out, e)
		}
	}
	return out
}

func completeLayers(g *globalOptions, cmd *cobra.Command, toComplete string) []string {
	names := schema.BuiltinLayers()
	if st := completionStore(g, cmd); st != nil {
		names = append(names, slices.Sorted(maps.Keys(st.Config().Layers))...)
		st.Close()
	}
	return filterPrefix(names, toComplete)
}

func completeAnnotators(g *globalOptions, cmd *cobra.Command, toComplete string) []string {
	names := annotate.BuiltinNames()
	if st := completionStore(g, cmd); st != nil {
		names = append(names, slices.Sorted(maps.Keys(st.Config().Annotators))...)
		st.Close()
	}
	return filterPrefix(names, toComplete)
}

// completeDocIDs offers staged document ids with their titles.
func completeDocIDs(g *globalOptions, cmd *cobra.Command, toComplete string) []string {
	st := completionStore(g, cmd)
	if st == nil {
		return nil
	}
	defer st.Close()
	var out []string
	for d, err := range st.Documents(cmd.Context(), "staged") {
		if err != nil {
			break
		}
		if strings.HasPrefix(d.ID, toComplete) {
			out = append(out, d.ID+"\t"+excerptTitle(d.Title))
			if len(out) == maxCompletions {
				break
			}
		}
	}
	return out
}
