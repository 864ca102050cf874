package web

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/bank/formats"
	"github.com/havenproject/haven/internal/signal"
)

// apiEntry is a bank entry in /api/v1: the opinion and its provenance.
type apiEntry struct {
	ID       int64         `json:"id"`
	Kind     signal.Kind   `json:"kind"`
	Value    string        `json:"value"`
	Quality  *int          `json:"quality,omitempty"`
	Category bank.Category `json:"category"`
	Series   string        `json:"series,omitempty"`
	bank.Flags
	SourceID string    `json:"source_id,omitempty"`
	Tags     []string  `json:"tags,omitempty"`
	AddedBy  string    `json:"added_by,omitempty"`
	AddedAt  time.Time `json:"added_at"`
	Seq      int64     `json:"seq"`
}

func toAPIEntry(e *bank.Entry) apiEntry {
	return apiEntry{ID: e.ID, Kind: e.Signal.Kind, Value: e.Signal.Value, Quality: e.Quality, Category: e.Category,
		Series: e.Series, Flags: e.Flags, SourceID: e.SourceID, Tags: e.Tags, AddedBy: e.AddedBy, AddedAt: e.AddedAt, Seq: e.Seq}
}

// errPageFull stops an export once a page is full.
var errPageFull = errors.New("page full")

// apiEntries answers a page of a bank's active entries by id:
// ?after=<id>&limit=<n> (default 100, at most 1000); next_after is the
// after of the next page, absent on the last.
func (s *Server) apiEntries(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	after, err := intParam(q.Get("after"), 0, 0, 1<<62)
	if err != nil {
		s.answerErr(w, r, badRequest("after: %v", err))
		return
	}
	limit, err := intParam(q.Get("limit"), 100, 1, 1000)
	if err != nil {
		s.answerErr(w, r, badRequest("limit: %v", err))
		return
	}
	b, err := s.authorizedBank(r, auth.BankRead, r.PathValue("name"))
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	entries := make([]apiEntry, 0, limit)
	more := false
	err = s.deps.Banks.Export(r.Context(), b.Name, bank.ExportOptions{}, func(e *bank.Entry) error {
		if e.ID <= after {
			return nil
		}
		if len(entries) == int(limit) {
			more = true
			return errPageFull
		}
		entries = append(entries, toAPIEntry(e))
		return nil
	})
	if err != nil && !errors.Is(err, errPageFull) {
		s.answerErr(w, r, err)
		return
	}
	out := map[string]any{"bank": b.Name, "entries": entries}
	if more {
		out["next_after"] = entries[len(entries)-1].ID
	}
	writeJSON(w, http.StatusOK, out)
}

// intParam parses an optional integer parameter within [lo, hi].
func intParam(v string, def, lo, hi int64) (int64, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, errors.New("not an integer")
	}
	if n < lo || n > hi {
		return 0, errors.New("out of range")
	}
	return n, nil
}

// apiImport imports a hash-list file into a bank: the body is the file
// (or a multipart/form-data upload with one file), in any format Haven
// reads (?format=, detected when absent or "auto"), with ?kind= for bare
// hex values and ?scheme= for numeric categories. All or nothing.
func (s *Server) apiImport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var kind signal.Kind
	if v := q.Get("kind"); v != "" {
		k, err := signal.ParseKind(v)
		if err != nil {
			s.answerErr(w, r, badRequest("kind: %v", err))
			return
		}
		kind = k
	}
	scheme := bank.Scheme(q.Get("scheme"))
	if scheme != bank.SchemeNone {
		if _, err := bank.NewCategory(scheme, "x"); err != nil && strings.Contains(err.Error(), "unknown scheme") {
			s.answerErr(w, r, badRequest("scheme: %v", err))
			return
		}
	}
	b, err := s.authorizedBank(r, auth.BankWrite, r.PathValue("name"))
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	body, err := importBody(r)
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	br := bufio.NewReaderSize(body, 64<<10)
	format := q.Get("format")
	if format == "" || format == "auto" {
		head, _ := br.Peek(8 << 10)
		f, ok := formats.Detect(head)
		if !ok {
			s.answerErr(w, r, &inputError{http.StatusUnprocessableEntity,
				"cannot tell the file's format; say it with ?format= (" + strings.Join(formats.Formats(), ", ") + ")"})
			return
		}
		format = f
	}
	src, err := formats.NewReader(format, br, formats.Options{Kind: kind, Scheme: scheme})
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	p := PrincipalFrom(r.Context())
	res, err := s.deps.Banks.Import(r.Context(), b.Name, src, bank.ImportOptions{AddedBy: p.Name, KeepRejections: 20})
	s.outcome(r, auth.BankWrite, "bank:"+b.Name, err, fmt.Sprintf("import (%s): %d records, %d added, %d duplicates, %d rejected, %d withdrawn",
		format, res.Records, res.Inserted, res.Duplicates, res.Rejected, res.Withdrawn))
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	s.changed(r.Context())
	rejections := make([]string, 0, len(res.Rejections))
	for _, rj := range res.Rejections {
		rejections = append(rejections, rj.String())
	}
	writeJSON(w, http.StatusOK, map[string]any{"bank": b.Name, "format": format, "records": res.Records,
		"inserted": res.Inserted, "duplicates": res.Duplicates, "rejected": res.Rejected, "tombstones": res.Tombstones,
		"withdrawn": res.Withdrawn, "seq": res.Seq, "rejections": rejections})
}

// importBody returns the file of an import request: the first file part of
// a multipart body, or the body itself.
func importBody(r *http.Request) (io.Reader, error) {
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return r.Body, nil
	}
	if r.MultipartForm != nil {
		for _, files := range r.MultipartForm.File {
			for _, fh := range files {
				return fh.Open()
			}
		}
		return nil, badRequest("no file in the multipart body")
	}
	if params["boundary"] == "" {
		return nil, badRequest("multipart body without a boundary")
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, badRequest("no file in the multipart body")
		}
		if err != nil {
			return nil, uploadErr(err)
		}
		if part.FileName() != "" {
			return part, nil
		}
	}
}
