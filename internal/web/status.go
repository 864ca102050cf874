package web

import (
	"bufio"
	"net/http"
	"time"

	"github.com/havenproject/haven/internal/auth"
)

func (s *Server) statusRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/status", Action: auth.Public, Handler: s.handleStatus},
		{Method: "GET", Path: "/status/live", Action: auth.Public, Handler: s.handleLive},
		// Metrics name routes, sizes and rates: for monitors and
		// operators (Prometheus sends a bearer token).
		{Method: "GET", Path: "/metrics", Action: auth.StatsRead, Handler: s.handleMetrics},
	}
}

// handleStatus answers load balancers as HMA's /status does
// (OpenMediaMatch/app.py, status): plain text "I-AM-ALIVE" with 200 when
// the matcher can serve, "INDEX-NOT-LOADED" or "INDEX-STALE" with 503
// when it cannot (no index, or not synced for StaleAfter).
func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if s.deps.Index == nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("INDEX-NOT-LOADED"))
		return
	}
	if s.deps.Index.Status().Lag(time.Now()) > s.cfg.StaleAfter {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("INDEX-STALE"))
		return
	}
	w.Write([]byte("I-AM-ALIVE"))
}

// handleLive is the liveness probe: the process serves HTTP.
func (s *Server) handleLive(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("I-AM-ALIVE"))
}

// handleMetrics writes the Prometheus text exposition (format 0.0.4).
func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	extra := []gauge{
		{"haven_uptime_seconds", "Seconds since the server started.", "gauge", time.Since(s.started).Seconds()},
		{"haven_audit_pending_records", "Batched token-use audit records not yet written.", "gauge", float64(s.audit.pendingCount())},
	}
	if s.deps.Index != nil {
		st := s.deps.Index.Status()
		extra = append(extra,
			gauge{"haven_index_pdq_entries", "Active PDQ entries in this node's index.", "gauge", float64(st.PDQ)},
			gauge{"haven_index_vpdq_entries", "Active vPDQ entries (videos) in this node's index.", "gauge", float64(st.VPDQ)},
			gauge{"haven_index_banks", "Banks known to this node's index.", "gauge", float64(st.Banks)},
			gauge{"haven_index_lag_seconds", "Seconds since the index was last synced with the store.", "gauge", st.Lag(time.Now()).Seconds()},
			gauge{"haven_index_applied_changes_total", "Entry changes applied to the index since start.", "counter", float64(st.Applied)},
			gauge{"haven_index_sync_errors_total", "Failed index syncs since start.", "counter", float64(st.Errors)},
		)
	}
	s.metrics.write(bw, extra)
}
