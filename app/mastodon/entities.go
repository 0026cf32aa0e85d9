package mastodon

// The entities of the client API, field for field as Mastodon renders
// them (null where Mastodon sends null: pointer and any fields).

// Account is Mastodon's Account.
type Account struct {
	ID             string        `json:"id"`
	Username       string        `json:"username"`
	Acct           string        `json:"acct"`
	URL            string        `json:"url"`
	URI            string        `json:"uri"`
	DisplayName    string        `json:"display_name"`
	Note           string        `json:"note"`
	Avatar         string        `json:"avatar"`
	AvatarStatic   string        `json:"avatar_static"`
	Header         string        `json:"header"`
	HeaderStatic   string        `json:"header_static"`
	Locked         bool          `json:"locked"`
	Fields         []Field       `json:"fields"`
	Emojis         []CustomEmoji `json:"emojis"`
	Bot            bool          `json:"bot"`
	Group          bool          `json:"group"`
	Discoverable   *bool         `json:"discoverable"`
	Indexable      bool          `json:"indexable"`
	HideCollection *bool         `json:"hide_collections"`
	Noindex        *bool         `json:"noindex,omitempty"`
	Suspended      bool          `json:"suspended,omitempty"`
	Limited        bool          `json:"limited,omitempty"`
	CreatedAt      string        `json:"created_at"`
	LastStatusAt   *string       `json:"last_status_at"`
	StatusesCount  int           `json:"statuses_count"`
	FollowersCount int           `json:"followers_count"`
	FollowingCount int           `json:"following_count"`
	Moved          *Account      `json:"moved,omitempty"`
	Roles          []any         `json:"roles"`
	// CredentialAccount only.
	Source *AccountSource `json:"source,omitempty"`
	Role   *Role          `json:"role,omitempty"`
}

// Field is a profile field.
type Field struct {
	Name       string  `json:"name"`
	Value      string  `json:"value"`
	VerifiedAt *string `json:"verified_at"`
}

// AccountSource is what the owner typed, for editing.
type AccountSource struct {
	Privacy             string   `json:"privacy"`
	Sensitive           bool     `json:"sensitive"`
	Language            *string  `json:"language"` // null until chosen
	Note                string   `json:"note"`
	Fields              []Field  `json:"fields"`
	FollowRequestsCount int      `json:"follow_requests_count"`
	HideCollections     bool     `json:"hide_collections"`
	Discoverable        bool     `json:"discoverable"`
	Indexable           bool     `json:"indexable"`
	AttributionDomains  []string `json:"attribution_domains"`
}

// Role is a user's role.
type Role struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Color       string `json:"color"`
	Permissions string `json:"permissions"`
	Highlighted bool   `json:"highlighted"`
}

// CustomEmoji is an emoji of a post, an account or the server.
type CustomEmoji struct {
	Shortcode       string  `json:"shortcode"`
	URL             string  `json:"url"`
	StaticURL       string  `json:"static_url"`
	VisibleInPicker bool    `json:"visible_in_picker"`
	Category        *string `json:"category"`
}

// Status is Mastodon's Status.
type Status struct {
	ID                 string            `json:"id"`
	URI                string            `json:"uri"`
	URL                *string           `json:"url"`
	CreatedAt          string            `json:"created_at"`
	EditedAt           *string           `json:"edited_at"`
	Account            *Account          `json:"account"`
	Content            string            `json:"content"`
	Visibility         string            `json:"visibility"`
	Sensitive          bool              `json:"sensitive"`
	SpoilerText        string            `json:"spoiler_text"`
	MediaAttachments   []MediaAttachment `json:"media_attachments"`
	Application        *Application      `json:"application"`
	Mentions           []Mention         `json:"mentions"`
	Tags               []Tag             `json:"tags"`
	Emojis             []CustomEmoji     `json:"emojis"`
	ReblogsCount       int               `json:"reblogs_count"`
	FavouritesCount    int               `json:"favourites_count"`
	RepliesCount       int               `json:"replies_count"`
	QuotesCount        int               `json:"quotes_count"`
	InReplyToID        *string           `json:"in_reply_to_id"`
	InReplyToAccountID *string           `json:"in_reply_to_account_id"`
	Reblog             *Status           `json:"reblog"`
	Poll               *Poll             `json:"poll"`
	Card               any               `json:"card"`
	Language           *string           `json:"language"`
	Text               *string           `json:"text,omitempty"`
	Favourited         *bool             `json:"favourited,omitempty"`
	Reblogged          *bool             `json:"reblogged,omitempty"`
	Muted              *bool             `json:"muted,omitempty"`
	Bookmarked         *bool             `json:"bookmarked,omitempty"`
	Pinned             *bool             `json:"pinned,omitempty"`
	Filtered           []any             `json:"filtered,omitzero"`
	Quote              any               `json:"quote"` // *Quote, *ShallowQuote inside a quote, or null (render_quote.go)
	QuoteApproval      *QuoteApproval    `json:"quote_approval"`
}

// Application is the app a status was posted with.
type Application struct {
	Name    string  `json:"name"`
	Website *string `json:"website"`
}

// Mention is an account a status mentions.
type Mention struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	URL      string `json:"url"`
	Acct     string `json:"acct"`
}

// Tag is a hashtag (in a status: name and url; elsewhere with history).
type Tag struct {
	Name      string       `json:"name"`
	URL       string       `json:"url"`
	History   []TagHistory `json:"history,omitempty"`
	Following *bool        `json:"following,omitempty"`
	ID        string       `json:"id,omitempty"`
}

// TagHistory is one day of a hashtag's use.
type TagHistory struct {
	Day      string `json:"day"`
	Uses     string `json:"uses"`
	Accounts string `json:"accounts"`
}

// MediaAttachment is Mastodon's MediaAttachment.
type MediaAttachment struct {
	ID               string  `json:"id"`
	Type             string  `json:"type"`
	URL              *string `json:"url"`
	PreviewURL       *string `json:"preview_url"`
	RemoteURL        *string `json:"remote_url"`
	PreviewRemoteURL *string `json:"preview_remote_url"`
	TextURL          *string `json:"text_url"`
	Meta             any     `json:"meta"`
	Description      *string `json:"description"`
	Blurhash         *string `json:"blurhash"`
}

// Poll is Mastodon's Poll.
type Poll struct {
	ID          string        `json:"id"`
	ExpiresAt   *string       `json:"expires_at"`
	Expired     bool          `json:"expired"`
	Multiple    bool          `json:"multiple"`
	VotesCount  int           `json:"votes_count"`
	VotersCount *int          `json:"voters_count"`
	Options     []PollOption  `json:"options"`
	Emojis      []CustomEmoji `json:"emojis"`
	Voted       *bool         `json:"voted,omitempty"`
	OwnVotes    []int         `json:"own_votes,omitzero"`
}

// PollOption is one option of a poll; votes_count is null while totals
// are hidden.
type PollOption struct {
	Title      string `json:"title"`
	VotesCount *int   `json:"votes_count"`
}
