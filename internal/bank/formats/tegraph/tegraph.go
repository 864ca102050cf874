// Package tegraph reads ThreatExchange Graph API threat descriptors as the
// API returns them: an object keyed by descriptor id (a read-back by ids)
// or a list response {"data": [...], "paging": {...}}.
//
// type (HASH_MD5, HASH_SHA1, HASH_SHA256, HASH_PDQ, …) and raw_indicator
// give the signal; other types are rejected. The descriptor id becomes the
// SourceID, added_on ("2020-05-12T16:38:37+0000") the time, tags.data[].text
// the tags; the rest (owner, status, share_level, …) is kept in Extra
// under "te".
package tegraph

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
)

const ns = "te"

// Reader streams descriptors.
type Reader struct {
	dec    *json.Decoder
	g      *codec.Guard
	inList bool // inside "data": [...]
	err    error
}

// NewReader returns a reader of r.
func NewReader(r io.Reader, opt codec.Options) (*Reader, error) {
	text, _, err := codec.Decode(r)
	if err != nil {
		return nil, fmt.Errorf("tegraph: %w", err)
	}
	g := codec.NewGuard(text, opt.MaxRecord())
	dec := json.NewDecoder(g)
	dec.UseNumber()
	if err := codec.Delim(dec, '{'); err != nil {
		return nil, fmt.Errorf("tegraph: %w", codec.JSONFatal(dec, g, err))
	}
	return &Reader{dec: dec, g: g}, nil
}

// Next returns the next entry; see codec.Reader.
func (r *Reader) Next() (model.Entry, error) {
	return codec.Drive("tegraph", &r.err, r.step)
}

func (r *Reader) step() (model.Entry, bool, error) {
	r.g.Mark(r.dec.InputOffset())
	if !r.dec.More() {
		if _, err := r.dec.Token(); err != nil {
			return model.Entry{}, false, codec.JSONFatal(r.dec, r.g, err)
		}
		if r.inList {
			r.inList = false
			return model.Entry{}, false, nil
		}
		if _, err := r.dec.Token(); err != io.EOF {
			off := r.dec.InputOffset()
			return model.Entry{}, false, &codec.FatalError{Line: r.g.Line(off), Offset: off, Err: errors.New("data after the end")}
		}
		return model.Entry{}, false, io.EOF
	}
	key := ""
	if !r.inList {
		tok, err := r.dec.Token()
		if err != nil {
			return model.Entry{}, false, codec.JSONFatal(r.dec, r.g, err)
		}
		key, _ = tok.(string)
		if key == "data" {
			if err := codec.Delim(r.dec, '['); err == nil {
				r.inList = true
				return model.Entry{}, false, nil
			}
			return model.Entry{}, false, codec.JSONFatal(r.dec, r.g, fmt.Errorf("data is not an array"))
		}
	}
	var v json.RawMessage
	if err := r.dec.Decode(&v); err != nil {
		return model.Entry{}, false, codec.JSONFatal(r.dec, r.g, err)
	}
	start := r.dec.InputOffset() - int64(len(v))
	if key == "paging" || (len(v) > 0 && v[0] != '{') {
		return model.Entry{}, false, nil
	}
	e, err := descriptor(v)
	if err != nil {
		if key == "" {
			key = e.SourceID
		}
		return model.Entry{}, false, &codec.RecordError{Line: r.g.Line(start), Offset: start, Record: key, Err: err}
	}
	return e, true, nil
}

func descriptor(v json.RawMessage) (model.Entry, error) {
	var e model.Entry
	fields, err := codec.ObjectFields(v)
	if err != nil {
		return e, err
	}
	var typ, value string
	var extra []codec.Field
	for _, f := range fields {
		s, _, _ := codec.JSONString(f.Value)
		switch strings.ToLower(f.Key) {
		case "raw_indicator":
			value = s
		case "type":
			typ = s
		case "id":
			e.SourceID = s
		case "added_on":
			if t, err := codec.ParseTime(s); err == nil {
				e.AddedAt = t
				continue
			}
			extra = append(extra, f)
		case "tags":
			var tags struct {
				Data []struct {
					Text string `json:"text"`
				} `json:"data"`
			}
			if json.Unmarshal(f.Value, &tags) == nil {
				for _, t := range tags.Data {
					e.Tags = append(e.Tags, t.Text)
				}
			}
		default:
			extra = append(extra, f)
		}
	}
	k, err := signal.ParseKind(typ)
	if err != nil {
		return e, fmt.Errorf("type %q is not a hash signal", typ)
	}
	if e.Signal, err = signal.New(k, value); err != nil {
		return e, err
	}
	e.Extra = codec.MakeExtra(ns, extra)
	return e, nil
}
