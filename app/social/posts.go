package social

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
	"pukeko/app/store"
	"pukeko/app/text"
)

// DefaultMaxPostLength is the post length limit when Instance.MaxPostLength
// is 0.
const DefaultMaxPostLength = 500

// Errors of post creation and editing.
var (
	ErrPostTooLong  = errors.New("post too long")
	ErrEmptyPost    = errors.New("post is empty")
	ErrNotPostOwner = errors.New("not the author of that post")
	ErrPostNotFound = errors.New("post not found")
)

// PostOptions is what an author writes.
type PostOptions struct {
	Text       string // plain text, rendered with mentions, hashtags and links
	Visibility string // model.Visibility*; public when empty
	Summary    string // content warning
	Sensitive  bool
	Language   string
	InReplyTo  *model.Post
	Poll       *PollOptions // a poll makes the post a Question
	MediaIDs   []model.ID   // uploads of the author, in order
	// Quote is the post quoted, QuotePolicy who may quote this one
	// (public when empty; see quotes.go).
	Quote       *model.Post
	QuotePolicy string
}

// PostEdit changes a post: nil fields stay as they are. Visibility and the
// reply never change.
type PostEdit struct {
	Text      *string
	Summary   *string
	Sensitive *bool
	Language  *string
	MediaIDs  *[]model.ID // the attachments after the edit, in order
	// QuotePolicy changes who may quote the post (quotes.go).
	QuotePolicy *string
}

func (in *Instance) maxPostLength() int {
	if in.MaxPostLength > 0 {
		return in.MaxPostLength
	}
	return DefaultMaxPostLength
}

// checkLength counts characters as people see them: the text and the
// content warning together. Only a post with media may have no text.
func (in *Instance) checkLength(body, summary string, hasMedia bool) error {
	if strings.TrimSpace(body) == "" && !hasMedia {
		return ErrEmptyPost
	}
	if n := utf8.RuneCountInString(body) + utf8.RuneCountInString(summary); n > in.maxPostLength() {
		return fmt.Errorf("%w: %d characters, at most %d", ErrPostTooLong, n, in.maxPostLength())
	}
	return nil
}

// renderLocal renders an author's text: @mentions resolved (local handles
// from the database, remote ones by webfinger when unknown), hashtags
// linked to the author's display domain. It returns the HTML, the
// identities mentioned and the hashtags.
func (in *Instance) renderLocal(ctx context.Context, author *model.Identity, d *model.Domain, body string) (string, []model.ID, []string) {
	found := map[string]*model.Identity{}
	parsed := text.Render(body, text.RenderOptions{
		LocalDomain: d.Domain,
		TagURL:      func(tag string) string { return in.BaseURL(d.Domain) + "/tags/" + url.PathEscape(tag) },
		Mention: func(handle string) (text.Mention, bool) {
			i := in.mentionTarget(ctx, handle)
			if i == nil {
				return text.Mention{}, false
			}
			found[handle] = i
			link := i.URL
			if link == "" {
				link = i.URI
			}
			return text.Mention{Username: i.Username, Domain: i.Domain, URL: link}, true
		},
	})
	var mentions []model.ID
	for _, h := range parsed.Mentions {
		if i := found[h]; i != nil && i.ID != author.ID {
			mentions = append(mentions, i.ID)
		}
	}
	return parsed.HTML, mentions, parsed.Hashtags
}

// mentionTarget resolves a handle written in a post, or nil.
func (in *Instance) mentionTarget(ctx context.Context, handle string) *model.Identity {
	username, domain, ok := SplitHandle(handle)
	if !ok {
		return nil
	}
	i, err := store.IdentityByHandle(ctx, in.DB, username, domain)
	if err == nil && i != nil && (i.Local || i.Fetched != nil) && i.Deleted == nil {
		return i
	}
	if d, err := store.Domain(ctx, in.DB, domain); err != nil || (d != nil && d.Local) {
		return nil // ours and unknown: nobody to mention
	}
	i, err = in.ResolveHandle(ctx, handle)
	if err != nil {
		in.Logger.Debug("mention not resolved", "handle", handle, "error", err)
		return nil
	}
	if i == nil || i.Deleted != nil {
		return nil
	}
	return i
}

// CreatePost publishes a post by one of our identities. It is stored in
// the post graph's first state; fan-out (timelines here, deliveries to
// other servers) happens in the background.
func (in *Instance) CreatePost(ctx context.Context, author *model.Identity, opts PostOptions) (*model.Post, error) {
	if !author.Local || author.Deleted != nil || author.Username == "" {
		return nil, errors.New("only live local identities post from here")
	}
	vis := opts.Visibility
	if vis == "" {
		vis = model.VisibilityPublic
	}
	if !model.ValidVisibility(vis) {
		return nil, fmt.Errorf("unknown visibility %q", vis)
	}
	if err := in.checkLength(opts.Text, opts.Summary, len(opts.MediaIDs) > 0); err != nil {
		return nil, err
	}
	poll, err := in.checkPoll(opts.Poll)
	if err != nil {
		return nil, err
	}
	if err := in.checkMedia(ctx, in.DB, author.ID, 0, opts.MediaIDs); err != nil {
		return nil, err
	}
	d, err := store.Domain(ctx, in.DB, author.Domain)
	if err != nil {
		return nil, err
	}
	if d == nil || !d.Local {
		return nil, fmt.Errorf("%s is not a domain of this server", author.Domain)
	}
	html, mentions, tags := in.renderLocal(ctx, author, d, opts.Text)
	p := &model.Post{
		ID:         model.NewID(),
		AuthorID:   author.ID,
		Local:      true,
		ObjectType: "Note",
		Visibility: vis,
		Content:    html,
		Source:     opts.Text,
		Summary:    strings.TrimSpace(opts.Summary),
		Sensitive:  opts.Sensitive || strings.TrimSpace(opts.Summary) != "",
		Language:   opts.Language,
		Mentions:   mentions,
		Hashtags:   tags,
		Published:  time.Now(),
	}
	p.URI = fmt.Sprintf("%s/posts/%d", author.URI, p.ID)
	p.URL = fmt.Sprintf("%s/%d", in.ProfileURL(d, author.Username), p.ID)
	// A reply joins its parent's thread; a new thread is named after the
	// post that starts it.
	p.Context = p.URI + "#context"
	if r := opts.InReplyTo; r != nil {
		p.InReplyToURI, p.InReplyToID = r.URI, r.ID
		if r.Context != "" {
			p.Context = r.Context
		}
	}
	quote, err := in.prepareQuote(ctx, p, author, opts)
	if err != nil {
		return nil, err
	}
	if err := in.insertPost(ctx, p, poll, opts.MediaIDs, quote); err != nil {
		return nil, err
	}
	if err := in.linkLocalEmoji(ctx, in.DB, p); err != nil {
		return nil, err
	}
	return p, nil
}

// EditPost changes one of author's posts, keeping what the edit leaves
// out. The replaced version goes to the history and the edit is fanned
// out.
func (in *Instance) EditPost(ctx context.Context, author *model.Identity, id model.ID, e PostEdit) (*model.Post, error) {
	var out *model.Post
	err := pgx.BeginFunc(ctx, in.DB, func(tx pgx.Tx) error {
		old, err := store.PostForUpdate(ctx, tx, id)
		if err != nil {
			return err
		}
		if old == nil || old.Deleted != nil {
			return ErrPostNotFound
		}
		if old.AuthorID != author.ID || !old.Local {
			return ErrNotPostOwner
		}
		p := *old
		if e.Summary != nil {
			p.Summary = strings.TrimSpace(*e.Summary)
		}
		if e.Sensitive != nil {
			p.Sensitive = *e.Sensitive
		}
		if p.Summary != "" {
			p.Sensitive = true
		}
		if e.Language != nil {
			p.Language = *e.Language
		}
		if e.Text != nil {
			hasMedia := e.MediaIDs != nil && len(*e.MediaIDs) > 0
			if e.MediaIDs == nil {
				atts, err := store.PostAttachments(ctx, tx, []model.ID{p.ID})
				if err != nil {
					return err
				}
				hasMedia = len(atts[p.ID]) > 0
			}
			if err := in.checkLength(*e.Text, p.Summary, hasMedia); err != nil {
				return err
			}
			d, err := store.Domain(ctx, tx, author.Domain)
			if err != nil || d == nil {
				return errors.Join(err, fmt.Errorf("%s is not a domain of this server", author.Domain))
			}
			p.Source = *e.Text
			p.Content, p.Mentions, p.Hashtags = in.renderLocal(ctx, author, d, *e.Text)
		}
		if e.MediaIDs != nil {
			if err := in.checkMedia(ctx, tx, author.ID, p.ID, *e.MediaIDs); err != nil {
				return err
			}
			if err := store.DetachFromPost(ctx, tx, p.ID, *e.MediaIDs); err != nil {
				return err
			}
			if err := in.attachMedia(ctx, tx, &p, *e.MediaIDs); err != nil {
				return err
			}
		}
		if err := in.editQuotePolicy(ctx, tx, &p, e.QuotePolicy); err != nil {
			return err
		}
		now := time.Now()
		p.Edited = &now
		if err := store.SavePostEdit(ctx, tx, old, &p); err != nil {
			return err
		}
		if err := in.linkLocalEmoji(ctx, tx, &p); err != nil {
			return err
		}
		// A post not fanned out yet goes out once, as edited; otherwise
		// the edit is fanned out as an Update.
		next := PostEdited
		if old.State == PostNew {
			next = PostNew
		}
		if _, err := in.graphs().posts.Move(ctx, tx, int64(p.ID), next); err != nil {
			return err
		}
		p.State = next
		out = &p
		return nil
	})
	return out, err
}

// DeletePost deletes one of author's posts: it leaves timelines here at
// once and a Delete goes to those who received it.
func (in *Instance) DeletePost(ctx context.Context, author *model.Identity, id model.ID) error {
	p, err := store.PostByID(ctx, in.DB, id)
	if err != nil {
		return err
	}
	if p == nil || p.Deleted != nil {
		return ErrPostNotFound
	}
	if p.AuthorID != author.ID || !p.Local {
		return ErrNotPostOwner
	}
	return in.markDeleted(ctx, p)
}

// markDeleted marks a post deleted, takes it off timelines here and hands
// the rest to the post graph.
func (in *Instance) markDeleted(ctx context.Context, p *model.Post) error {
	return pgx.BeginFunc(ctx, in.DB, func(tx pgx.Tx) error {
		if ok, err := store.MarkPostDeleted(ctx, tx, p.ID); err != nil || !ok {
			return err
		}
		if err := store.RemovePostEvents(ctx, tx, p.ID); err != nil {
			return err
		}
		_, err := in.graphs().posts.Move(ctx, tx, int64(p.ID), PostDeleted)
		return err
	})
}
