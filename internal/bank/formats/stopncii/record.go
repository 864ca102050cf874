package stopncii

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
)

// signalTypes maps StopNCII's signalType to Haven kinds.
var signalTypes = map[string]signal.Kind{"imagepdq": signal.PDQ, "videomd5": signal.MD5}

// record reads one hash record.
func (r *Reader) record() (model.Entry, bool, error) {
	raw, fields, dup, err := codec.DecodeObject(r.dec)
	if err != nil {
		return model.Entry{}, false, r.jsonErr(err)
	}
	start := r.dec.InputOffset() - int64(len(raw))
	r.index++
	reject := func(err error) (model.Entry, bool, error) {
		return model.Entry{}, false, &codec.RecordError{Line: r.g.Line(start), Offset: start,
			Record: fmt.Sprintf("hashRecords[%d]", r.index-1), Err: err}
	}
	if fields == nil {
		return reject(fmt.Errorf("record is %s, want an object", codec.Excerpt(raw)))
	}
	if dup != nil {
		return reject(dup)
	}
	e, err := convert(fields)
	if err != nil {
		return reject(err)
	}
	return e, true, nil
}

// convert maps one record's members.
func convert(fields []codec.Field) (model.Entry, error) {
	var e model.Entry
	var value, typ, status string
	var modified time.Time
	var extra []codec.Field
	for _, f := range fields {
		s, _, err := codec.JSONString(f.Value)
		switch strings.ToLower(f.Key) {
		case "hashvalue":
			value = s
		case "signaltype":
			typ = s
		case "hashstatus":
			status = s
			extra = append(extra, f)
		case "lastmodtimestamp":
			sec, perr := strconv.ParseInt(s, 10, 64)
			if err != nil || perr != nil {
				return e, fmt.Errorf("lastModtimestamp %.30s is not Unix seconds", f.Value)
			}
			modified = time.Unix(sec, 0).UTC()
		default:
			extra = append(extra, f)
		}
	}
	k, ok := signalTypes[strings.ToLower(typ)]
	if !ok {
		return e, fmt.Errorf("signalType %q is not a Haven signal", typ)
	}
	s, err := signal.New(k, value)
	if err != nil {
		return e, err
	}
	e.Signal, e.AddedAt, e.Extra = s, modified, codec.MakeExtra(ns, extra)
	switch strings.ToLower(status) {
	case "withdrawn", "deleted":
		w := modified
		e.Withdrawn, e.WithdrawnReason = &w, "StopNCII hashStatus "+status
	}
	return e, nil
}
