package ingest

import (
	"fmt"
	"hash/fnv"
	"strings"
	"unicode/utf8"
)

// maxNameBytes caps a cleaned member name; longer names are cut (and made
// unique like any other clash).
const maxNameBytes = 4096

// cleanName turns a member name as stored in an archive into the relative,
// slash-separated name used in provenance paths. It never lets a name climb
// out of its archive: backslashes become slashes, a Windows drive letter or
// UNC prefix and leading slashes are dropped, "." and empty segments vanish
// and ".." removes the previous segment but never goes above the archive.
// Bytes that are not valid UTF-8, NUL and other control characters are
// written as %XX, and so is a "!" that ends a segment, so that a name cannot
// contain the Separator. A name that cleans to nothing becomes "_".
func cleanName(raw string) string {
	s := escapeName(raw)
	s = strings.ReplaceAll(s, `\`, "/")
	if len(s) >= 2 && s[1] == ':' && isLetter(s[0]) {
		s = s[2:]
	}
	var out []string
	for seg := range strings.SplitSeq(s, "/") {
		switch seg {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			if strings.HasSuffix(seg, "!") {
				seg = seg[:len(seg)-1] + "%21"
			}
			out = append(out, seg)
		}
	}
	name := strings.Join(out, "/")
	if len(name) > maxNameBytes {
		name = strings.ToValidUTF8(name[:maxNameBytes], "")
	}
	if name == "" {
		return "_"
	}
	return name
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// escapeName writes invalid UTF-8 and control characters as %XX.
func escapeName(raw string) string {
	clean := true
	for _, r := range raw {
		if r == utf8.RuneError || r < 0x20 || r == 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return raw
	}
	var b strings.Builder
	for i := 0; i < len(raw); {
		r, size := utf8.DecodeRuneInString(raw[i:])
		if (r == utf8.RuneError && size <= 1) || r < 0x20 || r == 0x7f {
			fmt.Fprintf(&b, "%%%02X", raw[i])
			i++
			continue
		}
		b.WriteString(raw[i : i+size])
		i += size
	}
	return b.String()
}

// nameSet makes the cleaned names of one archive unique: two entries that
// clean to the same name (duplicates, "a/../b" beside "b") get "#2", "#3"…
// after the later ones, in archive order, so provenance paths stay unique
// and stable. It keeps 64-bit hashes, not names, to stay small for archives
// of a million entries; a hash collision only adds a needless suffix.
type nameSet map[uint64]struct{}

func (ns nameSet) unique(name string) string {
	if ns.add(name) {
		return name
	}
	for i := 2; ; i++ {
		alt := fmt.Sprintf("%s#%d", name, i)
		if ns.add(alt) {
			return alt
		}
	}
}

func (ns nameSet) add(name string) bool {
	h := fnv.New64a()
	h.Write([]byte(name))
	k := h.Sum64()
	if _, ok := ns[k]; ok {
		return false
	}
	ns[k] = struct{}{}
	return true
}
