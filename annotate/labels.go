package annotate

import (
	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/schema"
)

// Labels is the one label policy of every layer, used by annotate, import and validate:
// a built-in layer has its fixed label set (config cannot redeclare it); a user layer
// has the labels newsds.yaml declares under layers.NAME, nil when it declares none.
func Labels(cfg *config.Config, layer string) []string {
	if l := schema.LabelSet(layer); l != nil {
		return l
	}
	if cfg == nil {
		return nil
	}
	return cfg.Layers[layer].Labels
}
