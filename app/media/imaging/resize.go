package imaging

import (
	"image"
	"math"

	"golang.org/x/image/draw"
)

// Resizing strategy.
//
// Large reductions use areaShrink: an exact area-averaging (box) filter
// that works directly on the decoder's planes (Y, Cb, Cr at their own
// subsampled sizes, or interleaved RGBA) in one pass with a single row of
// accumulators. It never converts a full-size YCbCr image to RGBA, it is
// alias-free at any ratio, and its cost is one multiply-add per source
// sample.
//
// Final thumbnail and crop sizes are reached with x/image/draw's CatmullRom.
// When the reduction exceeds 2×, the source is first area-shrunk to 1.5×
// the target. CatmullRom then adds sharpness the box filter lacks, while
// its cost and its temporary buffer (dst width × src height × 32 bytes,
// 15 MB for a 640×480 thumbnail) stay small.

// plane is one 8-bit sample array: a single channel (bpp 1) or interleaved
// RGBA (bpp 4).
type plane struct {
	pix    []byte
	stride int
	w, h   int
	bpp    int
}

// row returns the samples of row y.
func (p plane) row(y int) []byte { return p.pix[y*p.stride:][:p.w*p.bpp] }

// weightBits is the fixed-point precision of the filter weights.
const weightBits = 14

// weights maps each destination index to a run of source indices.
type weights struct {
	start, n []int    // first source index and run length, per destination
	w        []uint32 // concatenated runs; each run sums to 1<<weightBits
}

// boxWeights computes area-averaging weights for reducing sn samples to dn.
// Destination i covers the source interval [i·sn/dn, (i+1)·sn/dn); each
// source sample is weighted by its overlap with that interval.
func boxWeights(sn, dn int) weights {
	ws := weights{start: make([]int, dn), n: make([]int, dn), w: make([]uint32, 0, sn+dn)}
	S, D := int64(sn), int64(dn)
	for i := range dn {
		lo, hi := int64(i)*S, int64(i+1)*S // in units of 1/dn source samples
		j0, j1 := lo/D, (hi+D-1)/D
		first, big := len(ws.w), len(ws.w)
		sum := int64(0)
		for j := j0; j < j1; j++ {
			o := min((j+1)*D, hi) - max(j*D, lo)
			w := (o<<weightBits + S/2) / S
			ws.w = append(ws.w, uint32(w))
			sum += w
			if uint32(w) > ws.w[big] {
				big = len(ws.w) - 1
			}
		}
		ws.w[big] = uint32(int64(ws.w[big]) + 1<<weightBits - sum) // exact unity gain
		ws.start[i], ws.n[i] = int(j0), len(ws.w)-first
	}
	return ws
}

// areaShrink box-filters src into dst; dst must not be larger than src in
// either dimension and both must have the same bpp. With premul, src is
// non-premultiplied RGBA (bpp 4) and dst receives premultiplied RGBA, the
// colour weighted by alpha as it is accumulated; this spares a full-size
// premultiplied copy of a large transparent PNG.
func areaShrink(dst, src plane, premul bool) {
	xw, yw := boxWeights(src.w, dst.w), boxWeights(src.h, dst.h)
	bpp := src.bpp
	acc := make([]uint32, src.w*bpp) // weighted vertical sums for one output row
	// Each pass has unity gain in weightBits fixed point; premul multiplies
	// every channel by an 8-bit alpha (or by 255 for alpha itself) too.
	// Sums stay below 255·255·2^28 < 2^44.
	const shift = 2 * weightBits
	norm := uint64(1) << shift
	if premul {
		norm *= 255
	}
	wi := 0
	for y := range dst.h {
		clear(acc)
		for k := range yw.n[y] {
			wy := yw.w[wi+k]
			if wy == 0 {
				continue
			}
			s := src.row(yw.start[y] + k)
			a := acc[:len(s)]
			if premul {
				for i := 0; i+3 < len(s); i += 4 {
					wa := wy * uint32(s[i+3])
					a[i+0] += uint32(s[i+0]) * wa
					a[i+1] += uint32(s[i+1]) * wa
					a[i+2] += uint32(s[i+2]) * wa
					a[i+3] += 255 * wa
				}
				continue
			}
			for i, v := range s {
				a[i] += uint32(v) * wy
			}
		}
		wi += yw.n[y]
		out := dst.row(y)
		xi := 0
		for x := range dst.w {
			run := xw.w[xi : xi+xw.n[x]]
			xi += len(run)
			j := xw.start[x] * bpp
			if bpp == 1 {
				a := acc[j : j+len(run)]
				var s uint64
				for k, w := range run {
					s += uint64(a[k]) * uint64(w)
				}
				out[x] = uint8((s + norm/2) >> shift)
				continue
			}
			for c := range bpp {
				var s uint64
				for k, w := range run {
					s += uint64(acc[j+k*bpp+c]) * uint64(w)
				}
				if premul {
					out[x*bpp+c] = uint8((s + norm/2) / norm)
				} else {
					out[x*bpp+c] = uint8((s + norm/2) >> shift)
				}
			}
		}
	}
}

// shrinkImage area-averages img to exactly dw×dh (no larger than img). A
// YCbCr image stays YCbCr with the same subsampling and Gray stays Gray;
// anything else becomes premultiplied RGBA. The result is at the origin.
func shrinkImage(img image.Image, dw, dh int) image.Image {
	switch m := img.(type) {
	case *image.YCbCr:
		out := image.NewYCbCr(image.Rect(0, 0, dw, dh), m.SubsampleRatio)
		oc := chromaRect(out.Rect, out.SubsampleRatio)
		areaShrink(plane{out.Y, out.YStride, dw, dh, 1}, lumaPlane(m), false)
		cb, cr := chromaPlanes(m)
		areaShrink(plane{out.Cb, out.CStride, oc.Dx(), oc.Dy(), 1}, cb, false)
		areaShrink(plane{out.Cr, out.CStride, oc.Dx(), oc.Dy(), 1}, cr, false)
		return out
	case *image.Gray:
		out := image.NewGray(image.Rect(0, 0, dw, dh))
		areaShrink(plane{out.Pix, out.Stride, dw, dh, 1}, pixPlane(m.Pix, m.Stride, m.Rect, m.PixOffset, 1), false)
		return out
	case *image.NRGBA:
		if !m.Opaque() { // opaque NRGBA has RGBA's bytes: toRGBA shares them
			out := image.NewRGBA(image.Rect(0, 0, dw, dh))
			areaShrink(plane{out.Pix, out.Stride, dw, dh, 4}, pixPlane(m.Pix, m.Stride, m.Rect, m.PixOffset, 4), true)
			return out
		}
	}
	m := toRGBA(img)
	out := image.NewRGBA(image.Rect(0, 0, dw, dh))
	areaShrink(plane{out.Pix, out.Stride, dw, dh, 4}, pixPlane(m.Pix, m.Stride, m.Rect, m.PixOffset, 4), false)
	return out
}

// pixPlane describes the pixels of a packed image type.
func pixPlane(pix []byte, stride int, r image.Rectangle, offset func(x, y int) int, bpp int) plane {
	return plane{pix[offset(r.Min.X, r.Min.Y):], stride, r.Dx(), r.Dy(), bpp}
}

func lumaPlane(m *image.YCbCr) plane {
	return plane{m.Y[m.YOffset(m.Rect.Min.X, m.Rect.Min.Y):], m.YStride, m.Rect.Dx(), m.Rect.Dy(), 1}
}

func chromaPlanes(m *image.YCbCr) (cb, cr plane) {
	c := chromaRect(m.Rect, m.SubsampleRatio)
	o := m.COffset(m.Rect.Min.X, m.Rect.Min.Y)
	return plane{m.Cb[o:], m.CStride, c.Dx(), c.Dy(), 1}, plane{m.Cr[o:], m.CStride, c.Dx(), c.Dy(), 1}
}

// chromaRect returns the chroma sample rectangle covering luma rectangle r,
// with the same rounding as image.NewYCbCr.
func chromaRect(r image.Rectangle, ratio image.YCbCrSubsampleRatio) image.Rectangle {
	hs, vs := 1, 1
	switch ratio {
	case image.YCbCrSubsampleRatio422:
		hs = 2
	case image.YCbCrSubsampleRatio420:
		hs, vs = 2, 2
	case image.YCbCrSubsampleRatio440:
		vs = 2
	case image.YCbCrSubsampleRatio411:
		hs = 4
	case image.YCbCrSubsampleRatio410:
		hs, vs = 4, 2
	}
	return image.Rect(r.Min.X/hs, r.Min.Y/vs, (r.Max.X+hs-1)/hs, (r.Max.Y+vs-1)/vs)
}

// scaleTo resamples the sr part of img to exactly dw×dh (up or down),
// returning premultiplied RGBA.
func scaleTo(img image.Image, sr image.Rectangle, dw, dh int) *image.RGBA {
	if sr.Dx() > 2*dw || sr.Dy() > 2*dh {
		pw, ph := min(sr.Dx(), (3*dw+1)/2), min(sr.Dy(), (3*dh+1)/2)
		img = shrinkImage(subImage(img, sr), pw, ph)
		sr = img.Bounds()
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	draw.CatmullRom.Scale(dst, dst.Rect, img, sr, draw.Src, nil)
	return dst
}

// subImage returns the r part of img, sharing pixels.
func subImage(img image.Image, r image.Rectangle) image.Image {
	if img.Bounds() == r {
		return img
	}
	if s, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	}); ok {
		return s.SubImage(r)
	}
	return toRGBA(img).SubImage(r)
}

// fitPixels returns the largest size with the aspect ratio of w×h whose
// area is at most limit (w×h itself when it already fits).
func fitPixels(w, h int, limit int64) (int, int) {
	if int64(w)*int64(h) <= limit {
		return w, h
	}
	s := math.Sqrt(float64(limit) / (float64(w) * float64(h)))
	nw, nh := max(1, int(float64(w)*s)), max(1, int(float64(h)*s))
	// A side clamped to 1 (a sliver) leaves the whole budget to the other.
	if nh == 1 {
		nw = int(min(int64(nw), limit))
	}
	if nw == 1 {
		nh = int(min(int64(nh), limit))
	}
	// Floating-point rounding may leave the area a hair over the limit.
	for int64(nw)*int64(nh) > limit {
		if nw*h > nh*w {
			nw--
		} else {
			nh--
		}
	}
	return nw, nh
}

// fitBox scales w×h down (never up) so that neither side exceeds box.
func fitBox(w, h, box int) (int, int) {
	if w <= box && h <= box {
		return w, h
	}
	if w >= h {
		return box, max(1, int((int64(h)*int64(box)+int64(w)/2)/int64(w)))
	}
	return max(1, int((int64(w)*int64(box)+int64(h)/2)/int64(h))), box
}
