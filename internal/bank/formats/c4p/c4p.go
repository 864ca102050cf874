// Package c4p reads the case index C4All writes (a C4P "ReportIndex" XML of
// Image elements), as a list of MD5 hashes.
//
// C4All declares encoding="utf-16" but writes single-byte text; a strict
// parser refuses such a file. Here the bytes decide: a BOM or zero high
// bytes mean UTF-16 (transcoded), anything else is read as UTF-8 whatever
// the declaration says.
//
// C4All's numeric category is read in Options.Scheme when one is given and
// the value is in it; otherwise (C4All's grading is not documented
// publicly) it is kept in Extra with the other elements, under "c4p". The
// Image id becomes the SourceID.
package c4p

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
)

const ns = "c4p"

// Reader streams the Images of a C4P index.
type Reader struct {
	dec    *xml.Decoder
	g      *codec.Guard
	scheme model.Scheme
	err    error
}

// NewReader reads up to the root element and refuses other documents.
func NewReader(r io.Reader, opt codec.Options) (*Reader, error) {
	text, _, err := codec.Decode(r)
	if err != nil {
		return nil, fmt.Errorf("c4p: %w", err)
	}
	g := codec.NewGuard(text, opt.MaxRecord())
	dec := xml.NewDecoder(g)
	dec.CharsetReader = codec.CharsetReader
	cr := &Reader{dec: dec, g: g, scheme: opt.Scheme}
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("c4p: %w", cr.fatal(err))
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local != "ReportIndex" {
				return nil, fmt.Errorf("c4p: %w", cr.fatal(fmt.Errorf("%w: root element <%s>, want <ReportIndex>", codec.ErrNotFormat, se.Name.Local)))
			}
			return cr, nil
		}
	}
}

func (r *Reader) fatal(err error) error {
	if codec.XMLTruncated(err) {
		err = fmt.Errorf("%w: XML ends inside an element: %v", codec.ErrTruncated, err)
	}
	line, _ := r.dec.InputPos()
	return &codec.FatalError{Line: line, Offset: r.dec.InputOffset(), Err: err}
}

// image is one Image element: its children in order.
type image struct {
	Fields []struct {
		XMLName xml.Name
		Value   string `xml:",chardata"`
	} `xml:",any"`
}

// Next returns the next entry; see codec.Reader.
func (r *Reader) Next() (model.Entry, error) {
	for r.err == nil {
		r.g.Mark(r.dec.InputOffset())
		tok, err := r.dec.Token()
		if err == io.EOF {
			r.err = io.EOF
			break
		}
		if err != nil {
			r.err = fmt.Errorf("c4p: %w", r.fatal(err))
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if se.Name.Local != "Image" {
			if err := r.dec.Skip(); err != nil {
				r.err = fmt.Errorf("c4p: %w", r.fatal(err))
			}
			continue
		}
		line, _ := r.dec.InputPos()
		off := r.dec.InputOffset()
		var img image
		if err := r.dec.DecodeElement(&img, &se); err != nil {
			r.err = fmt.Errorf("c4p: %w", r.fatal(err))
			break
		}
		e, err := r.entry(img)
		if err != nil {
			return model.Entry{}, &codec.RecordError{Line: line, Offset: off, Record: e.SourceID, Err: err}
		}
		return e, nil
	}
	return model.Entry{}, r.err
}

func (r *Reader) entry(img image) (model.Entry, error) {
	var e model.Entry
	var extra []codec.Field
	var hash string
	for _, f := range img.Fields {
		v := f.Value
		switch f.XMLName.Local {
		case "hash":
			hash = v
		case "id":
			e.SourceID = strings.TrimSpace(v)
		case "category":
			c, err := model.NewCategory(r.scheme, v)
			if r.scheme != model.SchemeNone && err == nil {
				e.Category = c
				continue
			}
			extra = append(extra, codec.StringField(f.XMLName.Local, v))
		default:
			extra = append(extra, codec.StringField(f.XMLName.Local, v))
		}
	}
	s, err := signal.New(signal.MD5, hash)
	if err != nil {
		return e, fmt.Errorf("hash: %w", err)
	}
	e.Signal, e.Extra = s, codec.MakeExtra(ns, extra)
	return e, nil
}
