package bmff

import (
	"encoding/binary"
	"fmt"
)

// parseIprp reads the property container (ipco) and the associations (ipma)
// and copies the properties media needs onto the items.
func (f *File) parseIprp(b box) error {
	var props []property
	var ipmas []box
	err := children(b.body, b.bodyOff, func(c box) error {
		switch c.typ {
		case "ipco":
			return children(c.body, c.bodyOff, func(p box) error {
				if len(props) >= maxProperties {
					return fmt.Errorf("%w: more than %d properties", ErrFormat, maxProperties)
				}
				props = append(props, property(p))
				return nil
			})
		case "ipma":
			ipmas = append(ipmas, c)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range props {
		if p.typ == "auxC" {
			f.noteAlpha(p)
		}
	}
	for _, m := range ipmas {
		if err := f.parseIpma(m, props); err != nil {
			return err
		}
	}
	return nil
}

// noteAlpha records where an alpha auxC's type string lies in the file.
func (f *File) noteAlpha(p property) {
	if len(p.body) < 4 {
		return
	}
	c := cursor{buf: p.body[4:]}
	if urn := c.cstring(); urn == alphaURNAVIF || urn == alphaURNHEVC {
		f.alphaURNs = append(f.alphaURNs, p.bodyOff+4)
	}
}

func (f *File) parseIpma(b box, props []property) error {
	v, flags, rest, err := fullBox(b)
	if err != nil {
		return err
	}
	c := cursor{buf: rest}
	n := c.u32()
	for i := uint32(0); i < n && !c.bad; i++ {
		it := f.Item(c.id(v >= 1))
		count := int(c.u8())
		for j := 0; j < count && !c.bad; j++ {
			var idx int
			if flags&1 != 0 {
				idx = int(c.u16() & 0x7FFF)
			} else {
				idx = int(c.u8() & 0x7F)
			}
			if it != nil && idx > 0 && idx <= len(props) {
				it.apply(props[idx-1])
			}
		}
	}
	if c.bad {
		return fmt.Errorf("%w: short ipma box", ErrFormat)
	}
	return nil
}

// apply copies one associated property onto the item. Unknown or malformed
// properties are ignored; the decoder will judge them.
func (it *Item) apply(p property) {
	switch p.typ {
	case "ispe":
		if len(p.body) >= 12 {
			it.Width = clampInt(binary.BigEndian.Uint32(p.body[4:]))
			it.Height = clampInt(binary.BigEndian.Uint32(p.body[8:]))
		}
	case "irot":
		if len(p.body) >= 1 && len(it.Transforms) < 8 {
			it.Transforms = append(it.Transforms, Transform{Rotate: int(p.body[0] & 3), Mirror: -1})
		}
	case "imir":
		if len(p.body) >= 1 && len(it.Transforms) < 8 {
			it.Transforms = append(it.Transforms, Transform{Mirror: int(p.body[0] & 1)})
		}
	case "clap":
		it.CleanW, it.CleanH = clap(p.body)
	case "auxC":
		if len(p.body) >= 4 {
			c := cursor{buf: p.body[4:]}
			it.AuxType = c.cstring()
		}
	}
}

// clap returns the clean aperture width and height, rounded down; 0, 0 when
// the box is malformed.
func clap(body []byte) (w, h int) {
	if len(body) < 16 {
		return 0, 0
	}
	wn, wd := binary.BigEndian.Uint32(body), binary.BigEndian.Uint32(body[4:])
	hn, hd := binary.BigEndian.Uint32(body[8:]), binary.BigEndian.Uint32(body[12:])
	if wd == 0 || hd == 0 {
		return 0, 0
	}
	return clampInt(wn / wd), clampInt(hn / hd)
}

// clampInt keeps dimensions within int32 so products fit in int64 everywhere.
func clampInt(v uint32) int {
	if v > 1<<31-1 {
		return 1<<31 - 1
	}
	return int(v)
}
