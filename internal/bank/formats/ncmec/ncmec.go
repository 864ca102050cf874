// Package ncmec reads pages of NCMEC's hash-sharing API v2
// (`GET /v2/entries`): a queryResult with images and videos, each an
// image/video entry or a deletedImage/deletedVideo tombstone.
//
// Each fingerprint Haven knows (md5, sha1, pdq) becomes an entry; the
// others (pdna, netclean, videntifier, tmk-pdqf, …) and the entry's
// feedback are kept in Extra under "ncmec". An entry's SourceID is
// "<member id>-<id>", as pytx names it; a tombstone is an entry with only
// SourceID and Withdrawn set (no signal), and the importer withdraws every
// entry of the bank with that SourceID. classification (A1, A2, B1, B2) is
// read in the NCMEC scheme; another value is kept in Extra. A fingerprint
// element without text is skipped, as pytx does. Bodies that are not an
// entries page (status, feedback reasons) are refused with ErrNotFormat.
package ncmec

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/model"
)

const ns = "ncmec"

// Reader streams entries out of an entries page.
type Reader struct {
	dec     *xml.Decoder
	g       *codec.Guard
	pending []model.Entry
	next    string
	err     error
	root    bool
}

// NewReader reads up to the root element and refuses a body that is not a
// queryResult.
func NewReader(r io.Reader, opt codec.Options) (*Reader, error) {
	text, _, err := codec.Decode(r)
	if err != nil {
		return nil, fmt.Errorf("ncmec: %w", err)
	}
	g := codec.NewGuard(text, opt.MaxRecord())
	dec := xml.NewDecoder(g)
	dec.CharsetReader = codec.CharsetReader
	nr := &Reader{dec: dec, g: g}
	if err := nr.start(); err != nil {
		return nil, fmt.Errorf("ncmec: %w", err)
	}
	return nr, nil
}

// NextPage returns the paging/next URL of the page (relative, as NCMEC
// gives it) once Next has returned io.EOF; "" on the last page.
func (r *Reader) NextPage() string { return r.next }

func (r *Reader) start() error {
	for {
		tok, err := r.dec.Token()
		if err != nil {
			return r.fatal(err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local != "queryResult" {
				return r.fatal(fmt.Errorf("%w: root element <%s>, want <queryResult> (an entries page)", codec.ErrNotFormat, se.Name.Local))
			}
			r.root = true
			return nil
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

// Next returns the next entry; see codec.Reader.
func (r *Reader) Next() (model.Entry, error) {
	for {
		if len(r.pending) > 0 {
			e := r.pending[0]
			r.pending = r.pending[1:]
			return e, nil
		}
		if r.err != nil {
			return model.Entry{}, r.err
		}
		if err := r.step(); err != nil {
			var re *codec.RecordError
			if errors.As(err, &re) {
				return model.Entry{}, err
			}
			r.err = err
			if err != io.EOF {
				r.err = fmt.Errorf("ncmec: %w", err)
			}
		}
	}
}

// step reads tokens up to the next entry element and decodes it.
func (r *Reader) step() error {
	r.g.Mark(r.dec.InputOffset())
	tok, err := r.dec.Token()
	if err == io.EOF {
		return io.EOF
	}
	if err != nil {
		return r.fatal(err)
	}
	switch t := tok.(type) {
	case xml.StartElement:
		switch t.Name.Local {
		case "images", "videos":
			return nil // descend
		case "image", "video", "deletedImage", "deletedVideo":
			return r.entry(t)
		case "paging":
			var p struct {
				Next string `xml:"next"`
			}
			if err := r.dec.DecodeElement(&p, &t); err != nil {
				return r.fatal(err)
			}
			r.next = strings.TrimSpace(p.Next)
			return nil
		}
		if err := r.dec.Skip(); err != nil {
			return r.fatal(err)
		}
	case xml.EndElement:
		if t.Name.Local == "queryResult" {
			r.root = false
		}
	}
	return nil
}
