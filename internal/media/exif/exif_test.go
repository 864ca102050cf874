package exif

import (
	"encoding/binary"
	"errors"
	"testing"
	"time"
)

// field is one IFD entry for the test builder; val holds the raw value bytes.
type field struct {
	tag, typ uint16
	count    uint32
	val      []byte
}

// builder lays out a TIFF structure: IFDs are appended with their out-of-line
// values directly after them.
type builder struct {
	order binary.ByteOrder
	buf   []byte
}

func newBuilder(order binary.ByteOrder) *builder {
	b := &builder{order: order, buf: make([]byte, 8)}
	if order == binary.BigEndian {
		copy(b.buf, "MM")
	} else {
		copy(b.buf, "II")
	}
	order.PutUint16(b.buf[2:], 42)
	return b
}

func (b *builder) setIFD0(off uint32) { b.order.PutUint32(b.buf[4:], off) }

// addIFD appends an IFD and returns its offset and the offset of its next-IFD field.
func (b *builder) addIFD(fields []field) (off, nextAt uint32) {
	off = uint32(len(b.buf))
	n := len(fields)
	dataAt := uint32(len(b.buf) + 2 + 12*n + 4)
	ifd := make([]byte, 2+12*n+4)
	b.order.PutUint16(ifd, uint16(n))
	var data []byte
	for i, f := range fields {
		p := ifd[2+12*i:]
		b.order.PutUint16(p, f.tag)
		b.order.PutUint16(p[2:], f.typ)
		b.order.PutUint32(p[4:], f.count)
		if len(f.val) <= 4 {
			copy(p[8:], f.val)
		} else {
			b.order.PutUint32(p[8:], dataAt+uint32(len(data)))
			data = append(data, f.val...)
		}
	}
	b.buf = append(b.buf, ifd...)
	b.buf = append(b.buf, data...)
	return off, off + 2 + 12*uint32(n)
}

func (b *builder) putU32(at, v uint32) { b.order.PutUint32(b.buf[at:], v) }

func ascii(tag uint16, s string) field {
	v := append([]byte(s), 0)
	return field{tag, typeASCII, uint32(len(v)), v}
}

func short(o binary.ByteOrder, tag, v uint16) field {
	b := make([]byte, 2)
	o.PutUint16(b, v)
	return field{tag, typeShort, 1, b}
}

func long(o binary.ByteOrder, tag uint16, v uint32) field {
	b := make([]byte, 4)
	o.PutUint32(b, v)
	return field{tag, typeLong, 1, b}
}

func rationals(o binary.ByteOrder, tag uint16, v ...uint32) field {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		o.PutUint32(b[4*i:], x)
	}
	return field{tag, typeRational, uint32(len(v) / 2), b}
}

// sample builds a complete EXIF block: IFD0 → Exif IFD, GPS IFD, IFD1 thumbnail.
func sample(o binary.ByteOrder) []byte {
	b := newBuilder(o)
	exifOff, _ := b.addIFD([]field{
		ascii(tagDateTimeOriginal, "2021:06:15 14:30:00"),
		ascii(tagOffsetTimeOriginal, "+02:00"),
		ascii(tagBodySerialNumber, "SN12345"),
		ascii(tagLensModel, "Test Lens 50mm"),
	})
	gpsOff, _ := b.addIFD([]field{
		ascii(tagGPSLatitudeRef, "S"),
		rationals(o, tagGPSLatitude, 33, 1, 52, 1, 768, 100),
		ascii(tagGPSLongitudeRef, "W"),
		rationals(o, tagGPSLongitude, 151, 1, 12, 1, 3348, 100),
	})
	thumbAt := uint32(len(b.buf))
	b.buf = append(b.buf, 0xFF, 0xD8, 0xFF, 0xD9)
	ifd1, _ := b.addIFD([]field{long(o, tagJPEGInterchange, thumbAt), long(o, tagJPEGInterchangeLen, 4)})
	ifd0, next := b.addIFD([]field{
		ascii(tagMake, "HavenTest"),
		ascii(tagModel, "Bench Camera 1"),
		short(o, tagOrientation, 6),
		ascii(tagSoftware, "haven-testdata"),
		long(o, tagExifIFD, exifOff),
		long(o, tagGPSIFD, gpsOff),
	})
	b.putU32(next, ifd1)
	b.setIFD0(ifd0)
	return b.buf
}

func TestParseSample(t *testing.T) {
	for _, o := range []binary.ByteOrder{binary.BigEndian, binary.LittleEndian} {
		t.Run(o.String(), func(t *testing.T) {
			d, err := Parse(append([]byte("Exif\x00\x00"), sample(o)...))
			if err != nil {
				t.Fatal(err)
			}
			want := Data{
				BigEndian: o == binary.BigEndian, Orientation: 6, Make: "HavenTest", Model: "Bench Camera 1",
				Software: "haven-testdata", BodySerialNumber: "SN12345", LensModel: "Test Lens 50mm",
				DateTimeOriginal: "2021:06:15 14:30:00", OffsetTimeOriginal: "+02:00", HasThumbnail: true,
				ThumbnailLength: 4,
			}
			got := *d
			got.GPS, got.ThumbnailOffset = nil, 0
			if got != want {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
			if d.GPS == nil {
				t.Fatal("no GPS")
			}
			if lat, lon := d.GPS.Latitude, d.GPS.Longitude; !near(lat, -33.8688) || !near(lon, -151.2093) {
				t.Errorf("GPS = %v,%v", lat, lon)
			}
			tm, zoned, ok := d.Taken()
			if !ok || !zoned || !tm.Equal(time.Date(2021, 6, 15, 12, 30, 0, 0, time.UTC)) {
				t.Errorf("Taken = %v %v %v", tm, zoned, ok)
			}
		})
	}
}

func near(a, b float64) bool { return a-b < 1e-6 && b-a < 1e-6 }

func TestParseErrors(t *testing.T) {
	o := binary.BigEndian
	loop := newBuilder(o)
	off, next := loop.addIFD([]field{short(o, tagOrientation, 3)})
	loop.putU32(next, off) // IFD0's next IFD is itself
	loop.setIFD0(off)

	selfExif := newBuilder(o)
	off, _ = selfExif.addIFD([]field{long(o, tagExifIFD, 8), short(o, tagOrientation, 2)})
	selfExif.setIFD0(off)

	many := newBuilder(o)
	many.buf = append(many.buf, 0xFF, 0xFF)
	many.setIFD0(8)

	outside := newBuilder(o)
	off, _ = outside.addIFD([]field{{tagMake, typeASCII, 1 << 30, []byte{0, 0, 0, 100}}, short(o, tagOrientation, 9)})
	outside.setIFD0(off)

	tests := []struct {
		name    string
		in      []byte
		wantErr bool
		orient  int
	}{
		{"empty", nil, true, 0},
		{"bad magic", []byte("II\x2b\x00\x08\x00\x00\x00"), true, 0},
		{"ifd0 outside", []byte("MM\x00\x2a\x7f\xff\xff\xff"), true, 0},
		{"ifd0 null", []byte("MM\x00\x2a\x00\x00\x00\x00"), true, 0},
		{"too many entries", many.buf, true, 0},
		{"next IFD loop", loop.buf, false, 3},
		{"exif IFD points at IFD0", selfExif.buf, false, 2},
		{"value outside data, orientation 9", outside.buf, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Parse(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %t", err, tc.wantErr)
			}
			if err != nil {
				if !errors.Is(err, ErrFormat) {
					t.Errorf("error %v is not ErrFormat", err)
				}
				return
			}
			if d.Orientation != tc.orient {
				t.Errorf("orientation = %d, want %d", d.Orientation, tc.orient)
			}
		})
	}
}

func TestTakenWithoutZone(t *testing.T) {
	d := &Data{DateTimeOriginal: "2020:01:02 03:04:05"}
	tm, zoned, ok := d.Taken()
	if !ok || zoned || tm != time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC) {
		t.Errorf("Taken = %v %v %v", tm, zoned, ok)
	}
	if _, _, ok := (&Data{DateTimeOriginal: "0000:00:00 00:00:00"}).Taken(); ok {
		t.Error("zero date accepted")
	}
}

func FuzzEXIF(f *testing.F) {
	f.Add(sample(binary.BigEndian))
	f.Add(sample(binary.LittleEndian))
	f.Add([]byte("Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Parse(b)
		if err != nil {
			return
		}
		if d.Orientation < 0 || d.Orientation > 8 {
			t.Fatalf("orientation %d", d.Orientation)
		}
		if d.GPS != nil && (d.GPS.Latitude < -90 || d.GPS.Latitude > 90) {
			t.Fatalf("latitude %v", d.GPS.Latitude)
		}
		_ = d.String()
		d.Taken()
	})
}
