package web

import (
	"mime"
	"net/http"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/match"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/pdq"
)

// apiLookupBody asks for one hash.
type apiLookupBody struct {
	SignalType string   `json:"signal_type"`
	Signal     string   `json:"signal"`
	Banks      []string `json:"banks"`
}

// apiSignalResult is the answer for one hash of the query.
type apiSignalResult struct {
	Kind    signal.Kind `json:"kind"`
	Value   string      `json:"value"`
	Quality *int        `json:"quality,omitempty"`
	// LowQuality flags a PDQ hash of a flat image (quality under 50),
	// whose bits flip under small changes: its matches and misses are
	// unreliable.
	LowQuality bool       `json:"low_quality,omitempty"`
	Matches    []apiMatch `json:"matches"`
}

// apiMatch is one matching entry: a verdict; the category only for those
// who may read the bank's entries.
type apiMatch struct {
	Bank       string `json:"bank"`
	EntryID    int64  `json:"entry_id"`
	Distance   int    `json:"distance"`
	Transform  string `json:"transform,omitempty"`
	Negative   bool   `json:"negative_bank,omitempty"`
	Suppressed bool   `json:"suppressed,omitempty"`
	// QueryPercent and ComparedPercent, for vPDQ: how much of the query
	// video and of the bank's video matched.
	QueryPercent    *float64       `json:"query_percent,omitempty"`
	ComparedPercent *float64       `json:"compared_percent,omitempty"`
	Category        *bank.Category `json:"category,omitempty"`
}

// apiLookup looks up a hash (JSON body {signal_type, signal, banks}) or an
// uploaded image (multipart field "photo", or a raw body): its PDQ hash,
// over the eight rotations and flips with ?dihedral=true, and its
// digests. Negative-bank matches and the positive matches they suppress
// are shown, marked.
func (s *Server) apiLookup(w http.ResponseWriter, r *http.Request) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var results []apiSignalResult
	var err error
	if mt == "application/json" {
		results, err = s.lookupJSON(r)
	} else {
		if !s.uploadAllowed(w, r) {
			return
		}
		results, err = s.lookupUpload(r)
	}
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"signals": results})
}

func (s *Server) lookupJSON(r *http.Request) ([]apiSignalResult, error) {
	var body apiLookupBody
	if err := s.decodeJSON(r, &body); err != nil {
		return nil, err
	}
	sig, err := hmaSignal(body.SignalType, body.Signal)
	if err != nil {
		return nil, err
	}
	res, err := s.lookupOne(r, sig, nil, nil, body.Banks)
	if err != nil {
		return nil, err
	}
	return []apiSignalResult{res}, nil
}

func (s *Server) lookupUpload(r *http.Request) ([]apiSignalResult, error) {
	q := r.URL.Query()
	dihedral := false
	if v := q.Get("dihedral"); v != "" {
		b, err := hmaBool(v)
		if err != nil {
			return nil, err
		}
		dihedral = b
	}
	up, err := readUpload(r)
	if err != nil {
		return nil, err
	}
	if up.contentType != "photo" {
		return nil, badRequest("only photos are looked up by upload; send a video's hashes")
	}
	h, err := s.hashUpload(r, up, dihedral)
	if err != nil {
		return nil, err
	}
	banks := splitList(q.Get("banks"))
	var out []apiSignalResult
	for _, sig := range []signal.Signal{{Kind: signal.MD5, Value: h.res.MD5}, {Kind: signal.SHA1, Value: h.res.SHA1}, {Kind: signal.SHA256, Value: h.res.SHA256}} {
		res, err := s.lookupOne(r, sig, nil, nil, banks)
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	quality := h.res.Quality
	res, err := s.lookupOne(r, signal.Signal{Kind: signal.PDQ, Value: h.res.PDQ.String()}, h.res.Dihedral, &quality, banks)
	if err != nil {
		return nil, err
	}
	return append(out, res), nil
}

// lookupOne looks one signal up and describes its matches.
func (s *Server) lookupOne(r *http.Request, sig signal.Signal, dih *pdq.Dihedral, quality *int, banks []string) (apiSignalResult, error) {
	res := apiSignalResult{Kind: sig.Kind, Value: sig.Value, Quality: quality, Matches: []apiMatch{}}
	res.LowQuality = quality != nil && *quality < pdq.QualityThreshold
	hits, err := s.hits(r, sig, dih, banks)
	if err != nil {
		return res, err
	}
	categories, err := s.readableCategories(r, hits)
	if err != nil {
		return res, err
	}
	for _, h := range hits {
		m := apiMatch{Bank: h.BankName, EntryID: h.EntryID, Distance: h.Distance, Negative: h.Negative, Suppressed: h.Suppressed}
		if sig.Kind == signal.PDQ && h.Transform != pdq.Original {
			m.Transform = h.Transform.String()
		}
		if h.Video != nil {
			m.QueryPercent, m.ComparedPercent = &h.Video.QueryPercent, &h.Video.ComparedPercent
		}
		if c, ok := categories[h.EntryID]; ok {
			m.Category = &c
		}
		res.Matches = append(res.Matches, m)
	}
	return res, nil
}

// readableCategories returns the categories of the hits in banks whose
// entries the principal may read (recorded in the audit trail); partners
// get none.
func (s *Server) readableCategories(r *http.Request, hits []match.Hit) (map[int64]bank.Category, error) {
	p := PrincipalFrom(r.Context())
	var ids []int64
	for _, h := range hits {
		if auth.Decide(p, auth.BankRead, auth.Resource{}) != nil {
			return nil, nil // the role reads no entries at all
		}
		ids = append(ids, h.EntryID)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	entries, err := s.deps.Banks.EntriesByID(r.Context(), ids)
	if err != nil {
		return nil, err
	}
	out := map[int64]bank.Category{}
	checked := map[int64]bool{}
	for _, h := range hits {
		if ok, seen := checked[h.BankID]; seen && !ok {
			continue
		}
		b, err := s.deps.Banks.GetByID(r.Context(), h.BankID)
		if err != nil {
			return nil, err
		}
		if _, seen := checked[h.BankID]; !seen {
			err := AuthorizeObject(r, auth.BankRead, bankResource(b), "bank:"+b.Name)
			checked[h.BankID] = err == nil
			if err != nil {
				continue
			}
		}
		if e, ok := entries[h.EntryID]; ok {
			out[h.EntryID] = e.Category
		}
	}
	return out, nil
}
