package web

import (
	_ "embed"
	"net/http"
	"time"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/signal"
)

// openAPI is the OpenAPI 3.1 description of /api/v1 and the
// HMA-compatible routes; a test keeps it and the routing table in step.
//
//go:embed openapi.json
var openAPI []byte

// apiRoutes are Haven's own JSON API.
func (s *Server) apiRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/openapi.json", Action: auth.Public, Handler: s.apiOpenAPI},
		{Method: "GET", Path: "/api/v1/whoami", Action: auth.Self, Handler: s.apiWhoami},
		{Method: "GET", Path: "/api/v1/banks", Action: auth.BankList, Handler: s.apiBanks},
		{Method: "POST", Path: "/api/v1/banks", Action: auth.BankWrite, Handler: s.apiBankCreate},
		{Method: "GET", Path: "/api/v1/banks/{name}", Action: auth.BankList, Handler: s.apiBank},
		{Method: "GET", Path: "/api/v1/banks/{name}/entries", Action: auth.BankRead, Handler: s.apiEntries},
		{Method: "POST", Path: "/api/v1/banks/{name}/import", Action: auth.BankWrite, Handler: s.apiImport},
		{Method: "POST", Path: "/api/v1/lookup", Action: auth.Match, Handler: s.apiLookup},
		{Method: "GET", Path: "/api/v1/index/status", Action: auth.IndexRead, Handler: s.apiIndexStatus},
		{Method: "GET", Path: "/api/v1/stats", Action: auth.StatsRead, Handler: s.apiStats},
	}
}

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openAPI)
}

// whoami is the authenticated principal as the API shows it.
type whoami struct {
	Name  string    `json:"name"`
	Org   string    `json:"org"`
	Role  auth.Role `json:"role"`
	Token bool      `json:"token"`
}

func (s *Server) apiWhoami(w http.ResponseWriter, r *http.Request) {
	p := PrincipalFrom(r.Context())
	writeJSON(w, http.StatusOK, whoami{Name: p.Name, Org: p.Org, Role: p.Role, Token: p.TokenID != 0})
}

// apiBankView is a bank in /api/v1.
type apiBankView struct {
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	SourceOrg   string    `json:"source_org"`
	Kind        bank.Kind `json:"kind"`
	// SharedWith is shown to the curating organisation only.
	SharedWith []string            `json:"shared_with,omitempty"`
	Thresholds map[signal.Kind]int `json:"thresholds,omitempty"`
	Seq        int64               `json:"seq"`
	CreatedAt  time.Time           `json:"created_at"`
	UpdatedAt  time.Time           `json:"updated_at"`
	// Counts are filled for one bank, not in lists.
	Active    *int64 `json:"active,omitempty"`
	Withdrawn *int64 `json:"withdrawn,omitempty"`
}

func toBankView(b bank.Bank) apiBankView {
	shared := b.SharedWith
	if shared == nil {
		shared = []string{}
	}
	return apiBankView{Name: b.Name, Description: b.Description, SourceOrg: b.SourceOrg, Kind: b.Kind,
		SharedWith: shared, Thresholds: b.Thresholds, Seq: b.Seq, CreatedAt: b.CreatedAt, UpdatedAt: b.UpdatedAt}
}

// viewFor is b as p may see it: whom it is shared with only for the
// curating organisation.
func viewFor(p auth.Principal, b bank.Bank) apiBankView {
	v := toBankView(b)
	if !ownsBank(p, b) {
		v.SharedWith = nil
	}
	return v
}

func (s *Server) apiBanks(w http.ResponseWriter, r *http.Request) {
	banks, err := s.visibleBanks(r, auth.BankList)
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	p := PrincipalFrom(r.Context())
	out := make([]apiBankView, 0, len(banks))
	for _, b := range banks {
		out = append(out, viewFor(p, b))
	}
	writeJSON(w, http.StatusOK, map[string]any{"banks": out})
}

// apiBankCreateBody creates a bank owned by the principal's organisation.
type apiBankCreateBody struct {
	Name        string              `json:"name"`
	Description string              `json:"description"`
	Kind        bank.Kind           `json:"kind"`
	SharedWith  []string            `json:"shared_with"`
	Thresholds  map[signal.Kind]int `json:"thresholds"`
}

func (s *Server) apiBankCreate(w http.ResponseWriter, r *http.Request) {
	var body apiBankCreateBody
	if err := s.decodeJSON(r, &body); err != nil {
		s.answerErr(w, r, err)
		return
	}
	if body.Name == "" {
		s.fail(w, r, http.StatusBadRequest, "name is required")
		return
	}
	p := PrincipalFrom(r.Context())
	if err := AuthorizeObject(r, auth.BankWrite, auth.Resource{Org: p.Org}, "bank:"+body.Name); err != nil {
		s.answerErr(w, r, err)
		return
	}
	b, err := s.deps.Banks.Create(r.Context(), bank.Bank{Name: body.Name, Description: body.Description, SourceOrg: p.Org,
		Kind: body.Kind, SharedWith: body.SharedWith, Thresholds: body.Thresholds})
	s.outcome(r, auth.BankWrite, "bank:"+body.Name, err, "created")
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	s.changed(r.Context())
	writeJSON(w, http.StatusCreated, toBankView(b))
}

// apiBank is one bank with its counts.
func (s *Server) apiBank(w http.ResponseWriter, r *http.Request) {
	b, err := s.authorizedBank(r, auth.BankList, r.PathValue("name"))
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	p := PrincipalFrom(r.Context())
	v := viewFor(p, b)
	// Counts for those who may read the entries; a partner learns only
	// that the bank exists and is shared with it.
	if auth.Decide(p, auth.BankRead, bankResource(b)) == nil {
		st, err := s.deps.Banks.Stats(r.Context(), b.Name)
		if err != nil {
			s.answerErr(w, r, err)
			return
		}
		v.Active, v.Withdrawn = &st.Active, &st.Withdrawn
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) apiIndexStatus(w http.ResponseWriter, r *http.Request) {
	// Sizes over all banks are figures: for those who read figures
	// (a monitor's under 10 suppressed); others see freshness only.
	type status struct {
		Ready      bool      `json:"ready"`
		PDQ        *int      `json:"pdq_entries,omitempty"`
		VPDQ       *int      `json:"vpdq_entries,omitempty"`
		Banks      *int      `json:"banks,omitempty"`
		LoadedAt   time.Time `json:"loaded_at"`
		LastSync   time.Time `json:"last_sync"`
		LagSeconds float64   `json:"lag_seconds"`
		Applied    int64     `json:"applied_changes"`
		SyncErrors int64     `json:"sync_errors"`
	}
	if s.deps.Index == nil {
		writeJSON(w, http.StatusOK, status{})
		return
	}
	fs := s.deps.Index.Status()
	out := status{Ready: true, LoadedAt: fs.LoadedAt.UTC(),
		LastSync: fs.LastSync.UTC(), LagSeconds: fs.Lag(time.Now()).Seconds(), Applied: fs.Applied, SyncErrors: fs.Errors}
	p := PrincipalFrom(r.Context())
	if auth.Decide(p, auth.StatsRead, auth.Resource{}) == nil {
		small := func(n int) *int {
			if p.Role == auth.Monitor && n > 0 && n < minCount {
				n = 0
			}
			return &n
		}
		out.PDQ, out.VPDQ, out.Banks = small(fs.PDQ), small(fs.VPDQ), small(fs.Banks)
	}
	writeJSON(w, http.StatusOK, out)
}
