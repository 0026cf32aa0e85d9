package imaging

import (
	"image"
	"image/color"
	"testing"
)

func TestAreaShrink(t *testing.T) {
	// Unity gain: every run of weights sums to exactly one.
	for _, c := range [][2]int{{4000, 640}, {7, 3}, {5, 5}, {1000, 999}, {3, 1}} {
		ws := boxWeights(c[0], c[1])
		i := 0
		for x := range c[1] {
			sum := uint32(0)
			for _, w := range ws.w[i : i+ws.n[x]] {
				sum += w
			}
			i += ws.n[x]
			if sum != 1<<weightBits {
				t.Errorf("%d→%d: run %d sums to %d", c[0], c[1], x, sum)
			}
		}
	}
	// A 3→1 shrink of 0, 30, 60 averages to 30; 255s stay 255.
	src := plane{pix: []byte{0, 30, 60, 255, 255, 255}, stride: 3, w: 3, h: 2, bpp: 1}
	dst := plane{pix: make([]byte, 2), stride: 1, w: 1, h: 2, bpp: 1}
	areaShrink(dst, src, false)
	if dst.pix[0] != 30 || dst.pix[1] != 255 {
		t.Errorf("got %v, want [30 255]", dst.pix)
	}
}

func TestFit(t *testing.T) {
	if w, h := fitPixels(4000, 3000, DefaultResizePixels); w != 4000 || h != 3000 {
		t.Errorf("12 MP resized to %d×%d", w, h)
	}
	if w, h := fitPixels(8000, 6000, DefaultResizePixels); int64(w)*int64(h) > DefaultResizePixels || w < 4720 || h < 3540 {
		t.Errorf("48 MP → %d×%d", w, h)
	}
	if w, h := fitPixels(100000, 1, 1000); w != 1000 || h != 1 {
		t.Errorf("sliver → %d×%d", w, h)
	}
	if w, h := fitBox(4000, 3000, 640); w != 640 || h != 480 {
		t.Errorf("fitBox → %d×%d", w, h)
	}
	if w, h := fitBox(10, 5000, 640); w != 1 || h != 640 {
		t.Errorf("fitBox sliver → %d×%d", w, h)
	}
}

// TestShrinkPremultiplies: the colour of fully transparent pixels must not
// bleed into their neighbours when a transparent image is reduced.
func TestShrinkPremultiplies(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 2, 1))
	src.SetNRGBA(0, 0, color.NRGBA{255, 0, 0, 255}) // opaque red
	src.SetNRGBA(1, 0, color.NRGBA{0, 255, 0, 0})   // invisible green
	got := shrinkImage(src, 1, 1).(*image.RGBA).RGBAAt(0, 0)
	if got != (color.RGBA{128, 0, 0, 128}) {
		t.Errorf("got %v, want premultiplied half-transparent red {128 0 0 128}", got)
	}
}

// refOrient is a deliberately naive implementation of the EXIF orientation
// table, pixel by pixel through At and Set, to check the plane code.
func refOrient(src image.Image, o int) *image.RGBA64 {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA64(image.Rect(0, 0, dw, dh))
	for y := range dh {
		for x := range dw {
			var sx, sy int
			switch o {
			case 1:
				sx, sy = x, y
			case 2:
				sx, sy = w-1-x, y
			case 3:
				sx, sy = w-1-x, h-1-y
			case 4:
				sx, sy = x, h-1-y
			case 5:
				sx, sy = y, x
			case 6:
				sx, sy = y, h-1-x
			case 7:
				sx, sy = w-1-y, h-1-x
			case 8:
				sx, sy = w-1-y, x
			}
			dst.Set(x, y, src.At(b.Min.X+sx, b.Min.Y+sy))
		}
	}
	return dst
}

func TestOrientPixelTypes(t *testing.T) {
	const w, h = 7, 5 // odd sizes exercise the chroma rounding
	gray := image.NewGray(image.Rect(0, 0, w, h))
	nrgba := image.NewNRGBA(image.Rect(0, 0, w, h))
	ycc := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio444)
	for i := range w * h {
		gray.Pix[i] = uint8(i * 5)
		ycc.Y[i], ycc.Cb[i], ycc.Cr[i] = uint8(i*5), uint8(255-i*3), uint8(i*2)
		copy(nrgba.Pix[4*i:], []byte{uint8(i), uint8(i * 2), uint8(i * 3), uint8(i * 4)})
	}
	// A sub-image checks that offsets and strides are honoured.
	big := quadrants(20, 20)
	sub := big.SubImage(image.Rect(3, 4, 3+w, 4+h)).(*image.RGBA)
	for i := range sub.Pix {
		sub.Pix[i] = uint8(i * 7)
	}
	for name, src := range map[string]image.Image{"gray": gray, "nrgba": nrgba, "ycbcr444": ycc, "rgba sub-image": sub} {
		for o := 1; o <= 8; o++ {
			got, want := orient(src, o), refOrient(src, o)
			gb := got.Bounds() // orientation 1 returns src as it is
			if gb.Size() != want.Rect.Size() {
				t.Fatalf("%s orientation %d: bounds %v, want %v", name, o, gb, want.Rect)
			}
			for y := range want.Rect.Dy() {
				for x := range want.Rect.Dx() {
					if g, w := color.RGBA64Model.Convert(got.At(gb.Min.X+x, gb.Min.Y+y)), want.At(x, y); g != w {
						t.Fatalf("%s orientation %d: (%d,%d) = %v, want %v", name, o, x, y, g, w)
					}
				}
			}
		}
	}
	// 4:2:2 becomes 4:4:0 when transposed, and stays a valid YCbCr image.
	y422 := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio422)
	for _, o := range []int{5, 6, 7, 8} {
		got := orient(y422, o).(*image.YCbCr)
		want := image.NewYCbCr(image.Rect(0, 0, h, w), image.YCbCrSubsampleRatio440)
		if got.SubsampleRatio != want.SubsampleRatio || got.CStride != want.CStride || len(got.Cb) != len(want.Cb) {
			t.Errorf("422 orientation %d: ratio %v stride %d len %d", o, got.SubsampleRatio, got.CStride, len(got.Cb))
		}
	}
}
