package bmff

import (
	"encoding/binary"
	"fmt"
)

// Alpha auxiliary type URNs: AVIF (MIAF) and HEVC-in-HEIF.
const (
	alphaURNAVIF = "urn:mpeg:mpegB:cicp:systems:auxiliary:alpha"
	alphaURNHEVC = "urn:mpeg:hevc:2015:auxid:1"
)

// property is one box in ipco, addressed by its 1-based index.
type property box

func (f *File) parseMeta(meta box) error {
	_, _, body, err := fullBox(meta)
	if err != nil {
		return err
	}
	var iloc, iprp, iinf, iref box
	var havePitm bool
	err = children(body, meta.bodyOff+4, func(b box) error {
		switch b.typ {
		case "pitm":
			havePitm = true
			return f.parsePitm(b)
		case "iinf":
			iinf = b
		case "iloc":
			iloc = b
		case "iprp":
			iprp = b
		case "iref":
			iref = b
		case "idat":
			f.idat = b.body
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !havePitm {
		return fmt.Errorf("%w: no primary item (pitm)", ErrFormat)
	}
	// Items first: iloc, iprp and iref attach to them.
	steps := []struct {
		b     box
		parse func(box) error
	}{{iinf, f.parseIinf}, {iloc, f.parseIloc}, {iprp, f.parseIprp}, {iref, f.parseIref}}
	for _, s := range steps {
		if s.b.typ == "" {
			continue
		}
		if err := s.parse(s.b); err != nil {
			return err
		}
	}
	return nil
}

func (f *File) parsePitm(b box) error {
	v, _, rest, err := fullBox(b)
	if err != nil {
		return err
	}
	c := cursor{buf: rest}
	f.Primary = c.id(v > 0)
	if c.bad {
		return fmt.Errorf("%w: short pitm box", ErrFormat)
	}
	return nil
}

func (f *File) parseIinf(b box) error {
	v, _, rest, err := fullBox(b)
	if err != nil {
		return err
	}
	c := cursor{buf: rest}
	if v == 0 {
		c.u16()
	} else {
		c.u32()
	}
	if c.bad {
		return fmt.Errorf("%w: short iinf box", ErrFormat)
	}
	// The entry count is not trusted: the infe boxes are counted as read.
	return children(c.buf, b.bodyOff+len(b.body)-len(c.buf), func(e box) error {
		if e.typ != "infe" {
			return nil
		}
		if len(f.Items) >= maxItems {
			return fmt.Errorf("%w: more than %d items", ErrFormat, maxItems)
		}
		return f.parseInfe(e)
	})
}

func (f *File) parseInfe(b box) error {
	v, flags, rest, err := fullBox(b)
	if err != nil {
		return err
	}
	if v < 2 {
		return nil // version 0/1 entries (no item type) do not occur in HEIF images
	}
	c := cursor{buf: rest}
	it := &Item{ID: c.id(v >= 3), Hidden: flags&1 != 0}
	c.u16() // item_protection_index
	typ := c.uint(4)
	if c.bad {
		return fmt.Errorf("%w: short infe box", ErrFormat)
	}
	var t [4]byte
	binary.BigEndian.PutUint32(t[:], uint32(typ))
	it.Type = string(t[:])
	f.Items = append(f.Items, it)
	if f.byID[it.ID] == nil {
		f.byID[it.ID] = it
	}
	return nil
}

func (f *File) parseIloc(b box) error {
	v, _, rest, err := fullBox(b)
	if err != nil {
		return err
	}
	if v > 2 {
		return fmt.Errorf("%w: iloc version %d", ErrFormat, v)
	}
	c := cursor{buf: rest}
	sizes := c.u16()
	offSize, lenSize, baseSize := int(sizes>>12), int(sizes>>8&15), int(sizes>>4&15)
	idxSize := 0
	if v > 0 {
		idxSize = int(sizes & 15)
	}
	var count uint32
	if v < 2 {
		count = uint32(c.u16())
	} else {
		count = c.u32()
	}
	total := 0
	for i := uint32(0); i < count && !c.bad; i++ {
		id := c.id(v == 2)
		var method uint8
		if v > 0 {
			method = uint8(c.u16() & 15)
		}
		c.u16() // data_reference_index
		base := c.uint(baseSize)
		n := int(c.u16())
		if total += n; total > maxExtents {
			return fmt.Errorf("%w: more than %d extents", ErrFormat, maxExtents)
		}
		it := f.Item(id)
		for j := 0; j < n && !c.bad; j++ {
			c.uint(idxSize)
			off, size := c.uint(offSize), c.uint(lenSize)
			if it != nil && len(it.extents) < n {
				it.extents = append(it.extents, extent{off: base + off, n: size})
			}
		}
		if it != nil {
			it.method = method
		}
	}
	if c.bad {
		return fmt.Errorf("%w: short iloc box", ErrFormat)
	}
	return nil
}

func (f *File) parseIref(b box) error {
	v, _, rest, err := fullBox(b)
	if err != nil {
		return err
	}
	return children(rest, b.bodyOff+4, func(r box) error {
		if len(f.Refs) >= maxItems {
			return fmt.Errorf("%w: more than %d references", ErrFormat, maxItems)
		}
		c := cursor{buf: r.body}
		ref := Ref{Type: r.typ, From: c.id(v > 0)}
		n := int(c.u16())
		for i := 0; i < n && !c.bad; i++ {
			ref.To = append(ref.To, c.id(v > 0))
		}
		if c.bad {
			return fmt.Errorf("%w: short %q reference", ErrFormat, printable(r.typ))
		}
		f.Refs = append(f.Refs, ref)
		return nil
	})
}
