package mastodon

import (
	"errors"
	"net/http"
	"strings"

	"pukeko/app/social"
	"pukeko/app/translate"
)

// Machine translation of posts, through the translation server of
// translation.url (app/translate).
func (a *API) registerTranslation(mux Mux) {
	a.route(mux, "POST /api/v1/statuses/{id}/translate", userToken, "read read:statuses", a.translateStatus)
}

// Translation is Mastodon's Translation.
type Translation struct {
	Content                string                  `json:"content"`
	SpoilerText            string                  `json:"spoiler_text"`
	Poll                   *TranslationPoll        `json:"poll"`
	MediaAttachments       []TranslationAttachment `json:"media_attachments"`
	DetectedSourceLanguage string                  `json:"detected_source_language"`
	Language               string                  `json:"language"`
	Provider               string                  `json:"provider"`
}

// TranslationPoll is Mastodon's Translation::Poll.
type TranslationPoll struct {
	ID      string                  `json:"id"`
	Options []TranslationPollOption `json:"options"`
}

// TranslationPollOption is Mastodon's Translation::Poll::Option.
type TranslationPollOption struct {
	Title string `json:"title"`
}

// TranslationAttachment is Mastodon's Translation::Attachment.
type TranslationAttachment struct {
	ID          string `json:"id"`
	Description string `json:"description"`
}

// translateStatus translates a post into lang (else the language the
// client prefers, else English). As Mastodon: 404 when translation is
// off or the post is not to be seen, 403 for a post that may not be
// translated (private, direct, or already in that language), 503 when
// the translation server fails.
func (a *API) translateStatus(c *call) {
	p := c.visiblePost()
	if p == nil {
		return
	}
	t, err := a.In.Translate(c.ctx(), p, c.translationTarget())
	switch {
	case errors.Is(err, social.ErrTranslationOff):
		c.notFound()
		return
	case errors.Is(err, social.ErrNotTranslatable):
		writeError(c.w, http.StatusForbidden, "This action is not allowed")
		return
	case errors.Is(err, translate.ErrQuotaExceeded):
		writeError(c.w, http.StatusServiceUnavailable, "The server-wide usage quota for the translation service has been exceeded.")
		return
	case errors.Is(err, translate.ErrTooManyRequests):
		writeError(c.w, http.StatusServiceUnavailable, "There have been too many requests to the translation service recently.")
		return
	case errors.Is(err, translate.ErrUnexpected):
		a.Logger.Warn("api: translation failed", "post", p.ID, "error", err)
		writeError(c.w, http.StatusServiceUnavailable, "The translation service is unavailable")
		return
	case err != nil:
		a.fail(c, err)
		return
	}
	out := Translation{
		Content:                t.Content,
		SpoilerText:            t.SpoilerText,
		MediaAttachments:       make([]TranslationAttachment, 0, len(t.Media)),
		DetectedSourceLanguage: t.DetectedSource,
		Language:               t.Language,
		Provider:               t.Provider,
	}
	if t.PollID != 0 {
		out.Poll = &TranslationPoll{ID: idStr(t.PollID), Options: make([]TranslationPollOption, 0, len(t.PollOptions))}
		for _, o := range t.PollOptions {
			out.Poll.Options = append(out.Poll.Options, TranslationPollOption{Title: o})
		}
	}
	for _, m := range t.Media {
		out.MediaAttachments = append(out.MediaAttachments, TranslationAttachment{ID: idStr(m.ID), Description: m.Description})
	}
	c.ok(out)
}

// translationTarget is the language asked for: lang, else the first of
// Accept-Language, else English.
func (c *call) translationTarget() string {
	if l := strings.TrimSpace(c.params.str("lang")); l != "" {
		return l
	}
	accept := c.r.Header.Get("Accept-Language")
	first, _, _ := strings.Cut(accept, ",")
	first, _, _ = strings.Cut(first, ";")
	if first = strings.TrimSpace(first); first != "" && first != "*" {
		return first
	}
	return "en"
}

// translationLanguagesAnswer lists the language pairs of the translation
// server, {} when translation is off.
func (a *API) translationLanguagesAnswer(c *call) {
	langs, err := a.In.TranslationLanguages(c.ctx())
	if err != nil {
		a.Logger.Warn("api: translation languages unavailable", "error", err)
		langs = map[string][]string{}
	}
	c.ok(langs)
}
