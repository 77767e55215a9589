// Package server is Faultline's HTTP face: the JSON API under /api/v1
// (documented by the OpenAPI 3.1 file it serves at /api/v1/openapi.json)
// and the analyst's workbench, pages rendered with html/template from the
// embedded web assets. It is thin over the domain: every answer comes from
// the store's service interfaces, or from a read model built from them
// (see model.go) for what must be fast at scale: neighbourhoods, paths,
// events and aggregated ties.
//
// # Safety
//
// The server binds 127.0.0.1 by default; any other address needs an access
// token, sent as "Authorization: Bearer TOKEN" or through the login page,
// which sets a cookie. Document text is untrusted: templates escape it,
// scripts put it in the page with textContent only, and a strict Content
// Security Policy allows no inline script. Every state-changing request
// must carry the CSRF token of the page (or a bearer token) and pass Go's
// cross-origin protection; without a token, the Host header must name a
// loopback host (no DNS rebinding). Bodies are size-limited and the server
// has read, write and idle timeouts.
package server

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/faultline-osint/faultline"
)

// Store is what the server needs of a backend.
type Store interface {
	faultline.Store
	faultline.BrowseService
	faultline.ModelSource
}

// Config configures a Server.
type Config struct {
	// Token, when set, is required of every request but the login page
	// and static assets. It must be set to bind a non-loopback address.
	Token string
	// Analyst names who reviews through this server (default "web").
	Analyst string
	// MaxBody bounds JSON request bodies (default 1 MB) and MaxUpload an
	// ingest (default 50 MB).
	MaxBody, MaxUpload int64
	// RequestTimeout bounds the work of one request (default 60 s).
	RequestTimeout time.Duration
	// Log receives a line per request at debug level and errors at error
	// level; nil discards.
	Log *slog.Logger
	// Extractor extracts ingested documents; nil disables ingest.
	Extractor faultline.Extractor
	// ModelPoll is how often the read model checks the store for writes
	// made by other processes (default 2 s; negative disables).
	ModelPoll time.Duration
	// Extra handlers mounted beside the API, e.g. "/taxii2/"; they go
	// through the same authentication.
	Mount map[string]http.Handler
}

// Server serves the API and the pages.
type Server struct {
	st      Store
	cfg     Config
	log     *slog.Logger
	model   *models
	csrf    string // the CSRF token pages embed
	session string // the value of the login cookie
	mux     *http.ServeMux
	routes  []route
	pages   *pages
	slots   chan struct{} // admission to the read-model answers
}

// route is one registered API route, listed for the OpenAPI check.
type route struct {
	Method, Path string
}

// Default limits.
const (
	defaultMaxBody   = 1 << 20
	defaultMaxUpload = 50 << 20
	sessionCookie    = "faultline_session"
	csrfHeader       = "X-CSRF-Token"
	csrfField        = "csrf_token"
	minTokenLen      = 16
)

// New builds a server over st.
func New(st Store, cfg Config) (*Server, error) {
	if cfg.Analyst == "" {
		cfg.Analyst = "web"
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = defaultMaxBody
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = defaultMaxUpload
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 60 * time.Second
	}
	if cfg.ModelPoll == 0 {
		cfg.ModelPoll = 2 * time.Second
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, faultline.Errorf(faultline.EINTERNAL, "server: random secret: %w", err)
	}
	s := &Server{st: st, cfg: cfg, log: log, mux: http.NewServeMux(), slots: make(chan struct{}, 8*runtime.GOMAXPROCS(0))}
	s.csrf = mac(secret, "csrf")
	s.session = mac([]byte(cfg.Token), "session")
	s.model = newModels(st, log)
	var err error
	if s.pages, err = loadPages(); err != nil {
		return nil, err
	}
	s.registerAPI()
	s.registerPages()
	for prefix, h := range cfg.Mount {
		s.mux.Handle(prefix, h)
	}
	return s, nil
}

func mac(key []byte, msg string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// Routes lists the API routes as "METHOD /path" with {name} parameters.
func (s *Server) Routes() []string {
	out := make([]string, len(s.routes))
	for i, r := range s.routes {
		out[i] = r.Method + " " + r.Path
	}
	return out
}

// Model returns the read model, building it if needed: callers that
// want a warm server before listening call it once.
func (s *Server) Warm(ctx context.Context) error {
	_, err := s.model.get(ctx)
	return err
}

// Handler returns the server's handler with every protection applied.
func (s *Server) Handler() http.Handler {
	var h http.Handler = s.mux
	h = s.csrfCheck(h)
	h = s.auth(h)
	h = s.hostCheck(h)
	h = s.headers(h)
	h = s.recoverAndLog(h)
	return h
}

// CheckBind refuses an address that is not loopback unless a token is
// set: the server holds sensitive material and must not be open to a
// network by accident.
func CheckBind(addr, token string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return faultline.Errorf(faultline.EINVALID, "address %q: want host:port, e.g. 127.0.0.1:8080", addr)
	}
	if token != "" && len(token) < minTokenLen {
		return faultline.Errorf(faultline.EINVALID, "the access token must be at least %d characters", minTokenLen)
	}
	if isLoopback(host) || token != "" {
		return nil
	}
	return faultline.Errorf(faultline.EINVALID, "refusing to listen on %s without an access token: "+
		"anyone who can reach it could read and change the database; set --token or FAULTLINE_TOKEN (at least %d characters), "+
		"or bind 127.0.0.1", addr, minTokenLen)
}

// isLoopback reports whether host names this machine only.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// ListenAndServe serves on addr until ctx ends, then shuts down
// gracefully. ready, when set, is called with the bound address.
func (s *Server) ListenAndServe(ctx context.Context, addr string, ready func(net.Addr)) error {
	if err := CheckBind(addr, s.cfg.Token); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return faultline.Errorf(faultline.EINVALID, "listen on %s: %w", addr, err)
	}
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	stop := s.model.poll(ctx, s.cfg.ModelPoll)
	defer stop()
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shut); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// admit runs h when one of the server's slots is free, eight per core.
// Answers from the read model are pure CPU; run all at once, 200
// concurrent requests share the cores and each takes 200 times its own
// work, a hub's answer far longer than the rest. Queued on a channel,
// whose waiters are served first come, first served, each waits its turn
// and then runs at full speed: the same throughput, and a latency that no
// longer depends on the neighbours' size. Cached answers skip the queue
// (see cachedFirst) and take most of the CPU under load, so a slot runs
// slower than a core's speed: with two per core, answers still to be
// computed queued behind each other and made the latency tail.
func (s *Server) admit(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case s.slots <- struct{}{}:
		case <-r.Context().Done():
			return
		}
		defer func() { <-s.slots }()
		h(w, r)
	}
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// recoverAndLog logs each request and turns a panic into a 500.
func (s *Server) recoverAndLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
		defer cancel()
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v))
				if rec.status == 0 {
					s.writeError(rec, r, faultline.Errorf(faultline.EINTERNAL, "internal error"))
				}
			}
			// Checked first: the arguments alone would allocate on
			// every request at info level.
			if s.log.Enabled(ctx, slog.LevelDebug) {
				s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", time.Since(start))
			}
		}()
		next.ServeHTTP(rec, r.WithContext(ctx))
	})
}

// contentSecurityPolicy allows scripts, styles and data from this origin
// only: no inline script, no plugin, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders are the headers every response carries, keys in
// canonical form. The value slices are shared by all responses, which
// saves the allocation Header.Set makes per value; net/http only reads
// them, and Header.Add appends to a full slice, so copies first.
var securityHeaders = []struct {
	key   string
	value []string
}{
	{"Content-Security-Policy", []string{contentSecurityPolicy}},
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"X-Frame-Options", []string{"DENY"}},
	{"Referrer-Policy", []string{"no-referrer"}},
	{"Cross-Origin-Opener-Policy", []string{"same-origin"}},
	{"Cross-Origin-Resource-Policy", []string{"same-origin"}},
}

// headers sets the security headers on every response.
func (s *Server) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, x := range securityHeaders {
			h[x.key] = x.value[:1:1]
		}
		next.ServeHTTP(w, r)
	})
}

// hostCheck refuses, when no token protects the server, requests whose
// Host is not a loopback name: a page on another site that rebinds its
// DNS name to 127.0.0.1 must not reach the API.
func (s *Server) hostCheck(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.Token == "" {
			host := r.Host
			if h, _, err := net.SplitHostPort(host); err == nil {
				host = h
			}
			if !isLoopback(host) {
				s.writeError(w, r, &httpError{status: http.StatusMisdirectedRequest, code: "forbidden",
					msg: fmt.Sprintf("host %q is not a loopback name; without a token the server answers only to localhost", r.Host)})
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// authenticated reports how the request proved it knows the token:
// "bearer", "cookie", or "" for neither. With no token configured every
// request counts as cookie-authenticated (a browser's ambient state), so
// the CSRF check applies.
func (s *Server) authenticated(r *http.Request) string {
	if s.cfg.Token == "" {
		return "cookie"
	}
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		if subtle.ConstantTimeCompare([]byte(strings.TrimPrefix(h, "Bearer ")), []byte(s.cfg.Token)) == 1 {
			return "bearer"
		}
		return ""
	}
	if c, err := r.Cookie(sessionCookie); err == nil && subtle.ConstantTimeCompare([]byte(c.Value), []byte(s.session)) == 1 {
		return "cookie"
	}
	return ""
}

// public paths need no token: the login page and the static assets,
// which hold no data.
func public(path string) bool {
	return path == "/login" || strings.HasPrefix(path, "/static/") || path == "/favicon.ico"
}

// Unauthorizer is implemented by a mounted handler (Config.Mount) that
// answers a request lacking the token in its own protocol's terms: a TAXII
// client wants a TAXII error message. The server refuses such a request
// whether or not the handler implements it.
type Unauthorizer interface {
	Unauthorized(w http.ResponseWriter, r *http.Request)
}

// mountOf returns the mounted handler that serves path, nil for none.
func (s *Server) mountOf(path string) http.Handler {
	for prefix, h := range s.cfg.Mount {
		if path == prefix || strings.HasSuffix(prefix, "/") && (strings.HasPrefix(path, prefix) || path == strings.TrimSuffix(prefix, "/")) {
			return h
		}
	}
	return nil
}

// auth requires the token when one is configured: API calls without it
// get 401, pages are sent to the login page. Mounted handlers are APIs
// for programs (a TAXII client follows no login redirect): 401 too, in
// their own error format when they have one.
func (s *Server) auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if public(r.URL.Path) || s.authenticated(r) != "" {
			next.ServeHTTP(w, r)
			return
		}
		mount := s.mountOf(r.URL.Path)
		if mount != nil || strings.HasPrefix(r.URL.Path, "/api/") || r.Method != http.MethodGet {
			w.Header().Set("WWW-Authenticate", `Bearer realm="faultline"`)
			if u, ok := mount.(Unauthorizer); ok {
				u.Unauthorized(w, r)
				return
			}
			s.writeError(w, r, &httpError{status: http.StatusUnauthorized, code: "unauthorized", msg: "an access token is required: send Authorization: Bearer TOKEN or log in"})
			return
		}
		http.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	})
}

// csrfCheck guards every state-changing request: Go's cross-origin
// protection (Sec-Fetch-Site, Origin) first, then the page's CSRF token in
// a header or form field, unless the request carries the bearer token,
// which a browser never sends on its own.
func (s *Server) csrfCheck(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, &httpError{status: http.StatusForbidden, code: "forbidden", msg: "cross-origin request refused"})
	}))
	check := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		if s.authenticated(r) == "bearer" || (r.URL.Path == "/login" && s.cfg.Token != "") {
			next.ServeHTTP(w, r)
			return
		}
		tok := r.Header.Get(csrfHeader)
		if tok == "" && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)
			tok = r.PostFormValue(csrfField)
		} else if tok == "" && strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload)
			if err := r.ParseMultipartForm(8 << 20); err == nil {
				tok = r.FormValue(csrfField)
			}
		}
		if subtle.ConstantTimeCompare([]byte(tok), []byte(s.csrf)) != 1 {
			s.writeError(w, r, &httpError{status: http.StatusForbidden, code: "forbidden", msg: "missing or wrong CSRF token: reload the page and try again"})
			return
		}
		next.ServeHTTP(w, r)
	})
	return cop.Handler(check)
}
