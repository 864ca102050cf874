package triage

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/havenproject/haven/internal/ingest"
	"github.com/havenproject/haven/internal/media"
	"github.com/havenproject/haven/internal/media/exif"
	"github.com/havenproject/haven/pdq"
)

// ThumbSize is the longest side of a thumbnail, in pixels.
const ThumbSize = 160

// analyzer describes one file: digests, type, PDQ or vPDQ, EXIF, thumbnail
// or stills, matches.
type analyzer struct {
	m        *Matcher
	limits   media.Limits
	thumbDir string // absolute; "" for no thumbnails
	stages   *Stages
	video    VideoOptions
	dups     *dupCache // nil: every file is described on its own
	counters *Counters
}

// containerFile records a walk problem (a limit, a damaged archive) or an
// archive, whose members follow it in the walk.
func containerFile(it *ingest.Item) File {
	if it.Err != nil {
		return File{Path: it.Path, Size: it.Size, Type: "problem", Verdict: Unreadable, Why: it.Err.Error(), Problem: true}
	}
	return File{Path: it.Path, Size: it.Size, Type: string(it.Format) + " archive", Verdict: NotMedia,
		Why: "archive: its members are listed as files of their own"}
}

// item describes one file; the error is reserved for failures of the run
// itself (ctx, the store), not of the file.
func (a *analyzer) item(ctx context.Context, it *ingest.Item) (File, error) {
	maxBytes := a.limits.MaxBytes
	if maxBytes <= 0 {
		maxBytes = media.DefaultMaxBytes
	}
	var f File
	var dih *pdq.Dihedral
	var dec *media.Decoded
	if it.Size > maxBytes {
		f = a.stream(it, maxBytes)
	} else {
		t := time.Now()
		data, err := it.ReadAll()
		a.stages.add(StageRead, t)
		if err != nil {
			return File{Path: it.Path, Size: it.Size, Verdict: Unreadable, Why: fmt.Sprintf("read: %v", err)}, nil
		}
		f, dih, dec = a.bytes(ctx, it.Path, data)
	}
	if err := ctx.Err(); err != nil {
		return f, err
	}
	if f.Verdict != "" { // not media, unreadable image, empty
		return f, nil
	}
	var vidErr error
	if f.Video && !a.video.Off {
		vidErr = a.hashVideo(ctx, it, &f)
		if ctx.Err() != nil {
			return f, ctx.Err()
		}
	}
	t := time.Now()
	hits, err := a.m.Lookup(ctx, &f, dih)
	a.stages.add(StageMatch, t)
	if err != nil {
		return f, err
	}
	f.Matches, f.Verdict = hits, verdict(hits)
	switch {
	case vidErr != nil && len(hits) == 0:
		f.Verdict, f.Why = Unreadable, vidErr.Error()
	case vidErr != nil:
		f.Why = vidErr.Error() // known by its digest all the same
	case f.Type != "" && !f.Video && dec == nil && len(hits) == 0:
		f.Verdict, f.Why = Unreadable, fmt.Sprintf("image larger than the %d-byte decode budget", maxBytes)
	}
	if dec != nil {
		t := time.Now()
		f.Thumb = a.thumbnail(dec, f.SHA256)
		a.stages.add(StageThumb, t)
	}
	return f, nil
}

// bytes describes data: digests, type, and for images the decoded pixels,
// PDQ, EXIF. It sets f.Verdict only when the file is settled without a
// look-up (not media, unreadable, empty).
func (a *analyzer) bytes(ctx context.Context, path string, data []byte) (File, *pdq.Dihedral, *media.Decoded) {
	f := File{Path: path, Size: int64(len(data))}
	t := time.Now()
	m, s1, s256 := md5.Sum(data), sha1.Sum(data), sha256.Sum256(data)
	f.MD5, f.SHA1, f.SHA256 = hex.EncodeToString(m[:]), hex.EncodeToString(s1[:]), hex.EncodeToString(s256[:])
	a.stages.add(StageHash, t)
	if prev := a.dups.get(f.SHA256); prev != nil {
		// The same bytes were described before: the same facts and matches.
		prev.Path = path
		if a.counters != nil {
			a.counters.Duplicates.Add(1)
		}
		return *prev, nil, nil
	}
	if len(data) == 0 {
		f.Type, f.Verdict, f.Why = "empty", Unreadable, "empty file (0 bytes): nothing to read"
		return f, nil, nil
	}
	head := data[:min(len(data), 4096)]
	format := media.Sniff(head)
	if format == "" {
		f.Type = media.SniffOther(head)
		if !strings.Contains(f.Type, "video") {
			f.Verdict, f.Why = NotMedia, "not an image or video"
			if f.Type == "" {
				f.Type = "unknown"
			}
		}
		f.Video = f.Verdict == ""
		return f, nil, nil
	}
	f.Type = string(format)
	t = time.Now()
	dec, err := media.DecodeForHash(ctx, data, a.limits, pdq.PreResizeDim)
	a.stages.add(StageDecode, t)
	if dec != nil {
		f.Width, f.Height = dec.Width, dec.Height
		f.EXIF = exifFacts(dec.EXIF)
	}
	if err != nil {
		f.Verdict, f.Why = Unreadable, err.Error()
		return f, nil, nil
	}
	t = time.Now()
	d, q := pdq.DihedralImage(dec.Image)
	a.stages.add(StageHash, t)
	f.PDQ, f.Quality = d[pdq.Original].String(), q
	return f, &d, dec
}

// stream describes a file too large to decode (a long video, a huge image)
// from its digests, reading it once in constant memory.
func (a *analyzer) stream(it *ingest.Item, maxBytes int64) File {
	f := File{Path: it.Path, Size: it.Size}
	t := time.Now()
	r, err := it.Open()
	if err != nil {
		f.Verdict, f.Why = Unreadable, fmt.Sprintf("open: %v", err)
		return f
	}
	defer r.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(r, head)
	head = head[:n]
	m, s1, s256 := md5.New(), sha1.New(), sha256.New()
	w := io.MultiWriter(m, s1, s256)
	w.Write(head)
	size, err := io.Copy(w, r)
	a.stages.add(StageHash, t)
	if err != nil {
		f.Verdict, f.Why = Unreadable, fmt.Sprintf("read: %v", err)
		return f
	}
	f.Size = size + int64(n)
	f.MD5, f.SHA1, f.SHA256 = hex.EncodeToString(m.Sum(nil)), hex.EncodeToString(s1.Sum(nil)), hex.EncodeToString(s256.Sum(nil))
	f.Type = string(media.Sniff(head))
	if f.Type == "" {
		f.Type = media.SniffOther(head)
		if !strings.Contains(f.Type, "video") {
			f.Verdict, f.Why = NotMedia, "not an image or video"
			return f
		}
		f.Video = true
	}
	return f
}

func exifFacts(d *exif.Data) *EXIF {
	if d == nil {
		return nil
	}
	e := &EXIF{Make: clean(d.Make), Model: clean(d.Model), Serial: clean(d.BodySerialNumber), Lens: clean(d.LensModel),
		Software: clean(d.Software), Orientation: d.Orientation, HasThumbnail: d.HasThumbnail}
	if t, zoned, ok := d.Taken(); ok {
		e.Taken, e.TakenZoned = &t, zoned
	}
	if d.GPS != nil {
		lat, lon := d.GPS.Latitude, d.GPS.Longitude
		e.Latitude, e.Longitude = &lat, &lon
	}
	return e
}

func clean(s string) string { return strings.TrimSpace(strings.TrimRight(s, "\x00")) }

// thumbnail writes a JPEG of at most ThumbSize pixels a side, named by the
// content's SHA-256 so duplicates share one file, and returns its path
// relative to the output directory ("" when it could not be written).
func (a *analyzer) thumbnail(dec *media.Decoded, sha string) string {
	if a.thumbDir == "" {
		return ""
	}
	rel := "thumbs/" + sha[:20] + ".jpg"
	abs := filepath.Join(a.thumbDir, sha[:20]+".jpg")
	if _, err := os.Stat(abs); err == nil {
		return rel
	}
	img := shrink(dec.Image, dec.Width, dec.Height)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 75}); err != nil {
		return ""
	}
	tmp := abs + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o600); err != nil {
		return ""
	}
	if err := os.Rename(tmp, abs); err != nil {
		return ""
	}
	return rel
}

// shrink averages 2×2 samples per output pixel of src (which may be
// pre-resized for hashing) to the aspect ratio of the stored w×h and at most
// ThumbSize a side. Thumbnails are small and shown blurred, so a few samples
// per pixel do; the common pixel types are read without color.Color.
func shrink(src image.Image, w, h int) image.Image {
	tw, th := ThumbSize, ThumbSize
	if w > h {
		th = max(1, h*ThumbSize/max(w, 1))
	} else {
		tw = max(1, w*ThumbSize/max(h, 1))
	}
	at := func(x, y int) (r, g, b uint32) {
		cr, cg, cb, _ := src.At(x, y).RGBA()
		return cr >> 8, cg >> 8, cb >> 8
	}
	switch im := src.(type) {
	case *image.RGBA: // what internal/jpeg renders
		at = func(x, y int) (r, g, b uint32) {
			c := im.RGBAAt(x, y)
			return uint32(c.R), uint32(c.G), uint32(c.B)
		}
	case *image.NRGBA: // PNG; thumbnails ignore alpha
		at = func(x, y int) (r, g, b uint32) {
			i := im.PixOffset(x, y)
			return uint32(im.Pix[i]), uint32(im.Pix[i+1]), uint32(im.Pix[i+2])
		}
	case *image.Gray:
		at = func(x, y int) (r, g, b uint32) {
			v := uint32(im.GrayAt(x, y).Y)
			return v, v, v
		}
	case *image.YCbCr:
		at = func(x, y int) (r, g, b uint32) {
			c := im.YCbCrAt(x, y)
			r8, g8, b8 := color.YCbCrToRGB(c.Y, c.Cb, c.Cr)
			return uint32(r8), uint32(g8), uint32(b8)
		}
	}
	bd := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, tw, th))
	for y := 0; y < th; y++ {
		ya, yb := bd.Min.Y+(4*y+1)*bd.Dy()/(4*th), bd.Min.Y+(4*y+3)*bd.Dy()/(4*th)
		for x := 0; x < tw; x++ {
			xa, xb := bd.Min.X+(4*x+1)*bd.Dx()/(4*tw), bd.Min.X+(4*x+3)*bd.Dx()/(4*tw)
			var r, g, b uint32
			for _, p := range [4][2]int{{xa, ya}, {xb, ya}, {xa, yb}, {xb, yb}} {
				cr, cg, cb := at(p[0], p[1])
				r, g, b = r+cr, g+cg, b+cb
			}
			i := dst.PixOffset(x, y)
			dst.Pix[i], dst.Pix[i+1], dst.Pix[i+2], dst.Pix[i+3] = uint8(r/4), uint8(g/4), uint8(b/4), 255
		}
	}
	return dst
}
