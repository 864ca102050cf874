// Package exif reads the few EXIF fields Haven needs (orientation, camera make,
// model and serial number, lens, software, capture time, GPS position and
// whether a thumbnail is embedded) from a TIFF-structured EXIF block.
//
// It is deliberately small, uses only the standard library and treats its input
// as hostile: every offset is bounds-checked, IFD loops are detected, and the
// number of IFDs and entries is limited. The caller extracts the EXIF block
// from its container (JPEG APP1, PNG eXIf, WebP EXIF, HEIF Exif item, or a TIFF
// file itself); see package media. Build writes the camera fields into a
// minimal block, for test fixtures and benchmark collections.
package exif

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrFormat is returned (wrapped) when the data is not a readable TIFF/EXIF structure.
var ErrFormat = errors.New("malformed EXIF")

// Limits on hostile input. Real files use a handful of IFDs with at most a few
// hundred entries each.
const (
	maxIFDs      = 16
	maxEntries   = 1024
	maxStringLen = 1024
)

// Tags read by this package.
const (
	tagStripOffsets       = 0x0111
	tagMake               = 0x010F
	tagModel              = 0x0110
	tagOrientation        = 0x0112
	tagSoftware           = 0x0131
	tagJPEGInterchange    = 0x0201
	tagJPEGInterchangeLen = 0x0202
	tagExifIFD            = 0x8769
	tagGPSIFD             = 0x8825
	tagDateTimeOriginal   = 0x9003
	tagOffsetTimeOriginal = 0x9011
	tagBodySerialNumber   = 0xA431
	tagLensModel          = 0xA434
	tagGPSLatitudeRef     = 0x0001
	tagGPSLatitude        = 0x0002
	tagGPSLongitudeRef    = 0x0003
	tagGPSLongitude       = 0x0004
)

// Data holds the fields read from one EXIF block. Empty strings and zero values
// mean the field is absent (or unreadable).
type Data struct {
	BigEndian          bool   // byte order of the block ("MM")
	Orientation        int    // 1..8; 0 when absent or out of range
	Make               string // IFD0 0x010F
	Model              string // IFD0 0x0110
	Software           string // IFD0 0x0131
	BodySerialNumber   string // Exif 0xA431
	LensModel          string // Exif 0xA434
	DateTimeOriginal   string // Exif 0x9003 as stored, "YYYY:MM:DD HH:MM:SS"
	OffsetTimeOriginal string // Exif 0x9011 as stored, e.g. "+02:00"
	GPS                *GPS   // nil when absent or invalid
	HasThumbnail       bool   // IFD1 describes an embedded thumbnail
	ThumbnailOffset    int    // of a JPEG thumbnail, relative to the TIFF header; 0 if none
	ThumbnailLength    int
}

// GPS is a position in decimal degrees, north and east positive.
type GPS struct {
	Latitude, Longitude float64
}

// exifPrefix starts the EXIF payload of JPEG APP1 segments; some PNG and WebP
// writers keep it too.
var exifPrefix = []byte("Exif\x00\x00")

// Parse reads an EXIF block: a TIFF header and its IFDs, optionally preceded by
// "Exif\0\0". It fails only when the header or IFD0 cannot be read; broken
// sub-IFDs (Exif, GPS, thumbnail) are skipped so one bad pointer does not hide
// the fields that could be read.
func Parse(b []byte) (*Data, error) {
	b = bytes.TrimPrefix(b, exifPrefix)
	r, off, err := newReader(b)
	if err != nil {
		return nil, err
	}
	ifd0, next, err := r.readIFD(off)
	if err != nil {
		return nil, err
	}
	d := &Data{BigEndian: b[0] == 'M'}
	for _, e := range ifd0 {
		d.setIFD0(r, e)
	}
	if next != 0 {
		if ifd1, _, err := r.readIFD(next); err == nil {
			d.setThumbnail(r, ifd1)
		}
	}
	return d, nil
}

func (d *Data) setIFD0(r *reader, e entry) {
	switch e.tag {
	case tagMake:
		d.Make = asciiValue(e)
	case tagModel:
		d.Model = asciiValue(e)
	case tagSoftware:
		d.Software = asciiValue(e)
	case tagOrientation:
		if v, ok := r.uint(e, 0); ok && v >= 1 && v <= 8 {
			d.Orientation = int(v)
		}
	case tagExifIFD:
		if off, ok := r.uint(e, 0); ok {
			d.readExifIFD(r, off)
		}
	case tagGPSIFD:
		if off, ok := r.uint(e, 0); ok {
			d.readGPSIFD(r, off)
		}
	}
}

func (d *Data) readExifIFD(r *reader, off uint32) {
	entries, _, err := r.readIFD(off)
	if err != nil {
		return
	}
	for _, e := range entries {
		switch e.tag {
		case tagDateTimeOriginal:
			d.DateTimeOriginal = asciiValue(e)
		case tagOffsetTimeOriginal:
			d.OffsetTimeOriginal = asciiValue(e)
		case tagBodySerialNumber:
			d.BodySerialNumber = asciiValue(e)
		case tagLensModel:
			d.LensModel = asciiValue(e)
		}
	}
}

// setThumbnail looks at IFD1: a JPEG thumbnail has an offset and length; an
// uncompressed one has strip offsets.
func (d *Data) setThumbnail(r *reader, ifd1 []entry) {
	var off, n uint32
	var strips bool
	for _, e := range ifd1 {
		switch e.tag {
		case tagJPEGInterchange:
			off, _ = r.uint(e, 0)
		case tagJPEGInterchangeLen:
			n, _ = r.uint(e, 0)
		case tagStripOffsets:
			strips = e.count > 0
		}
	}
	if off > 0 && n > 0 && uint64(off)+uint64(n) <= uint64(len(r.buf)) {
		d.HasThumbnail = true
		d.ThumbnailOffset, d.ThumbnailLength = int(off), int(n)
		return
	}
	d.HasThumbnail = strips
}

// asciiValue returns an ASCII (or UNDEFINED, as some writers use) value up to
// its first NUL, without surrounding spaces, as valid UTF-8, capped in length.
func asciiValue(e entry) string {
	if e.typ != typeASCII && e.typ != typeUndefined && e.typ != typeByte {
		return ""
	}
	v := e.val
	if i := bytes.IndexByte(v, 0); i >= 0 {
		v = v[:i]
	}
	if len(v) > maxStringLen {
		v = v[:maxStringLen]
	}
	s := strings.TrimSpace(string(v))
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return s
}

// Taken returns DateTimeOriginal as a time. With OffsetTimeOriginal the time
// carries that zone and zoned is true; without it the wall-clock time is
// returned in UTC and zoned is false. ok is false when the date is absent or
// unreadable (cameras write "0000:00:00 00:00:00" for unset clocks).
func (d *Data) Taken() (t time.Time, zoned, ok bool) {
	if d == nil || d.DateTimeOriginal == "" {
		return time.Time{}, false, false
	}
	t, err := time.Parse("2006:01:02 15:04:05", d.DateTimeOriginal)
	if err != nil {
		return time.Time{}, false, false
	}
	if d.OffsetTimeOriginal == "" {
		return t, false, true
	}
	zone, err := time.Parse("-07:00", d.OffsetTimeOriginal)
	if err != nil {
		return t, false, true
	}
	_, secs := zone.Zone()
	loc := time.FixedZone(d.OffsetTimeOriginal, secs)
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc), true, true
}

// String summarises the fields for logs and debugging.
func (d *Data) String() string {
	if d == nil {
		return "exif: none"
	}
	s := fmt.Sprintf("exif: orientation=%d make=%q model=%q serial=%q lens=%q software=%q taken=%q%s thumbnail=%t",
		d.Orientation, d.Make, d.Model, d.BodySerialNumber, d.LensModel, d.Software,
		d.DateTimeOriginal, d.OffsetTimeOriginal, d.HasThumbnail)
	if d.GPS != nil {
		s += fmt.Sprintf(" gps=%.6f,%.6f", d.GPS.Latitude, d.GPS.Longitude)
	}
	return s
}
