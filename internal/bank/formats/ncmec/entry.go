package ncmec

import (
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
)

// xmlEntry is an image, video or tombstone element.
type xmlEntry struct {
	Member struct {
		ID   string `xml:"id,attr"`
		Name string `xml:",chardata"`
	} `xml:"member"`
	Timestamp      string `xml:"timestamp"`
	ID             string `xml:"id"`
	Classification string `xml:"classification"`
	Fingerprints   struct {
		Items []struct {
			XMLName xml.Name
			Value   string `xml:",chardata"`
		} `xml:",any"`
	} `xml:"fingerprints"`
	Feedback *struct {
		Inner string `xml:",innerxml"`
	} `xml:"feedback"`
}

// entry decodes one element into entries or a rejection.
func (r *Reader) entry(start xml.StartElement) error {
	line, _ := r.dec.InputPos()
	off := r.dec.InputOffset()
	var x xmlEntry
	if err := r.dec.DecodeElement(&x, &start); err != nil {
		return r.fatal(err)
	}
	id := strings.TrimSpace(x.Member.ID) + "-" + strings.TrimSpace(x.ID)
	reject := func(err error) error {
		return &codec.RecordError{Line: line, Offset: off, Record: start.Name.Local + " " + id, Err: err}
	}
	if strings.TrimSpace(x.ID) == "" || strings.TrimSpace(x.Member.ID) == "" {
		return reject(fmt.Errorf("no member id or entry id"))
	}
	var when time.Time
	if s := strings.TrimSpace(x.Timestamp); s != "" {
		t, err := codec.ParseTime(s)
		if err != nil {
			return reject(fmt.Errorf("timestamp: %w", err))
		}
		when = t
	}
	media := strings.TrimPrefix(strings.ToLower(start.Name.Local), "deleted")
	member := strings.TrimSpace(x.Member.Name)
	if strings.HasPrefix(start.Name.Local, "deleted") {
		w := when
		r.pending = append(r.pending[:0], model.Entry{SourceID: id, Withdrawn: &w, WithdrawnBy: member,
			WithdrawnReason: "deleted by " + member,
			Extra:           codec.MakeExtra(ns, []codec.Field{codec.StringField("media", media)})})
		return nil
	}
	extra := []codec.Field{codec.StringField("media", media), codec.StringField("member", member)}
	var cat model.Category
	if c := strings.TrimSpace(x.Classification); c != "" {
		var err error
		if cat, err = model.NewCategory(model.SchemeNCMEC, c); err != nil {
			extra = append(extra, codec.StringField("classification", c))
		}
	}
	var sigs []signal.Signal
	for _, fp := range x.Fingerprints.Items {
		v := strings.TrimSpace(fp.Value)
		if v == "" {
			continue
		}
		name := strings.ToLower(fp.XMLName.Local)
		switch name {
		case "md5", "sha1", "pdq":
			s, err := signal.New(signal.Kind(name), v)
			if err != nil {
				return reject(fmt.Errorf("fingerprint %s: %w", name, err))
			}
			sigs = append(sigs, s)
		default:
			extra = append(extra, codec.StringField(name, v))
		}
	}
	if len(sigs) == 0 {
		return reject(fmt.Errorf("no md5, sha1 or pdq fingerprint"))
	}
	if x.Feedback != nil && strings.TrimSpace(x.Feedback.Inner) != "" {
		extra = append(extra, codec.StringField("feedback", strings.TrimSpace(x.Feedback.Inner)))
	}
	r.pending = r.pending[:0]
	for i, s := range sigs {
		e := model.Entry{Signal: s, Category: cat, SourceID: id, AddedBy: member, AddedAt: when}
		if i == 0 {
			e.Extra = codec.MakeExtra(ns, extra)
		}
		r.pending = append(r.pending, e)
	}
	return nil
}
