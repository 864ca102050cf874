package web

import (
	"net/http"

	"github.com/havenproject/haven/internal/auth"
)

// minCount is the smallest count the figures show; smaller ones are
// shown as "<10", so that figures never single out a case or a child.
const minCount = 10

// count is a figure with small values suppressed.
func count(n int64) any {
	if n > 0 && n < minCount {
		return "<10"
	}
	return n
}

// apiStats answers aggregate figures over every bank: banks and active
// entries by bank kind, by signal kind and by category. No names, no
// hashes: what a monitor may see.
func (s *Server) apiStats(w http.ResponseWriter, r *http.Request) {
	if err := AuthorizeObject(r, auth.StatsRead, auth.Resource{}, "stats"); err != nil {
		s.answerErr(w, r, err)
		return
	}
	banks, err := s.deps.Banks.List(r.Context())
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	byBankKind := map[string]int64{}
	bySignal := map[string]int64{}
	byCategory := map[string]int64{}
	var withdrawn int64
	for _, b := range banks {
		st, err := s.deps.Banks.Stats(r.Context(), b.Name)
		if err != nil {
			s.answerErr(w, r, err)
			return
		}
		byBankKind[string(b.Kind)] += st.Active
		withdrawn += st.Withdrawn
		for k, ks := range st.Kinds {
			bySignal[string(k)] += ks.Active
		}
		for c, n := range st.Categories {
			byCategory[c.String()] += n
		}
	}
	suppress := func(m map[string]int64) map[string]any {
		out := make(map[string]any, len(m))
		for k, v := range m {
			out[k] = count(v)
		}
		return out
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"banks":              count(int64(len(banks))),
		"active_by_bank":     suppress(byBankKind),
		"active_by_signal":   suppress(bySignal),
		"active_by_category": suppress(byCategory),
		"withdrawn":          count(withdrawn),
		"suppressed_below":   minCount,
	})
}
