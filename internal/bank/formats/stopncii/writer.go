package stopncii

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/havenproject/haven/internal/bank/formats/codec"
	"github.com/havenproject/haven/internal/bank/model"
	"github.com/havenproject/haven/internal/signal"
)

// Writer writes one FetchHashes page holding every entry written, with
// hasMoreRecords false; count is written last, when it is known. A
// withdrawn entry is written with hashStatus Withdrawn.
type Writer struct {
	w   *bufio.Writer
	n   int
	buf []byte
}

// NewWriter returns a writer.
func NewWriter(w io.Writer, _ codec.Options) (*Writer, error) {
	return &Writer{w: bufio.NewWriter(w)}, nil
}

// Write writes one hash record; see codec.Writer.
func (w *Writer) Write(e model.Entry) error {
	var typ string
	switch e.Signal.Kind {
	case signal.PDQ:
		typ = "ImagePDQ"
	case signal.MD5:
		typ = "VideoMD5"
	default:
		return fmt.Errorf("stopncii: %q: %w: only ImagePDQ and VideoMD5", e.Signal, codec.ErrUnsupported)
	}
	status, when := "Active", e.AddedAt
	kept := codec.ExtraFields(e.Extra, ns)
	for _, f := range kept {
		if strings.EqualFold(f.Key, "hashStatus") {
			status, _, _ = codec.JSONString(f.Value)
		}
	}
	if e.Withdrawn != nil {
		when = *e.Withdrawn
		if !strings.EqualFold(status, "Deleted") {
			status = "Withdrawn"
		}
	} else if strings.EqualFold(status, "Withdrawn") || strings.EqualFold(status, "Deleted") {
		status = "Active" // reinstated in Haven
	}
	fields := []codec.Field{
		{Key: "lastModtimestamp", Value: strconv.AppendInt(nil, max(when.Unix(), 0), 10)},
		codec.StringField("hashValue", e.Signal.Value),
		codec.StringField("hashStatus", status),
		codec.StringField("signalType", typ),
	}
	for _, f := range kept {
		switch strings.ToLower(f.Key) {
		case "hashstatus", "hashvalue", "signaltype", "lastmodtimestamp":
		default:
			fields = append(fields, f)
		}
	}
	b := w.buf[:0]
	if w.n == 0 {
		b = append(b, "{\"hashRecords\":[\n"...)
	} else {
		b = append(b, ",\n"...)
	}
	b = codec.AppendObject(b, fields)
	w.buf = b
	w.n++
	_, err := w.w.Write(b)
	return err
}

// Close ends the page and flushes.
func (w *Writer) Close() error {
	if w.n == 0 {
		w.w.WriteString("{\"hashRecords\":[")
	}
	fmt.Fprintf(w.w, "\n],\"count\":%d,\"hasMoreRecords\":false}\n", w.n)
	return w.w.Flush()
}
