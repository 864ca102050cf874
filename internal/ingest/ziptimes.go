package ingest

import (
	"encoding/binary"
	"time"
)

// zipTimes reads the access and creation times that zip extra fields may
// carry: NTFS (0x000a) with Windows FILETIMEs, extended timestamp (0x5455)
// and the old Info-ZIP Unix field (0x5855). The standard library reads only
// the modification time.
func zipTimes(extra []byte) (access, birth time.Time) {
	for len(extra) >= 4 {
		tag := binary.LittleEndian.Uint16(extra)
		size := int(binary.LittleEndian.Uint16(extra[2:]))
		if 4+size > len(extra) {
			break
		}
		body := extra[4 : 4+size]
		extra = extra[4+size:]
		switch tag {
		case 0x000a:
			if a, b, ok := ntfsTimes(body); ok {
				access, birth = a, b
			}
		case 0x5455:
			if len(body) < 1 {
				continue
			}
			flags, ts := body[0], body[1:]
			unix := func() (time.Time, bool) {
				if len(ts) < 4 {
					return time.Time{}, false
				}
				t := time.Unix(int64(int32(binary.LittleEndian.Uint32(ts))), 0).UTC()
				ts = ts[4:]
				return t, true
			}
			if flags&1 != 0 {
				unix() // modification: the standard library has it
			}
			if flags&2 != 0 {
				if t, ok := unix(); ok {
					access = t
				}
			}
			if flags&4 != 0 {
				if t, ok := unix(); ok {
					birth = t
				}
			}
		case 0x5855:
			if len(body) >= 4 && access.IsZero() {
				access = time.Unix(int64(int32(binary.LittleEndian.Uint32(body))), 0).UTC()
			}
		}
	}
	return access, birth
}

// ntfsTimes reads attribute 1 of the NTFS extra field: modification,
// access and creation FILETIMEs.
func ntfsTimes(b []byte) (access, birth time.Time, ok bool) {
	if len(b) < 4 {
		return
	}
	b = b[4:] // reserved
	for len(b) >= 4 {
		tag := binary.LittleEndian.Uint16(b)
		size := int(binary.LittleEndian.Uint16(b[2:]))
		if 4+size > len(b) {
			return
		}
		if tag == 1 && size >= 24 {
			return filetime(b[12:]), filetime(b[20:]), true
		}
		b = b[4+size:]
	}
	return
}

// filetime converts a Windows FILETIME (100 ns since 1601) to UTC.
func filetime(b []byte) time.Time {
	const epochDiff = 116444736000000000 // 1601 to 1970 in 100 ns
	v := binary.LittleEndian.Uint64(b)
	if v == 0 {
		return time.Time{}
	}
	d := int64(v - epochDiff)
	return time.Unix(d/1e7, (d%1e7)*100).UTC()
}

// dosTime converts an MS-DOS date and time, which carry no zone.
func dosTime(date, tm uint16) time.Time {
	return time.Date(int(date>>9)+1980, time.Month(date>>5&0xf), int(date&0x1f),
		int(tm>>11), int(tm>>5&0x3f), int(tm&0x1f)*2, 0, time.UTC)
}
