package annotate

import (
	"slices"
)

// LanguageScoped is an Annotator that only knows some languages. The runner gives it
// no document in any other language: a model that never saw German has nothing to say
// about a German text, and a label it made up would be worse than none.
type LanguageScoped interface {
	// Languages lists the ISO 639-1 codes the annotator supports; nil means all.
	Languages() []string
}

// The built-ins were built for, and are scored on, Arabic and English only.
var builtinLanguages = []string{"ar", "en"}

func (qaAnnotator) Languages() []string           { return slices.Clone(builtinLanguages) }
func (a *sentimentAnnotator) Languages() []string { return slices.Clone(builtinLanguages) }
func (a *stanceAnnotator) Languages() []string    { return slices.Clone(builtinLanguages) }

// Languages is what newsds.yaml declares under annotators.NAME.languages (nil: all).
func (e *External) Languages() []string { return slices.Clone(e.cfg.Languages) }

// supportsLanguage reports whether a runs on a document in lang. A document whose
// language could not be identified is supported only by annotators that take all.
func supportsLanguage(a Annotator, lang string) bool {
	ls, ok := a.(LanguageScoped)
	if !ok {
		return true
	}
	langs := ls.Languages()
	return langs == nil || slices.Contains(langs, lang)
}

// SkippedLanguage is the key under which a document without an identified language is
// counted when an annotator skips it.
func skippedKey(lang string) string {
	if lang == "" {
		return "unknown"
	}
	return lang
}
