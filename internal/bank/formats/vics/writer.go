package vics

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
)

// Writer writes a VICS 2.0 #Media feed with the profile named in its
// context URL. Consecutive entries with the same SourceID and the same
// opinion (category, series, flags, tags) become one Media, the way the
// reader split it: export in import order to get a file's Media back.
type Writer struct {
	w       *bufio.Writer
	scheme  model.Scheme
	profile string
	cur     *group
	started bool
	buf     []byte
}

// group is a Media being assembled from consecutive entries.
type group struct {
	first   model.Entry
	md5     string
	sha1    string
	alts    []signal.Signal
	signals int
}

// NewWriter starts a VICS 2.0 writer; opt.Scheme picks the profile
// (SchemeVICSUS or SchemeVICSUK).
func NewWriter(w io.Writer, opt codec.Options) (*Writer, error) {
	vw := &Writer{w: bufio.NewWriterSize(w, 64<<10), scheme: opt.Scheme}
	switch opt.Scheme {
	case model.SchemeVICSUS:
		vw.profile = "US"
	case model.SchemeVICSUK:
		vw.profile = "UK"
	default:
		return nil, fmt.Errorf("vics: writing 2.0 needs a profile: scheme %s or %s, not %q", model.SchemeVICSUS, model.SchemeVICSUK, opt.Scheme)
	}
	return vw, nil
}

// ContextURL returns the 2.0 context URL of a profile.
func ContextURL(profile string) string { return url20 + profile + "/$metadata#Media" }

// Write adds an entry; see codec.Writer.
func (w *Writer) Write(e model.Entry) error {
	switch {
	case e.Withdrawn != nil:
		return fmt.Errorf("vics: %s: %w: VICS has no tombstones", e.Signal, codec.ErrUnsupported)
	case e.Signal.Value == "":
		return fmt.Errorf("vics: %q: %w: no VICS property for this signal", e.Signal, codec.ErrUnsupported)
	case e.Signal.Kind == signal.VPDQ:
		if _, err := codec.HMASignal(e.Signal); err != nil {
			return fmt.Errorf("vics: %w: %w", codec.ErrUnsupported, err)
		}
	case !e.Category.IsZero() && e.Category.Scheme != w.scheme:
		return fmt.Errorf("vics: %s: %w: category %s in a %s file; map it first", e.Signal, codec.ErrUnsupported, e.Category, w.profile)
	}
	if w.cur != nil && w.cur.accepts(e) {
		w.cur.add(e.Signal)
		return nil
	}
	if err := w.flush(); err != nil {
		return err
	}
	w.cur = &group{first: e}
	w.cur.add(e.Signal)
	return nil
}

func (g *group) accepts(e model.Entry) bool {
	f := g.first
	if e.SourceID == "" || e.SourceID != f.SourceID || e.Category != f.Category || e.Series != f.Series ||
		!sameFlags(e.Flags, f.Flags) || !slices.Equal(e.Tags, f.Tags) || !e.AddedAt.Equal(f.AddedAt) ||
		(len(e.Extra) > 0 && string(e.Extra) != string(f.Extra)) {
		return false
	}
	switch e.Signal.Kind {
	case signal.MD5:
		return g.md5 == "" || g.md5 == e.Signal.Value
	case signal.SHA1:
		return g.sha1 == "" || g.sha1 == e.Signal.Value
	}
	return true
}

func (g *group) add(s signal.Signal) {
	switch {
	case s.Kind == signal.MD5 && g.md5 == "":
		g.md5 = s.Value
	case s.Kind == signal.SHA1 && g.sha1 == "":
		g.sha1 = s.Value
	case s.Kind == signal.MD5 && g.md5 == s.Value, s.Kind == signal.SHA1 && g.sha1 == s.Value,
		slices.Contains(g.alts, s):
		return
	default:
		g.alts = append(g.alts, s)
	}
	g.signals++
}

func sameFlags(a, b model.Flags) bool {
	eq := func(x, y *bool) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return eq(a.VictimIdentified, b.VictimIdentified) && eq(a.OffenderIdentified, b.OffenderIdentified) &&
		eq(a.SelfGenerated, b.SelfGenerated) && eq(a.Distributed, b.Distributed)
}

// flush writes the pending Media.
func (w *Writer) flush() error {
	if w.cur == nil {
		return nil
	}
	g := w.cur
	w.cur = nil
	b := w.buf[:0]
	if !w.started {
		b = w.head(b)
	} else {
		b = append(b, ",\n"...)
	}
	b = g.appendMedia(b)
	w.buf = b
	_, err := w.w.Write(b)
	return err
}

func (w *Writer) head(b []byte) []byte {
	w.started = true
	b = append(b, `{"@odata.context":`...)
	b = codec.AppendString(b, ContextURL(w.profile))
	return append(b, ",\"value\":[\n"...)
}

// Close ends the document and flushes it.
func (w *Writer) Close() error {
	if err := w.flush(); err != nil {
		return err
	}
	if !w.started {
		w.buf = w.head(w.buf[:0])
		if _, err := w.w.Write(w.buf); err != nil {
			return err
		}
	}
	if _, err := w.w.WriteString("\n]}\n"); err != nil {
		return err
	}
	return w.w.Flush()
}

// appendMedia writes a Media object: the modelled properties, then the
// kept ones from Extra, then AlternativeHashes.
func (g *group) appendMedia(b []byte) []byte {
	e := g.first
	var fields []codec.Field
	str := func(k, v string) { fields = append(fields, codec.StringField(k, v)) }
	raw := func(k, v string) { fields = append(fields, codec.Field{Key: k, Value: json.RawMessage(v)}) }
	if g.md5 != "" {
		str("MD5", g.md5)
	}
	if g.sha1 != "" {
		str("SHA1", g.sha1)
	}
	if !e.Category.IsZero() {
		raw("Category", e.Category.Value) // numeric in both VICS schemes
	}
	if e.Series != "" {
		str("Series", e.Series)
	}
	if len(e.Tags) > 0 {
		str("Tags", strings.Join(e.Tags, ","))
	}
	for _, fl := range []struct {
		k string
		v *bool
	}{{"VictimIdentified", e.VictimIdentified}, {"OffenderIdentified", e.OffenderIdentified},
		{"IsDistributed", e.Distributed}, {"SelfGenerated", e.SelfGenerated}} {
		if fl.v != nil {
			raw(fl.k, fmt.Sprint(*fl.v))
		}
	}
	if !e.AddedAt.IsZero() {
		str("DateUpdated", e.AddedAt.Format(time.RFC3339Nano))
	}
	var keptAlts json.RawMessage
	for _, f := range codec.ExtraFields(e.Extra, ns) {
		switch {
		case strings.EqualFold(f.Key, "AlternativeHashes"):
			keptAlts = f.Value
		case hasKey(fields, f.Key):
		default:
			fields = append(fields, f)
		}
	}
	if alts := g.appendAlts(nil, keptAlts); alts != nil {
		fields = append(fields, codec.Field{Key: "AlternativeHashes", Value: alts})
	}
	return codec.AppendObject(b, fields)
}

func hasKey(fields []codec.Field, k string) bool {
	for _, f := range fields {
		if strings.EqualFold(f.Key, k) {
			return true
		}
	}
	return false
}

// appendAlts writes the signals that have no property of their own (PDQ,
// SHA-256) and the alternative hashes kept from the source.
func (g *group) appendAlts(b []byte, kept json.RawMessage) []byte {
	var keptList []json.RawMessage
	_ = json.Unmarshal(kept, &keptList) // Extra as this package wrote it
	if len(g.alts) == 0 && len(keptList) == 0 {
		return nil
	}
	b = append(b, '[')
	for i, s := range g.alts {
		if i > 0 {
			b = append(b, ',')
		}
		value, err := codec.HMASignal(s) // a vPDQ value as one JSON string
		if err != nil {
			value = s.Value
		}
		fields := []codec.Field{codec.StringField("HashName", hashName(s.Kind)), codec.StringField("HashValue", value)}
		if g.md5 != "" {
			fields = append(fields, codec.StringField("MD5", g.md5))
		}
		b = codec.AppendObject(b, fields)
	}
	for i, k := range keptList {
		if i > 0 || len(g.alts) > 0 {
			b = append(b, ',')
		}
		b = append(b, k...)
	}
	return append(b, ']')
}

// hashName is the HashName written for a kind.
func hashName(k signal.Kind) string {
	switch k {
	case signal.SHA256:
		return "SHA256"
	case signal.MD5, signal.SHA1, signal.PDQ, signal.VPDQ:
		return strings.ToUpper(string(k))
	}
	return string(k)
}
