package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/havenproject/haven/internal/auth"
	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/bank/formats"
	"github.com/havenproject/haven/internal/signal"
)

// errorBody is the JSON of every error: "message" as HMA's API error
// handler writes it (OpenMediaMatch/utils/flask_utils.py,
// api_error_handler), so that HMA clients show it, plus the request id to
// find the server's log line.
type errorBody struct {
	Message   string `json:"message"`
	RequestID string `json:"request_id,omitempty"`
}

// Error answers status with a JSON error body.
func Error(w http.ResponseWriter, r *http.Request, status int, msg string) {
	writeJSON(w, status, errorBody{Message: msg, RequestID: RequestID(r)})
}

// writeJSON answers v as JSON. API answers are never cached: they depend
// on who asks.
func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

// inputError is a request the client must fix: the handler answers its
// status (4xx) with its message.
type inputError struct {
	status int
	msg    string
}

func (e *inputError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &inputError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// decodeJSON reads a JSON body of at most the server's JSON limit into v,
// refusing trailing data. Errors are inputErrors.
func (s *Server) decodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return &inputError{http.StatusUnsupportedMediaType, "want a JSON body (Content-Type: application/json)"}
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, s.cfg.MaxJSONBytes+1))
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			return &inputError{http.StatusRequestEntityTooLarge, "request body too large"}
		case errors.Is(err, io.EOF):
			return badRequest("empty body: want a JSON object")
		case errors.Is(err, io.ErrUnexpectedEOF):
			return badRequest("truncated JSON, or larger than %d bytes", s.cfg.MaxJSONBytes)
		}
		return badRequest("invalid JSON: %v", err)
	}
	if dec.More() {
		return badRequest("trailing data after the JSON value")
	}
	return nil
}

// answerErr answers an error from a handler's work: inputErrors with
// their status, store and service errors mapped to 4xx where they are the
// client's (not found, exists, invalid), 503 for the rest (the database is
// down or overloaded): a client may retry; nothing in the input caused it.
func (s *Server) answerErr(w http.ResponseWriter, r *http.Request, err error) {
	var ie *inputError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &ie):
		s.fail(w, r, ie.status, ie.msg)
	case errors.As(err, &mbe):
		s.fail(w, r, http.StatusRequestEntityTooLarge, "request body too large")
	case errors.Is(err, auth.ErrDenied), errors.Is(err, auth.ErrUnauthenticated), errors.Is(err, errAudit):
		s.deny(w, r, err)
	default:
		if status, msg, ok := serviceStatus(err); ok {
			s.fail(w, r, status, msg)
			return
		}
		if r.Context().Err() != nil {
			s.fail(w, r, http.StatusServiceUnavailable, "request cancelled")
			return
		}
		s.log.Error("request failed", "id", RequestID(r), "path", r.URL.Path, "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, "the server could not complete the request; try again")
	}
}

// serviceStatus maps the domain's sentinel errors to the client's status.
func serviceStatus(err error) (int, string, bool) {
	switch {
	case errors.Is(err, bank.ErrNotFound):
		return http.StatusNotFound, "not found", true
	case errors.Is(err, bank.ErrExists):
		return http.StatusConflict, "already exists", true
	case errors.Is(err, bank.ErrTooManyRejected):
		return http.StatusUnprocessableEntity, err.Error(), true
	case errors.Is(err, bank.ErrInvalid), errors.Is(err, bank.ErrCategory),
		errors.Is(err, signal.ErrKind), errors.Is(err, signal.ErrValue):
		return http.StatusBadRequest, err.Error(), true
	case errors.Is(err, formats.ErrFormat), errors.Is(err, formats.ErrNotFormat), errors.Is(err, formats.ErrTruncated),
		errors.Is(err, formats.ErrTooLong), errors.Is(err, formats.ErrAmbiguous), errors.Is(err, formats.ErrUnsupported),
		errors.Is(err, formats.ErrRecord):
		return http.StatusUnprocessableEntity, err.Error(), true
	}
	var fe *formats.FatalError
	if errors.As(err, &fe) {
		return http.StatusUnprocessableEntity, err.Error(), true
	}
	return 0, "", false
}
