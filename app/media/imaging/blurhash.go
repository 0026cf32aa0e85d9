package imaging

import (
	"image"

	"github.com/buckket/go-blurhash"
)

// Blurhash parameters: 4×3 components give a 28-character hash. The hash
// is computed from a copy at most blurhashSize pixels on its long side:
// the result is visually identical and the cost is negligible.
const (
	BlurhashX    = 4
	BlurhashY    = 3
	blurhashSize = 64
)

// blurhashOf encodes img (already thumbnail-sized) as a blurhash.
// Transparent areas count as black, as in the premultiplied source.
func blurhashOf(img image.Image) (string, error) {
	b := img.Bounds()
	w, h := fitBox(b.Dx(), b.Dy(), blurhashSize)
	small := shrinkImage(img, w, h) // at the origin, as the encoder assumes
	hash, err := blurhash.Encode(BlurhashX, BlurhashY, small)
	if err != nil {
		return "", wrapf(ErrCorrupt, "blurhash: %v", err)
	}
	return hash, nil
}
