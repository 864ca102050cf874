package bmff

import (
	"encoding/binary"
	"fmt"
)

// File is the item structure of one HEIF/AVIF file.
type File struct {
	MajorBrand string
	Brands     []string // compatible brands
	Primary    uint32   // primary item ID (pitm)
	Items      []*Item  // in iinf order
	Refs       []Ref    // item references (iref)

	byID      map[uint32]*Item
	data      []byte
	idat      []byte
	alphaURNs []int // file offsets of alpha auxC type strings
}

// Item is one HEIF item with the properties package media uses.
type Item struct {
	ID         uint32
	Type       string // "hvc1", "av01", "grid", "Exif", "mime", ...
	Hidden     bool
	Width      int // from ispe; 0 when absent
	Height     int
	Transforms []Transform // irot and imir, in the order they apply
	CleanW     int         // from clap, rounded down; 0 when absent
	CleanH     int
	AuxType    string // auxC URN, e.g. the alpha plane's

	method  uint8 // iloc construction method: 0 file offsets, 1 idat
	extents []extent
}

// Transform is an irot (Rotate quarter turns anticlockwise, Mirror = -1) or
// imir property (Mirror 0: top and bottom exchanged, 1: left and right, as in
// ISO/IEC 23008-12:2022).
type Transform struct {
	Rotate int
	Mirror int
}

// Ref is an item reference such as "cdsc" (metadata describes image),
// "auxl" (auxiliary image, e.g. alpha) or "dimg" (grid tiles).
type Ref struct {
	Type string
	From uint32
	To   []uint32
}

type extent struct{ off, n uint64 }

// Parse reads the ftyp and meta boxes of a HEIF/AVIF file.
func Parse(data []byte) (*File, error) {
	f := &File{data: data, byID: map[uint32]*Item{}}
	var sawFtyp, sawMeta bool
	err := children(data, 0, func(b box) error {
		switch {
		case b.typ == "ftyp" && !sawFtyp:
			sawFtyp = true
			f.MajorBrand, f.Brands = brands(b.body)
		case b.typ == "meta" && !sawMeta:
			sawMeta = true
			return f.parseMeta(b)
		}
		if sawMeta {
			return errStop
		}
		return nil
	})
	if err != nil && err != errStop {
		return nil, err
	}
	if !sawFtyp {
		return nil, fmt.Errorf("%w: no ftyp box", ErrFormat)
	}
	if !sawMeta {
		return nil, fmt.Errorf("%w: no meta box (not a still image)", ErrFormat)
	}
	return f, nil
}

var errStop = fmt.Errorf("stop")

// Brands reads the major and compatible brands from the start of a file. It
// works on a truncated head and returns ok=false when there is no ftyp box.
func Brands(head []byte) (major string, compatible []string, ok bool) {
	if len(head) < 16 || string(head[4:8]) != "ftyp" {
		return "", nil, false
	}
	size := binary.BigEndian.Uint32(head)
	if size < 16 {
		return "", nil, false
	}
	body := head[8:]
	if uint64(size) < uint64(len(head)) {
		body = head[8:size]
	}
	major, compatible = brands(body)
	return major, compatible, true
}

func brands(body []byte) (major string, compatible []string) {
	if len(body) < 8 {
		return "", nil
	}
	major = string(body[:4])
	for p := 8; p+4 <= len(body) && len(compatible) < 64; p += 4 {
		compatible = append(compatible, string(body[p:p+4]))
	}
	return major, compatible
}

// HasBrand reports whether brand is the major or a compatible brand.
func (f *File) HasBrand(brand string) bool {
	if f.MajorBrand == brand {
		return true
	}
	for _, b := range f.Brands {
		if b == brand {
			return true
		}
	}
	return false
}

// Item returns the item with the given ID, or nil. With duplicate IDs the
// first wins.
func (f *File) Item(id uint32) *Item {
	return f.byID[id]
}

// PrimaryItem returns the primary image item.
func (f *File) PrimaryItem() (*Item, error) {
	if it := f.Item(f.Primary); it != nil {
		return it, nil
	}
	return nil, fmt.Errorf("%w: primary item %d not found", ErrFormat, f.Primary)
}

// ExifItem returns the Exif item describing the primary image (a "cdsc"
// reference), else the first Exif item, else nil.
func (f *File) ExifItem() *Item {
	var first *Item
	for _, it := range f.Items {
		if it.Type != "Exif" {
			continue
		}
		if first == nil {
			first = it
		}
		for _, r := range f.Refs {
			if r.Type == "cdsc" && r.From == it.ID && contains(r.To, f.Primary) {
				return it
			}
		}
	}
	return first
}

// AlphaAuxOffsets returns the file offsets of the type strings of alpha
// auxiliary properties, so that a caller can neutralise alpha planes in a copy.
func (f *File) AlphaAuxOffsets() []int { return f.alphaURNs }

// ItemData returns an item's bytes: its extents concatenated, each checked to
// lie inside the file (or the idat box).
func (f *File) ItemData(it *Item) ([]byte, error) {
	src := f.data
	switch it.method {
	case 0:
	case 1:
		src = f.idat
	default:
		return nil, fmt.Errorf("%w: item %d: construction method %d not supported", ErrFormat, it.ID, it.method)
	}
	var out []byte
	for _, e := range it.extents {
		if e.off > uint64(len(src)) || e.n > uint64(len(src))-e.off {
			return nil, fmt.Errorf("%w: item %d: extent %d+%d outside %d bytes", ErrFormat, it.ID, e.off, e.n, len(src))
		}
		if uint64(len(out))+e.n > maxItemData {
			return nil, fmt.Errorf("%w: item %d larger than %d bytes", ErrFormat, it.ID, maxItemData)
		}
		out = append(out, src[e.off:e.off+e.n]...)
	}
	return out, nil
}

// Orientation returns the EXIF orientation (1..8) equivalent to the item's
// irot/imir transformations, or 0 when it has none.
func (it *Item) Orientation() int {
	if len(it.Transforms) == 0 {
		return 0
	}
	m := identity
	for _, t := range it.Transforms {
		m = t.matrix().mul(m)
	}
	for o := 1; o <= 8; o++ {
		if exifMatrix[o] == m {
			return o
		}
	}
	return 0
}

func contains(ids []uint32, id uint32) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// DisplaySize returns the size a HEIF reader shows: the ispe size, cropped by
// clap and with width and height swapped by a quarter-turn rotation.
func (it *Item) DisplaySize() (w, h int) {
	w, h = it.Width, it.Height
	if it.CleanW > 0 && it.CleanW <= w && it.CleanH > 0 && it.CleanH <= h {
		w, h = it.CleanW, it.CleanH
	}
	if o := it.Orientation(); o >= 5 {
		w, h = h, w
	}
	return w, h
}
