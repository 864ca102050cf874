package main

import "encoding/binary"

// camera is the EXIF a generated photo carries.
type camera struct {
	make, model, serial, taken string // taken: "YYYY:MM:DD HH:MM:SS"
}

// withEXIF inserts an APP1 EXIF segment after the SOI of a JPEG: a
// little-endian TIFF with IFD0 (Make, Model, the Exif IFD pointer) and the
// Exif IFD (DateTimeOriginal, BodySerialNumber when set).
func withEXIF(jpg []byte, c camera) []byte {
	type tag struct {
		id  uint16
		val []byte
	}
	asc := func(s string) []byte { return append([]byte(s), 0) }
	ifd0 := []tag{{0x010F, asc(c.make)}, {0x0110, asc(c.model)}}
	exifIFD := []tag{{0x9003, asc(c.taken)}}
	if c.serial != "" {
		exifIFD = append(exifIFD, tag{0xA431, asc(c.serial)})
	}
	le := binary.LittleEndian
	ifdSize := func(n int) int { return 2 + 12*n + 4 }
	write := func(tags []tag, extra []byte, start int) []byte {
		n := len(tags) + len(extra)/12
		dataOff := start + ifdSize(n)
		var ifd, data []byte
		ifd = le.AppendUint16(ifd, uint16(n))
		for _, tg := range tags {
			ifd = le.AppendUint16(ifd, tg.id)
			ifd = le.AppendUint16(ifd, 2) // ASCII
			ifd = le.AppendUint32(ifd, uint32(len(tg.val)))
			if len(tg.val) <= 4 {
				v := make([]byte, 4)
				copy(v, tg.val)
				ifd = append(ifd, v...)
				continue
			}
			ifd = le.AppendUint32(ifd, uint32(dataOff+len(data)))
			data = append(data, tg.val...)
			if len(data)%2 == 1 {
				data = append(data, 0)
			}
		}
		ifd = append(ifd, extra...)
		ifd = le.AppendUint32(ifd, 0)
		return append(ifd, data...)
	}
	ptr := make([]byte, 12)
	le.PutUint16(ptr, 0x8769)
	le.PutUint16(ptr[2:], 4)
	le.PutUint32(ptr[4:], 1)
	tiff := []byte{'I', 'I', 42, 0, 8, 0, 0, 0}
	first := write(ifd0, ptr, 8)
	exifStart := 8 + len(first)
	le.PutUint32(first[2+12*len(ifd0)+8:], uint32(exifStart))
	tiff = append(tiff, first...)
	tiff = append(tiff, write(exifIFD, nil, exifStart)...)
	app1 := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(app1)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	out = append(out, app1...)
	return append(out, jpg[2:]...)
}
