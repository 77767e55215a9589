package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/faultline-osint/faultline"
)

// statuses maps the domain's error codes to HTTP statuses: the one table.
var statuses = map[string]int{
	faultline.EINVALID:   http.StatusBadRequest,
	faultline.ENOTFOUND:  http.StatusNotFound,
	faultline.EAMBIGUOUS: http.StatusConflict,
	faultline.ECONFLICT:  http.StatusConflict,
	faultline.EINTERNAL:  http.StatusInternalServerError,
}

// httpError is an error of the HTTP layer itself (authentication, CSRF,
// sizes), with its own status and code.
type httpError struct {
	status int
	code   string
	msg    string
}

func (e *httpError) Error() string { return e.msg }

// apiError is the JSON body of every error response.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// errorStatus returns the status and code of err.
func errorStatus(err error) (int, string, string) {
	var he *httpError
	if errors.As(err, &he) {
		return he.status, he.code, he.msg
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return http.StatusRequestEntityTooLarge, "too_large", "request body too large"
	}
	code := faultline.ErrorCode(err)
	status, ok := statuses[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	msg := faultline.ErrorMessage(err)
	if status == http.StatusInternalServerError {
		msg = "internal error" // details go to the log, not the client
	}
	return status, code, msg
}

// writeError answers with a JSON error for API paths and a small page for
// the others.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, code, msg := errorStatus(err)
	if status >= 500 {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if !strings.HasPrefix(r.URL.Path, "/api/") && s.pages != nil && acceptsHTML(r) {
		s.renderError(w, r, status, msg)
		return
	}
	var body apiError
	body.Error.Code, body.Error.Message = code, msg
	writeJSON(w, status, body)
}

func acceptsHTML(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

// writeJSON writes v with the status. HTML-sensitive characters are
// escaped (the default), so that a JSON body opened as a page shows text.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	_ = enc.Encode(v)
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
