package social

import (
	"context"
	"errors"
	"html"
	"slices"
	"strings"

	"pukeko/app/model"
	"pukeko/app/store"
	"pukeko/app/text"
	"pukeko/app/translate"
)

// Errors of Translate.
var (
	// ErrTranslationOff: no translation server is configured.
	ErrTranslationOff = errors.New("translation is not configured")
	// ErrNotTranslatable: the post is not public, or its language cannot
	// be translated into the one asked for (its own, for one).
	ErrNotTranslatable = errors.New("this post cannot be translated into that language")
)

// Translation is a post machine-translated into Language: its content
// (sanitized HTML), content warning, poll options and media descriptions.
type Translation struct {
	Content        string
	SpoilerText    string
	PollID         model.ID // the poll's id (its post's), 0 when the post has none
	PollOptions    []string
	Media          []TranslatedMedia
	DetectedSource string // the post's language, as the server detected it when unknown
	Language       string
	Provider       string
}

// TranslatedMedia is the translated description of an attachment.
type TranslatedMedia struct {
	ID          model.ID
	Description string
}

// TranslationEnabled tells whether posts can be translated here.
func (in *Instance) TranslationEnabled() bool { return in.Translator != nil }

// TranslationLanguages returns the language pairs posts can be translated
// between (the targets of each source language), empty when translation
// is off.
func (in *Instance) TranslationLanguages(ctx context.Context) (map[string][]string, error) {
	if in.Translator == nil {
		return map[string][]string{}, nil
	}
	langs, err := in.Translator.Languages(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]string, len(langs))
	for src, targets := range langs {
		if src != "" {
			out[src] = targets
		}
	}
	return out, nil
}

// Translate translates a post that reader may see into target (an ISO
// 639 code). As Mastodon, only public and unlisted posts are translated,
// and only between languages the server offers; errors of the server are
// those of app/translate.
func (in *Instance) Translate(ctx context.Context, p *model.Post, target string) (*Translation, error) {
	if in.Translator == nil {
		return nil, ErrTranslationOff
	}
	if p.Visibility != model.VisibilityPublic && p.Visibility != model.VisibilityUnlisted && p.Visibility != model.VisibilityLocal {
		return nil, ErrNotTranslatable
	}
	langs, err := in.Translator.Languages(ctx)
	if err != nil {
		return nil, err
	}
	source, target, ok := languagePair(langs, p.Language, target)
	if !ok {
		return nil, ErrNotTranslatable
	}
	t := &Translation{Language: target, Provider: translate.Provider, DetectedSource: source}
	// The texts to send, in order: content, content warning, poll
	// options, media descriptions; plain text is sent escaped, as HTML.
	var texts []string
	var put []func(string)
	add := func(s string, to func(string)) {
		if s != "" {
			texts, put = append(texts, s), append(put, to)
		}
	}
	add(p.Content, func(s string) { t.Content = text.Sanitize(s) })
	add(html.EscapeString(p.Summary), func(s string) { t.SpoilerText = text.PlainText(s) })
	poll, err := store.PollByPost(ctx, in.DB, p.ID)
	if err != nil {
		return nil, err
	}
	if poll != nil {
		t.PollID = p.ID // the API names a poll by its post
		t.PollOptions = slices.Clone(poll.Options)
		for i, o := range poll.Options {
			add(html.EscapeString(o), func(s string) { t.PollOptions[i] = text.PlainText(s) })
		}
	}
	media, err := store.PostAttachments(ctx, in.DB, []model.ID{p.ID})
	if err != nil {
		return nil, err
	}
	for i, a := range media[p.ID] {
		t.Media = append(t.Media, TranslatedMedia{ID: a.ID})
		add(html.EscapeString(a.Description), func(s string) { t.Media[i].Description = html.UnescapeString(s) })
	}
	if len(texts) == 0 {
		return t, nil
	}
	results, err := in.Translator.Translate(ctx, texts, source, target)
	if err != nil {
		return nil, err
	}
	for i, r := range results {
		put[i](r.Text)
	}
	if t.DetectedSource == "" {
		t.DetectedSource = results[0].DetectedLanguage
	}
	return t, nil
}

// languagePair finds the server's codes for translating from a post's
// language (source, "" when unknown) into target: the codes as given (in
// any case), or their language without region (pt-BR, pt). ok is false
// when the server offers no such pair, the same language among them.
func languagePair(langs map[string][]string, source, target string) (string, string, bool) {
	targets := langs[""]
	if source != "" {
		code, ok := findCode(mapKeys(langs), source)
		if !ok {
			return "", "", false
		}
		source, targets = code, langs[code]
	}
	code, ok := findCode(targets, target)
	return source, code, ok
}

// findCode returns the code of codes that is lang, or lang's language
// without its region.
func findCode(codes []string, lang string) (string, bool) {
	base, _, _ := strings.Cut(lang, "-")
	for _, want := range []string{lang, base} {
		if i := slices.IndexFunc(codes, func(c string) bool { return c != "" && strings.EqualFold(c, want) }); i >= 0 {
			return codes[i], true
		}
	}
	return "", false
}

func mapKeys(m map[string][]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
