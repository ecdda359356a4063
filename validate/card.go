package validate

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/newsds/newsds/internal/saferead"
)

// card is the part of a dataset card's YAML front matter that validation reads.
type card struct {
	Configs     []cardConfig `yaml:"configs"`
	DatasetInfo cardInfos    `yaml:"dataset_info"`
	// lines locates num_examples and num_bytes keys by "config/split/key".
	lines map[string]int
}

type cardConfig struct {
	ConfigName string          `yaml:"config_name"`
	DataFiles  []cardDataFiles `yaml:"data_files"`
}

type cardDataFiles struct {
	Split string     `yaml:"split"`
	Path  pathOrMany `yaml:"path"`
}

// pathOrMany is a data_files path: one glob or a list of them.
type pathOrMany []string

func (p *pathOrMany) UnmarshalYAML(b []byte) error {
	var list []string
	if err := yaml.Unmarshal(b, &list); err == nil {
		*p = list
		return nil
	}
	var one string
	if err := yaml.Unmarshal(b, &one); err != nil {
		return err
	}
	*p = []string{one}
	return nil
}

type cardInfo struct {
	ConfigName   string      `yaml:"config_name"`
	Splits       []cardSplit `yaml:"splits"`
	DownloadSize int64       `yaml:"download_size"`
	DatasetSize  int64       `yaml:"dataset_size"`
}

type cardSplit struct {
	Name        string `yaml:"name"`
	NumBytes    *int64 `yaml:"num_bytes"`
	NumExamples *int64 `yaml:"num_examples"`
}

// cardInfos is dataset_info: one mapping for a single config, a list for several.
type cardInfos []cardInfo

func (c *cardInfos) UnmarshalYAML(b []byte) error {
	var list []cardInfo
	if err := yaml.Unmarshal(b, &list); err == nil {
		*c = list
		return nil
	}
	var one cardInfo
	if err := yaml.Unmarshal(b, &one); err != nil {
		return err
	}
	*c = []cardInfo{one}
	return nil
}

// frontMatter returns the YAML between a card's leading "---" lines and the line
// number (1-based) of its first line.
func frontMatter(b []byte) ([]byte, int, error) {
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	if !bytes.HasPrefix(b, []byte("---\n")) && !bytes.HasPrefix(b, []byte("---\r\n")) {
		return nil, 0, fmt.Errorf("does not start with a --- line opening the YAML front matter")
	}
	rest := b[bytes.IndexByte(b, '\n')+1:]
	for off := 0; off < len(rest); {
		end := bytes.IndexByte(rest[off:], '\n')
		line := rest[off:]
		if end >= 0 {
			line = rest[off : off+end]
		}
		if string(bytes.TrimRight(line, "\r")) == "---" {
			return rest[:off], 2, nil
		}
		if end < 0 {
			break
		}
		off += end + 1
	}
	return nil, 0, fmt.Errorf("the YAML front matter has no closing --- line")
}

func parseCard(b []byte) (*card, error) {
	fm, first, err := frontMatter(b)
	if err != nil {
		return nil, err
	}
	var c card
	err = saferead.Do(func() error {
		file, err := parser.ParseBytes(fm, 0)
		if err != nil {
			return err
		}
		if err := checkExpansion(file, len(fm)); err != nil {
			return err
		}
		return yaml.Unmarshal(fm, &c)
	})
	if err != nil {
		return nil, fmt.Errorf("front matter: %s", yaml.FormatError(err, false, true))
	}
	c.lines = cardLines(fm, first)
	return &c, nil
}

// checkExpansion refuses front matter whose aliases expand it far beyond its size: a
// few hundred bytes of nested "*a" aliases (a billion-laughs card) decode into millions
// of globs and keep validate busy for hours. A card the release writer emits has no
// aliases; the limit leaves room for cards that use a few.
func checkExpansion(file *ast.File, size int) error {
	limit := max(100_000, 16*size)
	anchors := map[string]int{}
	total := 0
	for _, doc := range file.Docs {
		total += expandedNodes(doc, anchors)
		if total > limit {
			return fmt.Errorf("its aliases expand to more than %d YAML nodes (the card is %d bytes)", limit, size)
		}
	}
	return nil
}

// expandedNodes counts the nodes of n with every alias replaced by its anchor's value.
// Anchors are defined before their aliases, so one pass in document order, remembering
// each anchor's count, is linear in the text.
func expandedNodes(n ast.Node, anchors map[string]int) int {
	c := &nodeCounter{anchors: anchors}
	ast.Walk(c, n)
	return c.n
}

type nodeCounter struct {
	anchors map[string]int
	n       int
}

func (c *nodeCounter) Visit(n ast.Node) ast.Visitor {
	switch n := n.(type) {
	case nil:
		return nil
	case *ast.AnchorNode:
		k := expandedNodes(n.Value, c.anchors)
		if n.Name != nil {
			c.anchors[n.Name.String()] = k
		}
		c.n += k + 1
		return nil
	case *ast.AliasNode:
		if n.Value != nil {
			c.n += c.anchors[n.Value.String()]
		}
		c.n++
		return nil
	}
	c.n++
	return c
}

// cardLines finds the lines of the num_examples and num_bytes keys of each split of each
// dataset_info config, so that findings can point at the number to edit. It follows the
// block style the release writer emits; a card written otherwise just gets no lines.
func cardLines(fm []byte, first int) map[string]int {
	out := map[string]int{}
	var config, split string
	inInfo := false
	sc := bufio.NewScanner(bytes.NewReader(fm))
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for n := first; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "- "))
		if len(line) > 0 && line[0] != ' ' && line[0] != '-' {
			inInfo = strings.HasPrefix(line, "dataset_info:")
			config, split = "", ""
		}
		if !inInfo {
			continue
		}
		key, val, ok := strings.Cut(trimmed, ":")
		if !ok {
			continue
		}
		val = strings.Trim(strings.TrimSpace(val), `'"`)
		switch key {
		case "config_name":
			config, split = val, ""
		case "name":
			split = val
		case "num_examples", "num_bytes":
			if split != "" {
				out[config+"/"+split+"/"+key] = n
			}
		}
	}
	return out
}

func (c *card) line(config, split, key string) *int {
	if n, ok := c.lines[config+"/"+split+"/"+key]; ok {
		return intPtr(n)
	}
	return nil
}

// parseSize reads a Croissant contentSize: "1234", "1234 B" or a JSON number.
func parseSize(v any) (int64, bool) {
	switch v := v.(type) {
	case float64:
		return int64(v), v == float64(int64(v))
	case string:
		s := strings.TrimSpace(v)
		s = strings.TrimSpace(strings.TrimSuffix(s, "B"))
		n, err := strconv.ParseInt(s, 10, 64)
		return n, err == nil
	}
	return 0, false
}
