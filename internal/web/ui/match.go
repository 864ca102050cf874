package ui

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strings"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/filehash"
	"github.com/havenproject/haven/internal/match"
	"github.com/havenproject/haven/internal/media"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/pdq"
)

// Upload budgets of the match debugger: it is a tool for one image at a
// time, so it accepts less than the hashing pipeline. 24 MiB stays under
// the 32 MiB that net/http's form parsing keeps in memory, so an accepted
// upload never touches a disk.
const (
	MaxMatchUpload = 24 << 20
	maxMatchPixels = 50_000_000
)

type matchData struct {
	Hash     string
	Dihedral bool
	Query    *queryView
}

// queryView is one looked-up input: a pasted hash or an uploaded image.
type queryView struct {
	Name          string
	Thumb         template.URL // data: URL; empty for a pasted hash
	Format        string
	Width, Height int
	Signals       []signalView
	Error         string
}

type signalView struct {
	Kind       signal.Kind
	Value      string
	Quality    *int
	LowQuality bool
	Hits       []hitView
}

type hitView struct {
	Bank                 string
	EntryID              int64
	Distance             int
	Category, Series     string
	Negative, Suppressed bool
	Transform            string
	CanRead              bool
}

func (u *ui) matchForm(w http.ResponseWriter, r *http.Request) {
	u.render(w, r, http.StatusOK, "match", u.newView(r, "Match debugger", matchData{Dihedral: true}))
}

// matchRun looks up a pasted hash or an uploaded image against the banks
// shared with the principal's organisation. The upload is read into
// memory, hashed, shrunk to an inline thumbnail and dropped.
func (u *ui) matchRun(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxMatchUpload+1<<20)
	d := matchData{Hash: strings.TrimSpace(r.PostFormValue("hash")), Dihedral: r.PostFormValue("dihedral") != ""}
	v := u.newView(r, "Match debugger", &d)
	f, hdr, ferr := r.FormFile("image")
	var err error
	switch {
	case ferr == nil:
		defer f.Close()
		if err := authorize(r, auth.HashMedia, auth.Collection, "upload"); err != nil {
			u.fromError(w, r, err)
			return
		}
		d.Query, err = u.matchUpload(r, f, hdr.Filename, d.Dihedral)
	case d.Hash != "":
		d.Query, err = u.matchHash(r, d.Hash)
	default:
		var tooBig *http.MaxBytesError
		if errors.As(ferr, &tooBig) {
			v.Error = fmt.Sprintf("The image is larger than %d MiB.", MaxMatchUpload>>20)
			u.render(w, r, http.StatusRequestEntityTooLarge, "match", v)
			return
		}
		v.Error = "Paste a hash or choose an image."
		u.render(w, r, http.StatusBadRequest, "match", v)
		return
	}
	if err != nil {
		u.fromError(w, r, err)
		return
	}
	status := http.StatusOK
	if d.Query.Error != "" {
		status = http.StatusBadRequest
	}
	u.render(w, r, status, "match", v)
}

// matchHash looks up "kind:value", or a bare value under every kind its
// length allows (64 hex digits: both SHA-256 and PDQ).
func (u *ui) matchHash(r *http.Request, text string) (*queryView, error) {
	q := &queryView{Name: "pasted hash"}
	sigs, err := parseHashInput(text)
	if err != nil {
		q.Error = "Not a hash: " + err.Error()
		return q, nil
	}
	lk, err := u.newLookup(r)
	if err != nil {
		return nil, err
	}
	for _, s := range sigs {
		sv, err := lk.find(r, s, nil, nil)
		if err != nil {
			return nil, err
		}
		q.Signals = append(q.Signals, sv)
	}
	return q, nil
}

// errNotHash refuses text that no hash kind accepts.
var errNotHash = errors.New("give hex digits of an MD5, SHA-1, SHA-256 or PDQ hash, or kind:value")

// parseHashInput reads "kind:value", or a bare value as every kind its
// length allows (64 hex digits: both SHA-256 and PDQ). Its errors say
// what is wrong, for the page.
func parseHashInput(text string) ([]signal.Signal, error) {
	if k, val, ok := strings.Cut(text, ":"); ok {
		kind, err := signal.ParseKind(k)
		if err != nil {
			return nil, err
		}
		s, err := signal.New(kind, val)
		if err != nil {
			return nil, err
		}
		return []signal.Signal{s}, nil
	}
	var sigs []signal.Signal
	for _, kind := range signal.Guess(text) {
		if s, err := signal.New(kind, text); err == nil {
			sigs = append(sigs, s)
		}
	}
	if len(sigs) == 0 {
		return nil, errNotHash
	}
	return sigs, nil
}

// matchUpload hashes an uploaded file in memory and looks up its digests
// and, for an image, its PDQ hash.
func (u *ui) matchUpload(r *http.Request, f io.Reader, name string, dihedral bool) (*queryView, error) {
	q := &queryView{Name: name}
	lim := media.Limits{MaxBytes: MaxMatchUpload, MaxPixels: maxMatchPixels}
	data, err := io.ReadAll(io.LimitReader(f, MaxMatchUpload+1))
	if err != nil {
		q.Error = "The upload could not be read."
		return q, nil
	}
	if len(data) > MaxMatchUpload {
		q.Error = fmt.Sprintf("The image is larger than %d MiB.", MaxMatchUpload>>20)
		return q, nil
	}
	// Video off: a video would be spilled to a temporary file for ffmpeg,
	// and the debugger stores nothing.
	res := filehash.Bytes(r.Context(), name, data, filehash.Options{Dihedral: dihedral, Limits: lim, Video: filehash.VideoOptions{Off: true}})
	q.Format, q.Width, q.Height = string(res.Format), res.Width, res.Height
	lk, err := u.newLookup(r)
	if err != nil {
		return nil, err
	}
	for _, s := range []signal.Signal{{Kind: signal.MD5, Value: res.MD5}, {Kind: signal.SHA1, Value: res.SHA1}, {Kind: signal.SHA256, Value: res.SHA256}} {
		sv, err := lk.find(r, s, nil, nil)
		if err != nil {
			return nil, err
		}
		q.Signals = append(q.Signals, sv)
	}
	if res.Err != nil {
		q.Error = "Not an image Haven can decode (" + res.Err.Error() + "); its digests were looked up."
		return q, nil
	}
	quality := res.Quality
	sv, err := lk.find(r, signal.Signal{Kind: signal.PDQ, Value: res.PDQ.String()}, res.Dihedral, &quality)
	if err != nil {
		return nil, err
	}
	q.Signals = append(q.Signals, sv)
	if q.Thumb, err = thumbnail(r.Context(), data, lim); err != nil {
		u.Logger.WarnContext(r.Context(), "ui: thumbnail", "err", err)
	}
	return q, nil
}

// lookup holds the banks the principal may match against, by id, and
// whether it may read each one's entries (decided and recorded once per
// bank per request).
type lookup struct {
	u        *ui
	p        auth.Principal
	banks    map[int64]bank.Bank
	readable map[int64]bool
}

func (u *ui) newLookup(r *http.Request) (*lookup, error) {
	all, err := u.Banks.List(r.Context())
	if err != nil {
		return nil, err
	}
	lk := &lookup{u: u, p: principal(r), banks: map[int64]bank.Bank{}, readable: map[int64]bool{}}
	for _, b := range all {
		if auth.Decide(lk.p, auth.Match, bankResource(b)) == nil {
			lk.banks[b.ID] = b
		}
	}
	return lk, nil
}

func (lk *lookup) allowed(b *match.Bank) bool { _, ok := lk.banks[b.ID]; return ok }

// find looks one signal up: exact kinds in the store, PDQ in the index.
// Each lookup is one audit record (action match, object "lookup:<kind>");
// one that cannot be recorded is not made.
func (lk *lookup) find(r *http.Request, s signal.Signal, dih *pdq.Dihedral, quality *int) (signalView, error) {
	sv := signalView{Kind: s.Kind, Value: s.Value, Quality: quality}
	if err := authorize(r, auth.Match, auth.Collection, "lookup:"+string(s.Kind)); err != nil {
		return sv, err
	}
	if quality != nil {
		sv.LowQuality = *quality < pdq.QualityThreshold
	}
	var hits []match.Hit
	switch {
	case s.Kind.Exact():
		found, err := lk.u.Banks.LookupExact(r.Context(), s)
		if err != nil {
			return sv, err
		}
		for _, f := range found {
			if b, ok := lk.banks[f.Bank.ID]; ok {
				hits = append(hits, match.Hit{BankID: b.ID, BankName: b.Name, Negative: b.Kind == bank.Negative, EntryID: f.Entry.ID})
			}
		}
		hits = match.Suppress(hits)
	case lk.u.Index != nil:
		hits = lk.u.Index.Lookup(match.Query{Signal: s, Dihedral: dih, Allowed: lk.allowed})
	}
	return lk.describe(r, sv, hits)
}

// describe adds each hit's opinion from the store. Entry, category and
// series are details of a bank's contents: they are shown only for banks
// whose entries the principal may read, and that reading is recorded.
// Others (a partner's) see the verdict: bank, distance, the marks.
func (lk *lookup) describe(r *http.Request, sv signalView, hits []match.Hit) (signalView, error) {
	if len(hits) == 0 {
		return sv, nil
	}
	var ids []int64
	for _, h := range hits {
		if lk.canRead(r, h.BankID) {
			ids = append(ids, h.EntryID)
		}
	}
	entries := map[int64]bank.Entry{}
	if len(ids) > 0 {
		var err error
		if entries, err = lk.u.Banks.EntriesByID(r.Context(), ids); err != nil {
			return sv, err
		}
	}
	for _, h := range hits {
		hv := hitView{Bank: h.BankName, Distance: h.Distance, Negative: h.Negative, Suppressed: h.Suppressed}
		if lk.readable[h.BankID] {
			e := entries[h.EntryID]
			hv.CanRead, hv.EntryID, hv.Category, hv.Series = true, h.EntryID, e.Category.String(), e.Series
		}
		if sv.Kind == signal.PDQ && h.Transform != pdq.Original {
			hv.Transform = h.Transform.String()
		}
		sv.Hits = append(sv.Hits, hv)
	}
	return sv, nil
}

// canRead decides once per bank whether the principal may read its
// entries, and records the reading (bank.read, "bank:<name>") for the
// banks it may. A bank whose reading cannot be recorded shows no details.
func (lk *lookup) canRead(r *http.Request, id int64) bool {
	if ok, done := lk.readable[id]; done {
		return ok
	}
	b := lk.banks[id]
	res := bankResource(b)
	ok := auth.Decide(lk.p, auth.BankRead, res) == nil && authorize(r, auth.BankRead, res, "bank:"+b.Name) == nil
	lk.readable[id] = ok
	return ok
}
