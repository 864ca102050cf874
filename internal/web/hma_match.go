package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/match"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/pdq"
	"github.com/havenproject/haven/vpdq"
)

// The HMA-compatible API follows Meta's hasher-matcher-actioner
// (facebook/ThreatExchange, hasher-matcher-actioner/src/OpenMediaMatch/
// blueprints/matching.py, hashing.py, curation.py, and schemas/*.py for
// the response models): the same paths, parameter names and JSON shapes,
// plus authentication (HMA has none): every route needs a session or an
// API token, and a principal sees only the banks shared with its
// organisation.
func (s *Server) hmaRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/m/lookup", Action: auth.Match, Handler: s.hmaLookup},
		{Method: "GET", Path: "/m/raw_lookup", Action: auth.Match, Handler: s.hmaRawLookup},
		{Method: "POST", Path: "/m/compare", Action: auth.Match, Handler: s.hmaCompare},
		{Method: "GET", Path: "/m/index/status", Action: auth.IndexRead, Handler: s.hmaIndexStatus},
		{Method: "POST", Path: "/h/hash", Action: auth.HashMedia, Handler: s.hmaHash},
		{Method: "GET", Path: "/c/banks", Action: auth.BankList, Handler: s.hmaBanks},
		{Method: "POST", Path: "/c/banks", Action: auth.BankWrite, Handler: s.hmaBankCreate},
		{Method: "GET", Path: "/c/bank/{name}", Action: auth.BankList, Handler: s.hmaBankGet},
		{Method: "PUT", Path: "/c/bank/{name}", Action: auth.BankWrite, Handler: s.hmaBankUpdate},
		{Method: "DELETE", Path: "/c/bank/{name}", Action: auth.BankWrite, Handler: s.hmaBankDelete},
		{Method: "POST", Path: "/c/bank/{name}/signal", Action: auth.BankWrite, Handler: s.hmaBankSignal},
	}
}

// hmaSignal parses HMA's signal_type and signal parameters with HMA's
// messages (matching.py, _validate_and_transform_signal_type and
// query_index).
func hmaSignal(typeName, value string) (signal.Signal, error) {
	if typeName == "" {
		return signal.Signal{}, badRequest("signal_type is required")
	}
	if value == "" {
		return signal.Signal{}, badRequest("signal is required")
	}
	k, err := signal.ParseKind(typeName)
	if err != nil {
		return signal.Signal{}, badRequest("No such SignalType '%s'", typeName)
	}
	if !match.Indexed(k) {
		return signal.Signal{}, badRequest("SignalType '%s' is not enabled", typeName)
	}
	sig, err := signal.New(k, value)
	if err != nil {
		return signal.Signal{}, badRequest("invalid signal: %v", err)
	}
	return sig, nil
}

// hits looks sig up for the request's principal in the banks it may match
// against (narrowed to names when given): PDQ and vPDQ in memory, exact
// kinds in the store.
func (s *Server) hits(r *http.Request, sig signal.Signal, dih *pdq.Dihedral, names []string) ([]match.Hit, error) {
	// The lookup is recorded (a token's in its aggregate); the banks it
	// may match are filtered per bank below.
	if err := AuthorizeObject(r, auth.Match, auth.Resource{}, "lookup:"+string(sig.Kind)); err != nil {
		return nil, err
	}
	p := PrincipalFrom(r.Context())
	if !sig.Kind.Exact() {
		if s.deps.Index == nil {
			return nil, &inputError{http.StatusServiceUnavailable, "index not yet ready"}
		}
		hits, err := s.deps.Index.Index().LookupContext(r.Context(), match.Query{Signal: sig, Dihedral: dih, Allowed: allowedBanks(p, auth.Match, names)})
		if errors.Is(err, vpdq.ErrSyntax) {
			return nil, badRequest("invalid signal: %v", err)
		}
		return hits, err
	}
	found, err := s.deps.Banks.LookupExact(r.Context(), sig)
	if err != nil {
		return nil, err
	}
	allowed := allowedBanks(p, auth.Match, names)
	var hits []match.Hit
	for _, f := range found {
		b := match.BankFrom(f.Bank)
		if allowed(&b) {
			hits = append(hits, match.Hit{BankID: b.ID, BankName: b.Name, Negative: b.Kind == bank.Negative, EntryID: f.Entry.ID})
		}
	}
	return match.Suppress(hits), nil
}

// hmaMatch is HMA's MatchWithDistance (schemas/matching.py): the distance
// is a string there (SignalSimilarityInfo.pretty_str).
type hmaMatch struct {
	BankContentID int64  `json:"bank_content_id"`
	Distance      string `json:"distance"`
}

// hmaDistance writes a hit's distance as python-threatexchange's
// pretty_str does: the Hamming distance for PDQ and exact kinds (0), and
// for vPDQ "<query match %>%[<compared match %>%]"
// (threatexchange/extensions/vpdq/vpdq_index.py, VPDQSimilarityInfo).
func hmaDistance(h match.Hit) string {
	if h.Video != nil {
		return fmt.Sprintf("%.0f%%[%.0f%%]", h.Video.QueryPercent, h.Video.ComparedPercent)
	}
	return strconv.Itoa(h.Distance)
}

// hmaLookup answers GET /m/lookup?signal_type=&signal=[&banks=a,b]: the
// matching banks, each with its matching entries (matching.py, lookup_get
// and lookup). HMA's seed and bypass_coinflip are accepted and ignored:
// Haven banks are always fully enabled. A positive match suppressed by a
// negative bank (known-benign material) and the negative bank's own match
// are left out: the verdict is "no match"; /api/v1/lookup shows both.
func (s *Server) hmaLookup(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("url") != "" {
		s.fail(w, r, http.StatusBadRequest, "url lookups are not supported: Haven fetches no media; POST the file to /h/hash and look its hashes up")
		return
	}
	if q.Get("signal") == "" || q.Get("signal_type") == "" {
		s.fail(w, r, http.StatusBadRequest, "Either url or both signal and signal_type are required")
		return
	}
	sig, err := hmaSignal(q.Get("signal_type"), q.Get("signal"))
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	hits, err := s.hits(r, sig, nil, splitList(q.Get("banks")))
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	out := map[string][]hmaMatch{}
	for _, h := range hits {
		if h.Negative || h.Suppressed {
			continue
		}
		out[h.BankName] = append(out[h.BankName], hmaMatch{BankContentID: h.EntryID, Distance: hmaDistance(h)})
	}
	writeJSON(w, http.StatusOK, out)
}

// hmaRawLookup answers GET /m/raw_lookup: {"matches": [ids]}, or with
// include_distance=true {"matches": [{bank_content_id, distance}]}
// (matching.py, raw_lookup). Like HMA's, it returns every visible match,
// negative banks' too.
func (s *Server) hmaRawLookup(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	withDistance := false
	if v := q.Get("include_distance"); v != "" {
		b, err := hmaBool(v)
		if err != nil {
			s.answerErr(w, r, err)
			return
		}
		withDistance = b
	}
	sig, err := hmaSignal(q.Get("signal_type"), q.Get("signal"))
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	hits, err := s.hits(r, sig, nil, splitList(q.Get("banks")))
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	matches := make([]any, 0, len(hits))
	for _, h := range hits {
		if withDistance {
			matches = append(matches, hmaMatch{BankContentID: h.EntryID, Distance: hmaDistance(h)})
		} else {
			matches = append(matches, h.EntryID)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"matches": matches})
}

// hmaBool parses a boolean parameter as HMA's str_to_bool does
// (utils/flask_utils.py).
func hmaBool(v string) (bool, error) {
	switch v {
	case "true", "True", "TRUE", "1":
		return true, nil
	case "false", "False", "FALSE", "0":
		return false, nil
	}
	return false, badRequest("invalid boolean parameter - prefer true/false")
}

// hmaCompare answers POST /m/compare {"pdq": [a, b], ...} with, per signal
// type, [match, {"distance": d}] (matching.py, compare).
func (s *Server) hmaCompare(w http.ResponseWriter, r *http.Request) {
	var req map[string]any
	if err := s.decodeJSON(r, &req); err != nil {
		s.answerErr(w, r, err)
		return
	}
	if req == nil {
		s.fail(w, r, http.StatusBadRequest, "Request input was not a dict")
		return
	}
	out := map[string]any{}
	for name, v := range req {
		list, ok := v.([]any)
		if !ok {
			s.fail(w, r, http.StatusBadRequest, "Comparison hashes for "+name+" was not a list")
			return
		}
		if len(list) != 2 {
			s.fail(w, r, http.StatusBadRequest, "Comparison hash list length must be exactly 2")
			return
		}
		a, aok := list[0].(string)
		b, bok := list[1].(string)
		if !aok || !bok {
			s.fail(w, r, http.StatusBadRequest, "Invalid "+name+" hash: not a string")
			return
		}
		res, err := compareSignals(name, a, b)
		if err != nil {
			s.answerErr(w, r, err)
			return
		}
		out[name] = res
	}
	writeJSON(w, http.StatusOK, out)
}

func compareSignals(name, a, b string) ([]any, error) {
	k, err := signal.ParseKind(name)
	if err != nil {
		return nil, badRequest("No such SignalType '%s'", name)
	}
	sa, err := signal.New(k, a)
	if err != nil {
		return nil, badRequest("Invalid %s hash: %v", name, err)
	}
	sb, err := signal.New(k, b)
	if err != nil {
		return nil, badRequest("Invalid %s hash: %v", name, err)
	}
	switch {
	case k == signal.PDQ:
		ha, _ := sa.PDQHash()
		hb, _ := sb.PDQHash()
		d := pdq.Distance(ha, hb)
		return []any{d <= pdq.DefaultMatchThreshold, map[string]int{"distance": d}}, nil
	case k.Exact():
		d := 1
		if sa.Value == sb.Value {
			d = 0
		}
		return []any{d == 0, map[string]int{"distance": d}}, nil
	}
	return nil, badRequest("%s does not support hash comparison", name)
}

// hmaIndexStatus answers GET /m/index/status[?signal_type=] with, per
// signal type, {"built_to": unix time, "present": bool, "size": n}
// (matching.py, index_status). Those who read figures (monitor, admin,
// victim identification) get the sizes over all banks, a monitor's counts
// under 10 shown as 0 with "suppressed": true; everyone else the sizes of
// the banks they may list.
func (s *Server) hmaIndexStatus(w http.ResponseWriter, r *http.Request) {
	type status struct {
		BuiltTo    int64 `json:"built_to"`
		Present    bool  `json:"present"`
		Size       int64 `json:"size"`
		Suppressed bool  `json:"suppressed,omitempty"`
	}
	limit := r.URL.Query().Get("signal_type")
	var only signal.Kind
	if limit != "" {
		k, err := signal.ParseKind(limit)
		if err != nil || !match.Indexed(k) {
			s.fail(w, r, http.StatusBadRequest, "No such signal type '"+limit+"'")
			return
		}
		only = k
	}
	sizes, err := s.indexSizes(r)
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	p := PrincipalFrom(r.Context())
	builtTo, present := int64(-1), false
	if s.deps.Index != nil {
		builtTo, present = s.deps.Index.Status().LastSync.Unix(), true
	}
	out := map[string]status{}
	for _, k := range []signal.Kind{signal.PDQ, signal.VPDQ, signal.MD5, signal.SHA1, signal.SHA256} {
		if only != "" && only != k {
			continue
		}
		st := status{BuiltTo: builtTo, Present: present || k.Exact(), Size: sizes[k]}
		if k.Exact() {
			st.BuiltTo = time.Now().Unix()
		}
		if p.Role == auth.Monitor && st.Size > 0 && st.Size < minCount {
			st.Size, st.Suppressed = 0, true
		}
		out[string(k)] = st
	}
	writeJSON(w, http.StatusOK, out)
}

// indexSizes counts the active entries per kind that the principal may
// know of: all banks' for those who read figures, else the banks it may
// list.
func (s *Server) indexSizes(r *http.Request) (map[signal.Kind]int64, error) {
	p := PrincipalFrom(r.Context())
	figures := auth.Decide(p, auth.StatsRead, auth.Resource{}) == nil
	sizes := map[signal.Kind]int64{}
	if figures && s.deps.Index != nil {
		fs := s.deps.Index.Status()
		sizes[signal.PDQ], sizes[signal.VPDQ] = int64(fs.PDQ), int64(fs.VPDQ)
	}
	banks, err := s.deps.Banks.List(r.Context())
	if err != nil {
		return nil, err
	}
	for _, b := range banks {
		if !figures && auth.Decide(p, auth.BankList, bankResource(b)) != nil {
			continue
		}
		st, err := s.deps.Banks.Stats(r.Context(), b.Name)
		if err != nil {
			return nil, err
		}
		for k, ks := range st.Kinds {
			if figures && !k.Exact() && s.deps.Index != nil {
				continue // from the index
			}
			sizes[k] += ks.Active
		}
	}
	return sizes, nil
}
