package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/match"
	"github.com/havenproject/haven/internal/signal"
)

// hmaBank is HMA's BankConfig (schemas/curation.py). Haven banks have no
// matching ratio: they are always fully enabled.
type hmaBank struct {
	Name                 string  `json:"name"`
	MatchingEnabledRatio float64 `json:"matching_enabled_ratio"`
}

func toHMABank(b bank.Bank) hmaBank { return hmaBank{Name: b.Name, MatchingEnabledRatio: 1} }

// hmaBanks answers GET /c/banks: the banks shared with the principal's
// organisation (curation.py, banks_index).
func (s *Server) hmaBanks(w http.ResponseWriter, r *http.Request) {
	banks, err := s.visibleBanks(r, auth.BankList)
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	out := make([]hmaBank, 0, len(banks))
	for _, b := range banks {
		out = append(out, toHMABank(b))
	}
	writeJSON(w, http.StatusOK, out)
}

// hmaBankBody is HMA's BankCreateRequest and BankUpdateRequest.
type hmaBankBody struct {
	Name         *string  `json:"name"`
	EnabledRatio *float64 `json:"enabled_ratio"`
	Enabled      *bool    `json:"enabled"`
}

// checkEnabled refuses what Haven cannot do: a partly or wholly disabled
// bank.
func (b hmaBankBody) checkEnabled() error {
	if (b.EnabledRatio != nil && *b.EnabledRatio != 1) || (b.Enabled != nil && !*b.Enabled) {
		return badRequest("Haven banks are always enabled: enabled_ratio must be 1 and enabled true (withdraw entries instead)")
	}
	return nil
}

// hmaBankCreate answers POST /c/banks {"name": ...} with 201 and the bank
// (curation.py, bank_create); the bank belongs to the principal's
// organisation. An existing name is 403, as in HMA.
func (s *Server) hmaBankCreate(w http.ResponseWriter, r *http.Request) {
	var body hmaBankBody
	if err := s.decodeJSON(r, &body); err != nil {
		s.answerErr(w, r, err)
		return
	}
	if body.Name == nil || *body.Name == "" {
		s.fail(w, r, http.StatusBadRequest, "name is required")
		return
	}
	if err := body.checkEnabled(); err != nil {
		s.answerErr(w, r, err)
		return
	}
	p := PrincipalFrom(r.Context())
	if err := AuthorizeObject(r, auth.BankWrite, auth.Resource{Org: p.Org}, "bank:"+*body.Name); err != nil {
		s.answerErr(w, r, err)
		return
	}
	b, err := s.deps.Banks.Create(r.Context(), bank.Bank{Name: *body.Name, SourceOrg: p.Org})
	s.outcome(r, auth.BankWrite, "bank:"+*body.Name, err, "created")
	if errors.Is(err, bank.ErrExists) {
		s.fail(w, r, http.StatusForbidden, "Bank already exists")
		return
	}
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	s.changed(r.Context())
	writeJSON(w, http.StatusCreated, toHMABank(b))
}

// hmaBankGet answers GET /c/bank/<name> (curation.py, bank_show_by_name).
func (s *Server) hmaBankGet(w http.ResponseWriter, r *http.Request) {
	b, ok := s.hmaBank(w, r, auth.BankList, "")
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, toHMABank(b))
}

// hmaBankUpdate answers PUT /c/bank/<name> (curation.py, bank_update).
// Haven keeps bank names (entries' provenance and other nodes' cursors
// refer to them) and has no disabled banks, so a body that asks for either
// is refused; one that asks for nothing new returns the bank.
func (s *Server) hmaBankUpdate(w http.ResponseWriter, r *http.Request) {
	var body hmaBankBody
	if err := s.decodeJSON(r, &body); err != nil {
		s.answerErr(w, r, err)
		return
	}
	b, ok := s.hmaBank(w, r, auth.BankWrite, "Bank not found")
	if !ok {
		return
	}
	if body.Name != nil && *body.Name != b.Name {
		s.fail(w, r, http.StatusBadRequest, "Haven does not rename banks")
		return
	}
	if err := body.checkEnabled(); err != nil {
		s.answerErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toHMABank(b))
}

// hmaBankDelete answers DELETE /c/bank/<name> with {"message": "Done"}
// (curation.py, bank_delete). Haven keeps every opinion for the audit
// trail, so deleting withdraws every active entry of the bank (they stop
// matching at once, on every node); the empty bank stays.
func (s *Server) hmaBankDelete(w http.ResponseWriter, r *http.Request) {
	b, ok := s.hmaBank(w, r, auth.BankWrite, "")
	if !ok {
		return
	}
	var ids []int64
	err := s.deps.Banks.Export(r.Context(), b.Name, bank.ExportOptions{}, func(e *bank.Entry) error {
		ids = append(ids, e.ID)
		return nil
	})
	if err == nil && len(ids) > 0 {
		p := PrincipalFrom(r.Context())
		_, err = s.deps.Banks.Withdraw(r.Context(), b.Name, bank.Withdrawal{EntryIDs: ids, By: p.Name,
			Reason: "bank deleted through the HMA API (DELETE /c/bank/" + b.Name + ")"})
	}
	s.outcome(r, auth.BankWrite, "bank:"+b.Name, err, fmt.Sprintf("deleted: %d entries withdrawn", len(ids)))
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	s.changed(r.Context())
	writeJSON(w, http.StatusOK, map[string]string{"message": "Done"})
}

// hmaBankSignal answers POST /c/bank/<name>/signal {"pdq": "<hex>", ...}
// with {"id": n, "signals": {...}} (curation.py, bank_add_as_signals and
// _bank_add_signals). HMA groups the signals of one piece of content
// under one id; Haven keeps one entry per signal, and answers the id of
// the first (by signal type name).
func (s *Server) hmaBankSignal(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	if err := s.decodeJSON(r, &body); err != nil {
		s.answerErr(w, r, err)
		return
	}
	if len(body) == 0 {
		s.fail(w, r, http.StatusBadRequest, "No signals given")
		return
	}
	names := make([]string, 0, len(body))
	for n := range body {
		names = append(names, n)
	}
	sort.Strings(names)
	sigs := make([]signal.Signal, 0, len(names))
	out := map[string]string{}
	for _, n := range names {
		v, ok := body[n].(string)
		if !ok {
			s.fail(w, r, http.StatusBadRequest, "Invalid "+n+" signal: not a string")
			return
		}
		sig, err := hmaSignal(n, v)
		if err != nil {
			var ie *inputError
			if errors.As(err, &ie) {
				err = badRequest("Invalid %s signal: %s", n, ie.msg)
			}
			s.answerErr(w, r, err)
			return
		}
		sigs = append(sigs, sig)
		out[n] = sig.Value
	}
	b, ok := s.hmaBank(w, r, auth.BankWrite, "")
	if !ok {
		return
	}
	id, err := s.addSignals(r.Context(), b, PrincipalFrom(r.Context()).Name, sigs)
	s.outcome(r, auth.BankWrite, "bank:"+b.Name, err, fmt.Sprintf("added %d signals, first entry %d", len(sigs), id))
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "signals": out})
}

// addSignals adds one entry per signal to b and returns the id of the
// first signal's entry (new, or already active in the bank).
func (s *Server) addSignals(ctx context.Context, b bank.Bank, by string, sigs []signal.Signal) (int64, error) {
	src := make(sliceSource, 0, len(sigs))
	for _, sig := range sigs {
		src = append(src, bank.Entry{Signal: sig, AddedBy: by})
	}
	if _, err := s.deps.Banks.Import(ctx, b.Name, &src, bank.ImportOptions{AddedBy: by, MaxRejected: 0}); err != nil {
		return 0, err
	}
	s.changed(ctx)
	first := sigs[0]
	if first.Kind.Exact() {
		found, err := s.deps.Banks.LookupExact(ctx, first)
		if err != nil {
			return 0, err
		}
		for _, f := range found {
			if f.Bank.ID == b.ID {
				return f.Entry.ID, nil
			}
		}
		return 0, nil
	}
	if s.deps.Index != nil {
		for _, h := range s.deps.Index.Index().Lookup(match.Query{Signal: first, Allowed: func(x *match.Bank) bool { return x.ID == b.ID }}) {
			if h.Distance == 0 {
				return h.EntryID, nil
			}
		}
	}
	return 0, nil
}

// sliceSource is a bank.EntrySource over a slice.
type sliceSource []bank.Entry

func (s *sliceSource) Next() (bank.Entry, error) {
	if len(*s) == 0 {
		return bank.Entry{}, io.EOF
	}
	e := (*s)[0]
	*s = (*s)[1:]
	return e, nil
}

// hmaBank gets the bank named in the path and authorises a on it, or
// answers: 404 with HMA's message for that route (notFound, or "bank '<name>'
// not found" when empty) for a bank that is absent or not visible.
func (s *Server) hmaBank(w http.ResponseWriter, r *http.Request, a auth.Action, notFound string) (bank.Bank, bool) {
	name := r.PathValue("name")
	b, err := s.authorizedBank(r, a, name)
	if errors.Is(err, bank.ErrNotFound) {
		if notFound == "" {
			notFound = "bank '" + name + "' not found"
		}
		s.fail(w, r, http.StatusNotFound, notFound)
		return bank.Bank{}, false
	}
	if err != nil {
		s.answerErr(w, r, err)
		return bank.Bank{}, false
	}
	return b, true
}
