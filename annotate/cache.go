package annotate

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"github.com/newsds/newsds/config"
)

// Cache stores the validated items an external annotator returned, so that a rerun over
// unchanged documents makes no calls. The corpus store implements it; MemCache is the
// in-memory version for tests and one-off runs.
type Cache interface {
	CacheGet(ctx context.Context, key string) ([]byte, bool, error)
	CachePut(ctx context.Context, key string, value []byte) error
}

// RefreshCache answers no look-up and stores every result in Cache: a run with it
// calls the annotator again for every document and replaces what was cached. It is
// what `annotate --force` asks for; the cache key cannot see a model that changed
// behind the same url, command and parameters.
type RefreshCache struct{ Cache Cache }

// CacheGet reports a miss.
func (RefreshCache) CacheGet(context.Context, string) ([]byte, bool, error) { return nil, false, nil }

// CachePut stores value in the underlying cache.
func (c RefreshCache) CachePut(ctx context.Context, key string, value []byte) error {
	return c.Cache.CachePut(ctx, key, value)
}

// MemCache is a Cache held in memory, safe for concurrent use.
type MemCache struct {
	mu sync.Mutex
	m  map[string][]byte
}

// NewMemCache returns an empty MemCache.
func NewMemCache() *MemCache { return &MemCache{m: map[string][]byte{}} }

// CacheGet returns a copy of the value stored under key.
func (c *MemCache) CacheGet(_ context.Context, key string) ([]byte, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[key]
	return bytes.Clone(v), ok, nil
}

// CachePut stores a copy of value under key.
func (c *MemCache) CachePut(_ context.Context, key string, value []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[key] = bytes.Clone(value)
	return nil
}

// Keys returns the stored keys, sorted.
func (c *MemCache) Keys() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	keys := make([]string, 0, len(c.m))
	for k := range c.m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// CanonicalParams returns the canonical JSON of an annotator's parameters (object keys
// sorted at every depth, no HTML escaping, YAML's map[any]any turned into objects) and
// its hex sha256. Parameters that are empty hash to "", as schema.Annotator documents.
func CanonicalParams(params map[string]any) (canonical []byte, hash string, err error) {
	if len(params) == 0 {
		return []byte("{}"), "", nil
	}
	norm, err := extCanonicalValue(params)
	if err != nil {
		return nil, "", fmt.Errorf("params: %w", err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	// encoding/json writes map keys sorted, which is what makes the form canonical.
	if err := enc.Encode(norm); err != nil {
		return nil, "", fmt.Errorf("params: %w", err)
	}
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	sum := sha256.Sum256(b)
	return b, hex.EncodeToString(sum[:]), nil
}

// extCanonicalValue rewrites the map types a YAML decoder may produce into map[string]any so
// that encoding/json accepts them and sorts their keys.
func extCanonicalValue(v any) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			n, err := extCanonicalValue(e)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			out[k] = n
		}
		return out, nil
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			ks := fmt.Sprint(k)
			if _, dup := out[ks]; dup {
				return nil, fmt.Errorf("key %q appears twice once written as text", ks)
			}
			n, err := extCanonicalValue(e)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", ks, err)
			}
			out[ks] = n
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			n, err := extCanonicalValue(e)
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			out[i] = n
		}
		return out, nil
	}
	return v, nil
}

// extCacheIdentity hashes everything in an external annotator's settings that can change
// its cached results: type, url, command and its arguments, layer, version, kind, params
// and the labels items are validated against — every field of the config except those
// known only to change how the calls are made (batch size, concurrency, timeout,
// retries). Taking the whole config rather than a list of fields means a field added
// later (an environment, say) is in the key until someone decides it is not; the worst
// that costs is a cache miss, never a stale answer served.
func extCacheIdentity(cfg config.ExternalAnnotator, paramsHash string, labels []string) (string, error) {
	cfg.BatchSize, cfg.Concurrency, cfg.Timeout, cfg.Retries = 0, 0, 0, 0
	// Params may hold YAML's map[any]any, which encoding/json refuses; their canonical
	// hash stands for them.
	cfg.Params = nil
	// The order labels are declared in does not change which items are accepted.
	labels = slices.Compact(slices.Sorted(slices.Values(labels)))
	b, err := json.Marshal(struct {
		Config     config.ExternalAnnotator
		ParamsHash string
		Labels     []string
	}{cfg, paramsHash, labels})
	if err != nil {
		return "", fmt.Errorf("cache identity: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// extCacheKey names the cached items of one document for one annotator. It covers
// everything sent to the annotator except the document id (lang, title and text, since
// an annotator may read the title), the annotator's schema.Annotator.Key() (name,
// version, params hash; kept readable in the key) and identity, the extCacheIdentity of
// its settings. v2 keys added the identity: v1 entries, keyed without the endpoint, are
// never read again.
func extCacheKey(annotatorKey, identity, lang, title, text string) string {
	h := sha256.New()
	for _, s := range []string{identity, lang, title, text} {
		fmt.Fprintf(h, "%d:%s", len(s), s)
	}
	return "external/v2/" + annotatorKey + "/" + hex.EncodeToString(h.Sum(nil))
}
