// Package stopncii reads and writes StopNCII FetchHashes pages: JSON
// objects whose hashRecords array lists hashes with their status.
//
// signalType ImagePDQ becomes pdq and VideoMD5 md5; VideoTMK, Text, URL
// and Unknown are not Haven signals and their records are rejected.
// hashStatus Withdrawn and Deleted are tombstones: the entry carries the
// signal and Withdrawn (at lastModtimestamp) so the importer withdraws that
// hash. caseNumbers, CSPFeedbacks (other platforms' opinions), hashRegions
// and unknown members are kept in Extra under "stopncii". A body without a
// hashRecords array (a SubmitFeedback request, an HMA reply) is refused
// with ErrNotFormat at its end. The page's nextPageToken and
// hasMoreRecords are available from Page after the last entry.
package stopncii

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/model"
)

const ns = "stopncii"

// Page is what a FetchHashes page says about the next one.
type Page struct {
	NextPageToken    string
	HasMoreRecords   bool
	NextSetTimestamp int64
	Count            int64
}

// Reader streams the records of one page.
type Reader struct {
	dec     *json.Decoder
	g       *codec.Guard
	inList  bool
	sawList bool
	page    Page
	index   int
	err     error
}

// NewReader returns a reader of r.
func NewReader(r io.Reader, opt codec.Options) (*Reader, error) {
	text, _, err := codec.Decode(r)
	if err != nil {
		return nil, fmt.Errorf("stopncii: %w", err)
	}
	g := codec.NewGuard(text, opt.MaxRecord())
	dec := json.NewDecoder(g)
	dec.UseNumber()
	sr := &Reader{dec: dec, g: g}
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("stopncii: %w", codec.JSONFatal(dec, g, err))
	}
	if tok != json.Delim('{') {
		return nil, fmt.Errorf("stopncii: %w", &codec.FatalError{Line: 1, Err: fmt.Errorf("%w: want a JSON object", codec.ErrNotFormat)})
	}
	return sr, nil
}

// Page returns the paging members read so far (all of them after io.EOF).
func (r *Reader) Page() Page { return r.page }

// Next returns the next entry; see codec.Reader.
func (r *Reader) Next() (model.Entry, error) {
	return codec.Drive("stopncii", &r.err, r.step)
}

// step reads one record or one top-level member.
func (r *Reader) step() (model.Entry, bool, error) {
	r.g.Mark(r.dec.InputOffset())
	if r.inList {
		if !r.dec.More() {
			r.inList = false
			_, err := r.dec.Token() // ']'
			return model.Entry{}, false, r.jsonErr(err)
		}
		return r.record()
	}
	if !r.dec.More() {
		if _, err := r.dec.Token(); err != nil { // '}'
			return model.Entry{}, false, r.jsonErr(err)
		}
		if !r.sawList {
			return model.Entry{}, false, r.fatal(fmt.Errorf("%w: no hashRecords array (not a FetchHashes page)", codec.ErrNotFormat))
		}
		if _, err := r.dec.Token(); err != io.EOF {
			return model.Entry{}, false, r.fatal(errors.New("data after the end of the page"))
		}
		return model.Entry{}, false, io.EOF
	}
	tok, err := r.dec.Token()
	if err != nil {
		return model.Entry{}, false, r.jsonErr(err)
	}
	key, _ := tok.(string)
	if strings.EqualFold(key, "hashRecords") {
		if err := codec.Delim(r.dec, '['); err != nil {
			return model.Entry{}, false, r.jsonErr(err)
		}
		r.inList, r.sawList = true, true
		return model.Entry{}, false, nil
	}
	var v json.RawMessage
	if err := r.dec.Decode(&v); err != nil {
		return model.Entry{}, false, r.jsonErr(err)
	}
	r.pageField(key, v)
	return model.Entry{}, false, nil
}

func (r *Reader) pageField(key string, v json.RawMessage) {
	s, _, _ := codec.JSONString(v)
	switch strings.ToLower(key) {
	case "nextpagetoken":
		r.page.NextPageToken = s
	case "hasmorerecords":
		r.page.HasMoreRecords, _ = codec.ParseBool(s)
	case "nextsettimestamp":
		fmt.Sscan(s, &r.page.NextSetTimestamp)
	case "count":
		fmt.Sscan(s, &r.page.Count)
	}
}

func (r *Reader) jsonErr(err error) error {
	if err == nil {
		return nil
	}
	return codec.JSONFatal(r.dec, r.g, err)
}

func (r *Reader) fatal(err error) error {
	off := r.dec.InputOffset()
	return &codec.FatalError{Line: r.g.Line(off), Offset: off, Err: err}
}
