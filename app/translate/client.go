package translate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Provider is the name answers give as their translation provider.
const Provider = "LibreTranslate"

// Errors of the translation server, as Mastodon tells them apart.
var (
	// ErrQuotaExceeded: the server answered 403 (a key over its quota).
	ErrQuotaExceeded = errors.New("translate: quota exceeded")
	// ErrTooManyRequests: the server answered 429.
	ErrTooManyRequests = errors.New("translate: too many requests")
	// ErrUnexpected: the server could not be reached or answered
	// something else than a translation.
	ErrUnexpected = errors.New("translate: unexpected answer")
)

// maxResponseSize bounds what is read of an answer.
const maxResponseSize = 4 << 20

// languagesTTL is how long the server's language pairs are remembered.
const languagesTTL = time.Hour

// Client is a LibreTranslate-compatible server.
type Client struct {
	base   string
	apiKey string
	http   *http.Client

	mu      sync.Mutex
	langs   map[string][]string
	langsAt time.Time
}

// New returns a client of the server at baseURL (without the trailing
// /translate), sending apiKey when not empty, each request limited to
// timeout.
func New(baseURL, apiKey string, timeout time.Duration) *Client {
	return &Client{base: strings.TrimRight(baseURL, "/"), apiKey: apiKey, http: &http.Client{Timeout: timeout}}
}

// Result is one translated text: HTML when HTML was sent, and the source
// language the server detected ("" when it was told the language).
type Result struct {
	Text             string
	DetectedLanguage string
}

// Translate translates texts (HTML) from source ("" to let the server
// detect it) into target, one result per text, in order.
func (c *Client) Translate(ctx context.Context, texts []string, source, target string) ([]Result, error) {
	if source == "" {
		source = "auto"
	}
	req := map[string]any{"q": texts, "source": source, "target": target, "format": "html"}
	if c.apiKey != "" {
		req["api_key"] = c.apiKey
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	data, err := c.do(ctx, http.MethodPost, "/translate", body)
	if err != nil {
		return nil, err
	}
	var answer struct {
		TranslatedText   []string `json:"translatedText"`
		DetectedLanguage []struct {
			Language string `json:"language"`
		} `json:"detectedLanguage"`
	}
	if err := json.Unmarshal(data, &answer); err != nil || len(answer.TranslatedText) != len(texts) {
		return nil, fmt.Errorf("%w: %d translations of %d texts (%v)", ErrUnexpected, len(answer.TranslatedText), len(texts), err)
	}
	out := make([]Result, len(texts))
	for i, t := range answer.TranslatedText {
		out[i].Text = t
		if i < len(answer.DetectedLanguage) {
			out[i].DetectedLanguage = answer.DetectedLanguage[i].Language
		}
	}
	return out, nil
}

// Languages returns the language pairs the server offers: the targets of
// each source language (without the source itself), and under "" every
// target, for texts whose language is unknown. It is asked again after
// languagesTTL.
func (c *Client) Languages(ctx context.Context) (map[string][]string, error) {
	c.mu.Lock()
	if c.langs != nil && time.Since(c.langsAt) < languagesTTL {
		defer c.mu.Unlock()
		return c.langs, nil
	}
	c.mu.Unlock()
	data, err := c.do(ctx, http.MethodGet, "/languages", nil)
	if err != nil {
		return nil, err
	}
	var list []struct {
		Code    string   `json:"code"`
		Targets []string `json:"targets"`
	}
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("%w: languages: %v", ErrUnexpected, err)
	}
	langs := map[string][]string{}
	all := map[string]bool{}
	for _, l := range list {
		targets := l.Targets
		if targets == nil { // older servers translate between any two
			for _, m := range list {
				targets = append(targets, m.Code)
			}
		}
		for _, t := range targets {
			if t != l.Code {
				langs[l.Code] = append(langs[l.Code], t)
				all[t] = true
			}
		}
	}
	every := make([]string, 0, len(all))
	for t := range all {
		every = append(every, t)
	}
	slices.Sort(every)
	langs[""] = every
	c.mu.Lock()
	c.langs, c.langsAt = langs, time.Now()
	c.mu.Unlock()
	return langs, nil
}

// do sends a request and returns the body of a 2xx answer.
func (c *Client) do(ctx context.Context, method, path string, body []byte) ([]byte, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, r)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnexpected, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnexpected, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseSize))
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return nil, ErrTooManyRequests
	case resp.StatusCode == http.StatusForbidden:
		return nil, ErrQuotaExceeded
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, fmt.Errorf("%w: %s %s answered %d", ErrUnexpected, method, path, resp.StatusCode)
	case err != nil:
		return nil, fmt.Errorf("%w: %v", ErrUnexpected, err)
	}
	return data, nil
}
