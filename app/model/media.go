package model

import "time"

// Attachment kinds, as Mastodon names them.
const (
	MediaImage   = "image"
	MediaGifv    = "gifv" // animated GIF (Mastodon converts to video; we keep the GIF)
	MediaVideo   = "video"
	MediaAudio   = "audio"
	MediaUnknown = "unknown"
)

// Attachment is a media attachment: an upload of ours (Local, with the
// storage keys of its files) or one of a remote post (RemoteURL). PostID
// is 0 until a post takes the upload. Its State is a state of the
// attachments graph (app/media).
type Attachment struct {
	ID              ID
	OwnerID         ID
	PostID          ID
	Position        int
	Local           bool
	Kind            string
	ContentType     string
	RemoteURL       string
	FileKey         string
	ThumbnailKey    string
	UploadKey       string // the upload as received, until processed
	FileSize        int64
	Width           int
	Height          int
	ThumbnailWidth  int
	ThumbnailHeight int
	Duration        float64 // seconds, audio and video
	Blurhash        string
	FocusX          float64 // -1 (left) .. 1 (right)
	FocusY          float64 // -1 (bottom) .. 1 (top)
	Description     string
	Created         time.Time
	Updated         time.Time
	State           string
}

// RemoteMedia is a remote file in the media cache: cached (FileKey set)
// or proxied from its URL until Stator caches it.
type RemoteMedia struct {
	ID          ID
	URL         string
	FileKey     string
	ContentType string
	Size        int64
	LastAccess  time.Time
	State       string
}
