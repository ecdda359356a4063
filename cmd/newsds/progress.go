package main

import (
	"context"
	"iter"

	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/internal/progress"
	"github.com/newsds/newsds/schema"
)

// progressStore is a corpus store whose Records move a progress bar, for the package
// calls that stream a version (datasets.Release): the package needs no progress option
// of its own. It embeds the store, so it satisfies every interface the store does.
type progressStore struct {
	*corpus.Store
	bar *progress.Bar
}

// recordProgress wraps st so that reading version's records shows a bar on a terminal
// (none without one, or with -q). Call Finish when the package call returns.
func (g *globalOptions) recordProgress(ctx context.Context, st *corpus.Store, description, version string) *progressStore {
	bar := g.progress(progress.Options{Description: description, Unit: "docs"})
	if bar != nil {
		ref := version
		if ref == "" {
			ref = "latest"
		}
		if v, err := st.ResolveVersion(ctx, ref); err == nil {
			bar.SetTotal(int64(v.Documents))
		}
	}
	return &progressStore{Store: st, bar: bar}
}

func (p *progressStore) Records(ctx context.Context, version string) iter.Seq2[schema.Record, error] {
	if p.bar == nil {
		return p.Store.Records(ctx, version)
	}
	return func(yield func(schema.Record, error) bool) {
		var n int64
		for rec, err := range p.Store.Records(ctx, version) {
			n++
			p.bar.Set(n)
			if !yield(rec, err) {
				return
			}
		}
	}
}

// Finish erases the bar.
func (p *progressStore) Finish() { p.bar.Finish() }
