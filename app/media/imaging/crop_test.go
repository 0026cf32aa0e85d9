package imaging

import (
	"image"
	"image/color"
	"testing"
)

func TestCrop(t *testing.T) {
	base := mustJPEG(t, quadrants(640, 320), 92)
	tests := []struct {
		name   string
		data   []byte
		w, h   int
		mime   string
		tl, tr color.RGBA
	}{
		{"avatar from landscape", base, 400, 400, MimeJPEG, red, green},
		{"header upscaled", base, 1500, 500, MimeJPEG, red, green},
		{"avatar orientation 6", withExif(base, 6), 400, 400, MimeJPEG, blue, red},
		{"header orientation 8", withExif(base, 8), 1500, 500, MimeJPEG, green, white},
		{"transparent png", mustPNG(t, image.NewNRGBA(image.Rect(0, 0, 10, 10))), 400, 400, MimePNG, color.RGBA{}, color.RGBA{}},
	}
	for _, tt := range tests {
		out, mime, err := Crop(tt.data, tt.w, tt.h, Options{})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if mime != tt.mime {
			t.Errorf("%s: mime %s", tt.name, mime)
		}
		img := decodeAs(t, out, mime)
		if b := img.Bounds(); b.Dx() != tt.w || b.Dy() != tt.h {
			t.Errorf("%s: %v, want %d×%d", tt.name, b, tt.w, tt.h)
		}
		if mime == MimeJPEG {
			assertNoJPEGMetadata(t, out)
			tl, tr := nearest(img.At(tt.w/8, tt.h/8)), nearest(img.At(tt.w-tt.w/8, tt.h/8))
			if tl != tt.tl || tr != tt.tr {
				t.Errorf("%s: top row %v %v, want %v %v", tt.name, tl, tr, tt.tl, tt.tr)
			}
		}
	}
	if _, _, err := Crop(base, 0, 400, Options{}); err == nil {
		t.Error("zero width accepted")
	}
}
