package storage

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"path"
	"strings"
)

// maxKeyLen keeps keys well inside S3's 1024-byte limit and any file
// system's path limits.
const maxKeyLen = 512

// Key returns the content-addressed key for a file whose SHA-256 is sum:
// prefix/ab/cd/<hex of sum><ext>, e.g. "attachments/ab/cd/abcd….jpg".
// prefix may be empty; ext is lower-cased and given a leading dot if it
// lacks one. Key panics if sum is not 32 bytes long (a programming error).
// The result is valid only if prefix and ext use ValidKey's characters.
func Key(prefix string, sum []byte, ext string) string {
	if len(sum) != sha256.Size {
		panic(fmt.Sprintf("storage.Key: sum is %d bytes, want %d", len(sum), sha256.Size))
	}
	h := hex.EncodeToString(sum)
	ext = strings.ToLower(ext)
	if ext != "" && !strings.HasPrefix(ext, ".") {
		ext = "." + ext
	}
	k := h[0:2] + "/" + h[2:4] + "/" + h + ext
	if p := strings.Trim(prefix, "/"); p != "" {
		k = p + "/" + k
	}
	return k
}

// KeyOf is Key for data held in memory.
func KeyOf(prefix string, data []byte, ext string) string {
	sum := sha256.Sum256(data)
	return Key(prefix, sum[:], ext)
}

// ValidKey reports whether key is acceptable to the backends: non-empty,
// at most 512 bytes of [a-z0-9/._-], relative, with no empty segment, no
// ".." anywhere and no segment starting with a dot. Dot segments are
// refused as a whole because Local writes its temporary files as dot files
// beside the final one; no key can name one.
func ValidKey(key string) bool {
	if key == "" || len(key) > maxKeyLen || strings.Contains(key, "..") {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '/' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	for seg := range strings.SplitSeq(key, "/") {
		if seg == "" || seg[0] == '.' {
			return false
		}
	}
	return true
}

func checkKey(key string) error {
	if !ValidKey(key) {
		return fmt.Errorf("%w: %q", ErrInvalidKey, key)
	}
	return nil
}

// Media types by extension. Only types Pukeko stores are listed; anything
// else is application/octet-stream and so is served as a download. SVG is
// deliberately absent: it can carry script.
var extTypes = map[string]string{
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".png":  "image/png",
	".gif":  "image/gif",
	".webp": "image/webp",
	".avif": "image/avif",
	".heic": "image/heic",
	".mp4":  "video/mp4",
	".m4v":  "video/mp4",
	".webm": "video/webm",
	".mov":  "video/quicktime",
	".ogv":  "video/ogg",
	".mp3":  "audio/mpeg",
	".ogg":  "audio/ogg",
	".oga":  "audio/ogg",
	".opus": "audio/opus",
	".m4a":  "audio/mp4",
	".wav":  "audio/wav",
	".flac": "audio/flac",
	".aac":  "audio/aac",
	".bin":  "application/octet-stream",
}

// typeExts is the preferred extension of each type, plus common aliases.
var typeExts = map[string]string{
	"image/jpeg":               ".jpg",
	"image/jpg":                ".jpg",
	"image/pjpeg":              ".jpg",
	"image/png":                ".png",
	"image/gif":                ".gif",
	"image/webp":               ".webp",
	"image/avif":               ".avif",
	"image/heic":               ".heic",
	"video/mp4":                ".mp4",
	"video/webm":               ".webm",
	"video/quicktime":          ".mov",
	"video/ogg":                ".ogv",
	"audio/mpeg":               ".mp3",
	"audio/mp3":                ".mp3",
	"audio/ogg":                ".ogg",
	"audio/opus":               ".opus",
	"audio/mp4":                ".m4a",
	"audio/x-m4a":              ".m4a",
	"audio/wav":                ".wav",
	"audio/wave":               ".wav",
	"audio/x-wav":              ".wav",
	"audio/flac":               ".flac",
	"audio/x-flac":             ".flac",
	"audio/aac":                ".aac",
	"application/octet-stream": ".bin",
}

// ContentType is the media type of the file stored under key, from its
// extension; unknown extensions give "application/octet-stream".
func ContentType(key string) string {
	if t, ok := extTypes[path.Ext(key)]; ok {
		return t
	}
	return "application/octet-stream"
}

// Ext is the extension (with its dot) to give a file of contentType so
// that ContentType of its key returns that type; parameters such as
// "; charset=…" are ignored. Unknown types get ".bin".
func Ext(contentType string) string {
	if ext, ok := typeExts[baseType(contentType)]; ok {
		return ext
	}
	return ".bin"
}

// baseType is contentType lower-cased and without parameters, or "" if it
// does not parse.
func baseType(contentType string) string {
	t, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return t
}

// putType checks a Put's key and declared content type and returns the
// type to store: the key's. A declared type must agree with the extension
// (aliases such as image/jpg are fine), so that both backends report the
// same type on Open.
func putType(key, contentType string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	t := ContentType(key)
	if contentType == "" {
		return t, nil
	}
	if ext, ok := typeExts[baseType(contentType)]; !ok || extTypes[ext] != t {
		return "", fmt.Errorf("storage: content type %q does not match key %q (its extension means %s; use Ext to pick one)",
			contentType, key, t)
	}
	return t, nil
}
