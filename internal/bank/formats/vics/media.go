package vics

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
)

// ns is the key of VICS fields in Entry.Extra.
const ns = "vics"

// record is one Media as read, before it becomes entries.
type record struct {
	signals  []signal.Signal
	category model.Category
	series   string
	tags     []string
	flags    model.Flags
	added    time.Time
	extra    []codec.Field
	alts     []json.RawMessage // alternative hashes that are not signals
}

// media turns one Media object into entries, or rejects it.
func (r *Reader) media(fields []codec.Field, dup error, start int64, index int) error {
	reject := func(err error) error { return r.reject(start, mediaID(fields, index), err) }
	if dup != nil {
		return reject(dup)
	}
	var rec record
	for _, f := range fields {
		if err := rec.field(f, r.scheme); err != nil {
			return reject(fmt.Errorf("%s: %w", f.Key, err))
		}
	}
	if len(rec.signals) == 0 {
		return reject(fmt.Errorf("no MD5, SHA1, PDQ or vPDQ"))
	}
	if len(rec.alts) > 0 {
		b, _ := json.Marshal(rec.alts)
		rec.extra = append(rec.extra, codec.Field{Key: "AlternativeHashes", Value: b})
	}
	for _, e := range rec.entries() {
		r.pending = append(r.pending, item{e: e})
	}
	return nil
}

// mediaID names a Media in errors: its MD5 when it has one.
func mediaID(fields []codec.Field, index int) string {
	for _, f := range fields {
		if strings.EqualFold(f.Key, "MD5") {
			if s, ok, _ := codec.JSONString(f.Value); ok && s != "" {
				return codec.Excerpt([]byte(s))
			}
		}
	}
	return fmt.Sprintf("Media[%d]", index)
}

// field reads one property of a Media.
func (m *record) field(f codec.Field, scheme model.Scheme) error {
	var err error
	switch strings.ToLower(f.Key) {
	case "md5":
		err = m.hash(signal.MD5, f.Value)
	case "sha1":
		err = m.hash(signal.SHA1, f.Value)
	case "category":
		m.categoryField(f, scheme)
	case "series":
		m.series, _, err = codec.JSONString(f.Value)
	case "tags":
		m.tags, err = readTags(f.Value)
	case "victimidentified":
		m.flags.VictimIdentified, err = codec.JSONBool(f.Value)
	case "offenderidentified":
		m.flags.OffenderIdentified, err = codec.JSONBool(f.Value)
	case "selfgenerated":
		m.flags.SelfGenerated, err = codec.JSONBool(f.Value)
	case "isdistributed":
		m.flags.Distributed, err = codec.JSONBool(f.Value)
	case "dateupdated":
		s, ok, _ := codec.JSONString(f.Value)
		t, terr := codec.ParseTime(s)
		if ok && terr == nil {
			m.added = t
		} else {
			m.extra = append(m.extra, f) // kept as written
		}
	case "alternativehashes":
		err = m.alternatives(f.Value)
	default:
		m.extra = append(m.extra, f)
	}
	return err
}

// hash adds a signal; an empty string (Breakpoint's MD5 left for Griffeye
// to fill) or null is no hash.
func (m *record) hash(k signal.Kind, v json.RawMessage) error {
	s, ok, err := codec.JSONString(v)
	if err != nil || !ok || strings.TrimSpace(s) == "" {
		return err
	}
	sig, err := codec.NewSignal(k, s)
	if err != nil {
		return err
	}
	for _, have := range m.signals {
		if have == sig {
			return nil
		}
	}
	m.signals = append(m.signals, sig)
	return nil
}

// categoryField maps Category in the scheme, or keeps it as written.
func (m *record) categoryField(f codec.Field, scheme model.Scheme) {
	if s, ok, err := codec.JSONString(f.Value); err == nil && ok && scheme != model.SchemeNone {
		if c, err := model.NewCategory(scheme, s); err == nil {
			m.category = c
			return
		}
	}
	m.extra = append(m.extra, f)
}

// readTags takes Tags as a string (the model's Edm.String, split on commas
// and semicolons) or as an array of strings.
func readTags(v json.RawMessage) ([]string, error) {
	if len(v) > 0 && v[0] == '[' {
		var tags []string
		if err := json.Unmarshal(v, &tags); err != nil {
			return nil, fmt.Errorf("want strings: %w", err)
		}
		out := tags[:0]
		for _, t := range tags {
			if t = strings.TrimSpace(t); t != "" {
				out = append(out, t)
			}
		}
		if len(out) == 0 {
			return nil, nil
		}
		return out, nil
	}
	s, _, err := codec.JSONString(v)
	return codec.SplitTags(s, false), err
}

// alternatives reads AlternativeHashes: MD5, SHA1, SHA-256, PDQ and vPDQ
// (HashName "vPDQ", HashValue in any form vpdq.ParseSignal reads) become
// signals; PhotoDNA and anything else is kept as written.
func (m *record) alternatives(v json.RawMessage) error {
	if codec.IsNull(v) {
		return nil
	}
	alts, _, err := codec.SplitArray(v) // v was checked by the decoder
	if err != nil {
		return fmt.Errorf("want an array: %w", err)
	}
	for i, a := range alts {
		fields, err := codec.SplitObject(a, nil)
		if err != nil {
			return fmt.Errorf("[%d]: want an object: %w", i, err)
		}
		var name string
		var value json.RawMessage
		for _, f := range fields {
			switch strings.ToLower(f.Key) {
			case "hashname":
				name, _, _ = codec.JSONString(f.Value)
			case "hashvalue":
				value = f.Value
			}
		}
		k, err := signal.ParseKind(name)
		if err != nil {
			m.alts = append(m.alts, a)
			continue
		}
		if err := m.hash(k, value); err != nil {
			return fmt.Errorf("[%d] %s: %w", i, name, err)
		}
	}
	return nil
}

// entries appends one entry per signal; the first carries Extra.
func (m *record) entries() []model.Entry {
	dst := make([]model.Entry, 0, len(m.signals))
	sort.SliceStable(m.signals, func(i, j int) bool { return rank(m.signals[i].Kind) < rank(m.signals[j].Kind) })
	src := m.signals[0].Value
	extra := codec.MakeExtra(ns, m.extra)
	for i, s := range m.signals {
		e := model.Entry{
			Signal: s, Category: m.category, Series: m.series, Flags: copyFlags(m.flags),
			SourceID: src, Tags: m.tags, AddedAt: m.added,
		}
		if i == 0 {
			e.Extra = extra
		}
		dst = append(dst, e)
	}
	return dst
}

// rank orders a Media's signals: MD5 (the model's key) first.
func rank(k signal.Kind) int {
	for i, kk := range []signal.Kind{signal.MD5, signal.SHA1, signal.SHA256, signal.PDQ, signal.VPDQ} {
		if k == kk {
			return i
		}
	}
	return 5
}

func copyFlags(f model.Flags) model.Flags {
	c := func(b *bool) *bool {
		if b == nil {
			return nil
		}
		v := *b
		return &v
	}
	return model.Flags{VictimIdentified: c(f.VictimIdentified), OffenderIdentified: c(f.OffenderIdentified),
		SelfGenerated: c(f.SelfGenerated), Distributed: c(f.Distributed)}
}
