// Package taxii serves Faultline's graph as a read-only TAXII 2.1 server:
// discovery, one API root, its collections, their objects, manifests and
// versions, in the STIX 2.1 objects of export/stix.
//
// # Collections
//
// There is one collection per TLP level — "tlp-clear" holds what may be
// shared as TLP:CLEAR, "tlp-green" what may be shared at TLP:GREEN or
// below, and so on to "tlp-red", everything — and one per saved query
// (Options.Queries): a named, fixed export filter (a TLP limit, a since
// date, an entity neighbourhood) such as "TTP and its neighbours, green".
// Collection ids are UUIDv5s of their names, so they stay the same from
// run to run. A saved query can sit in the configuration file:
//
//	taxii:
//	  queries:
//	    - name: ttp-green
//	      title: TTP and its neighbourhood, TLP:GREEN
//	      tlp_max: green
//	      entity: TTP
//	      hops: 2
//
// # Objects
//
// date_added is an object's modified time: the latest ingest of the
// sources behind it, so that added_after returns what new reports added or
// changed. Objects are listed by date_added, then id; a page holds at most
// limit objects (at most Options.MaxPage) and next is an opaque cursor (the
// last date_added and id seen), so that paging stays correct while reports
// are ingested. Each object has one version (its modified time):
// match[version] accepts last, first, all or that time. Filters: added_after,
// match[id], match[type], match[version], match[spec_version] (2.1).
//
// A collection is served from a store snapshot kept for Options.CacheFor
// (default 10 s) once it is ready, so that a client paging through a large collection is
// not making the server export it once per page. What is kept is the
// snapshot and, per object, a compact entry (id, type, version) in
// date-added order; a page's objects are encoded when it is served, since
// the encoded objects of a dataset are several times the snapshot. The TLP
// collections share snapshots: the snapshot up to a level is also that of
// the levels down to the highest marking among its sources, and, when the
// store lists its sources, of the levels up to the next marking a source
// carries (in a database of TLP:CLEAR sources, all five collections serve
// one); they are taken one at a time, so that a second request waits for
// the first and shares it. A saved query without a since date starts
// from its level's snapshot. Snapshots nothing serves any more are
// dropped when they expire.
//
// # Access
//
// The server answers only GET (and HEAD): can_write is false everywhere
// and any other method is 405. When Options.Token is set, every request
// must carry "Authorization: Bearer TOKEN", the rule of the web UI's API;
// mounted inside faultline serve (server.Config.Mount), the server's own
// authentication applies and Token can stay empty: the server refuses a
// request without the token and lets the handler answer it (Unauthorized:
// 401 with a TAXII error, never the login page's redirect). Errors are
// TAXII error messages. Requests whose Accept header names neither TAXII 2.1 nor any
// type get 406.
package taxii

import (
	"cmp"
	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/export/stix"
	"github.com/faultline-osint/faultline/gazetteer"
)

// Media types.
const (
	TAXIIMediaType = "application/taxii+json;version=2.1"
	STIXMediaType  = "application/stix+json;version=2.1"
)

// Store is what the server needs of a backend.
type Store interface {
	faultline.SnapshotService
	FindEntity(ctx context.Context, ref string) (*faultline.Entity, error)
}

// Query is a saved query served as a collection.
type Query struct {
	// Name identifies the query; the collection id is derived from it.
	Name        string `yaml:"name" json:"name"`
	Title       string `yaml:"title" json:"title"`
	Description string `yaml:"description" json:"description"`
	// MaxTLP limits the markings, as export --tlp-max; empty means red.
	MaxTLP faultline.TLP `yaml:"tlp_max" json:"tlp_max"`
	// Since keeps sources ingested or published since a partial date.
	Since string `yaml:"since" json:"since"`
	// Entity and Hops keep a neighbourhood, as export --entity --hops.
	Entity string `yaml:"entity" json:"entity"`
	Hops   int    `yaml:"hops" json:"hops"`
}

// Options configures the server.
type Options struct {
	// Prefix is the path the handler is mounted at (default "/taxii2/");
	// discovery is served there and the API root at Prefix + "api/".
	Prefix string
	// Title and Description of the server (discovery) and its API root.
	Title, Description string
	// Token, when set, is required as a bearer token.
	Token string
	// Queries are saved queries served as collections beside the TLP ones.
	Queries []Query
	// Gazetteer enriches locations (see stix.Options).
	Gazetteer *gazetteer.Gazetteer
	// MaxPage bounds a page of objects (default 1000).
	MaxPage int
	// CacheFor is how long a collection's snapshot is reused once it is
	// ready (default 10 s; negative: never).
	CacheFor time.Duration
	// MaxContentLength is announced in the API root (default 10 MB); the
	// server accepts no content, so it only informs clients.
	MaxContentLength int
}

// collection is one served collection.
type collection struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	CanRead     bool     `json:"can_read"`
	CanWrite    bool     `json:"can_write"`
	MediaTypes  []string `json:"media_types"`
	query       Query
	// level is the TLP level of a TLP collection, -1 for a saved query.
	level int
}

// namespace is the UUIDv5 namespace of collection ids.
var namespace = uuid.MustParse("4c0f2d8a-6e13-5b9f-8a27-3d5e1c7b9f04")

// CollectionID returns the id of the collection of a saved query or TLP
// level name ("tlp-green").
func CollectionID(name string) string {
	return uuid.NewSHA1(namespace, []byte("collection:"+name)).String()
}

// handler serves TAXII.
type handler struct {
	st   Store
	o    Options
	cols []*collection
	byID map[string]*collection
	mu   sync.Mutex
	// cache holds the saved queries' views by collection id.
	cache map[string]*cached
	// tlp holds the TLP collections' views, newest last.
	tlp []*view
	// tlpBuild is held while a TLP snapshot is taken.
	tlpBuild chan struct{}
}

type cached struct {
	v    *view
	done chan struct{} // closed when v (or err) is set
	err  error
}

// view is what a collection serves: the planned objects of a snapshot and
// their order by date added, then id.
type view struct {
	at    time.Time // when it was ready
	snap  *faultline.Snapshot
	x     *stix.Export
	order []int32 // positions in x, by date added (see stix.Export.DateOrder)
	// lo and hi are the TLP levels whose collections a TLP view serves:
	// hi its snapshot's limit, lo the highest marking of its sources.
	lo, hi int
}

// newView plans the objects of a snapshot.
func newView(snap *faultline.Snapshot, o stix.Options) (*view, error) {
	x, err := stix.New(snap, o)
	if err != nil {
		return nil, err
	}
	v := &view{snap: snap, x: x, order: x.DateOrder()}
	// Reused for CacheFor from now: a snapshot of a large database can
	// take longer than that, and would be stale before its first page.
	v.at = time.Now()
	return v, nil
}

// fresh reports whether a view may still be served to a new request.
func (h *handler) fresh(v *view) bool {
	return h.o.CacheFor >= 0 && time.Since(v.at) <= h.o.CacheFor
}

// expire calls drop when v expires, so that a snapshot nobody asks for is
// not held until the next request.
func (h *handler) expire(v *view, drop func()) {
	time.AfterFunc(time.Until(v.at.Add(h.o.CacheFor)), func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		drop()
	})
}

// NewHandler returns the TAXII 2.1 handler over st. It fails with
// EINVALID when a saved query is malformed.
func NewHandler(st Store, o Options) (http.Handler, error) {
	if o.Prefix == "" {
		o.Prefix = "/taxii2/"
	}
	if !strings.HasSuffix(o.Prefix, "/") {
		o.Prefix += "/"
	}
	if o.Title == "" {
		o.Title = "Faultline"
	}
	if o.Description == "" {
		o.Description = "Sourced knowledge graph of armed groups, states, people, places and events, as STIX 2.1."
	}
	if o.MaxPage <= 0 {
		o.MaxPage = 1000
	}
	if o.CacheFor == 0 {
		o.CacheFor = 10 * time.Second
	}
	if o.MaxContentLength <= 0 {
		o.MaxContentLength = 10 << 20
	}
	h := &handler{st: st, o: o, byID: map[string]*collection{}, cache: map[string]*cached{}, tlpBuild: make(chan struct{}, 1)}
	add := func(name string, c *collection) error {
		c.ID = CollectionID(name)
		c.CanRead, c.MediaTypes = true, []string{STIXMediaType}
		if h.byID[c.ID] != nil {
			return faultline.Errorf(faultline.EINVALID, "taxii: two collections named %q", name)
		}
		h.cols = append(h.cols, c)
		h.byID[c.ID] = c
		return nil
	}
	for l, t := range tlps {
		label := "TLP:" + strings.ToUpper(string(t))
		if err := add("tlp-"+string(t), &collection{Title: label,
			Description: "Everything that may be shared at " + label + " or below: objects from sources marked above it are left out.",
			query:       Query{MaxTLP: t}, level: l}); err != nil {
			return nil, err
		}
	}
	for i, q := range o.Queries {
		if q.Name == "" {
			return nil, faultline.Errorf(faultline.EINVALID, "taxii: saved query %d (%q) needs a name", i+1, q.Title)
		}
		f := faultline.SnapshotFilter{MaxTLP: q.MaxTLP, Since: q.Since}
		if err := f.Validate(); err != nil {
			return nil, faultline.Errorf(faultline.EINVALID, "taxii: saved query %s: %w", q.Name, err)
		}
		if q.Hops < 0 || q.Hops > 0 && q.Entity == "" {
			return nil, faultline.Errorf(faultline.EINVALID, "taxii: saved query %s: hops needs an entity and must not be negative", q.Name)
		}
		title := q.Title
		if title == "" {
			title = q.Name
		}
		if err := add("query:"+q.Name, &collection{Title: title, Description: q.Description, query: q, level: -1}); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// taxiiError is a TAXII 2.1 error message.
type taxiiError struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	HTTPStatus  string `json:"http_status"`
}

func (h *handler) fail(w http.ResponseWriter, status int, title, desc string) {
	h.write(w, status, taxiiError{Title: title, Description: desc, HTTPStatus: strconv.Itoa(status)}, TAXIIMediaType)
}

func (h *handler) write(w http.ResponseWriter, status int, v any, mediaType string) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"title":"internal error","http_status":"500"}`)
	}
	w.Header().Set("Content-Type", mediaType)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b)
}

// acceptable reports whether the Accept header allows a TAXII 2.1 answer.
func acceptable(accept string) bool {
	if accept == "" {
		return true
	}
	for _, part := range strings.Split(accept, ",") {
		mt := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(part), " ", ""))
		base, params, _ := strings.Cut(mt, ";")
		switch base {
		case "*/*", "application/*", "application/json":
			return true
		case "application/taxii+json":
			if params == "" || strings.Contains(params, "version=2.1") {
				return true
			}
		}
	}
	return false
}

// Unauthorized answers a request that lacks the access token: 401 with a
// TAXII error message. The server that mounts the handler calls it for the
// requests its own authentication refuses (see server.Unauthorizer).
func (h *handler) Unauthorized(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="faultline"`)
	h.fail(w, http.StatusUnauthorized, "unauthorized", "an access token is required: send Authorization: Bearer TOKEN")
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.o.Token != "" {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(h.o.Token)) != 1 {
			h.Unauthorized(w, r)
			return
		}
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		h.fail(w, http.StatusMethodNotAllowed, "method not allowed", "this TAXII server is read-only")
		return
	}
	if !acceptable(r.Header.Get("Accept")) {
		h.fail(w, http.StatusNotAcceptable, "not acceptable", "this server answers "+TAXIIMediaType)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, h.o.Prefix)
	if !ok {
		h.fail(w, http.StatusNotFound, "not found", "no TAXII resource at "+r.URL.Path)
		return
	}
	parts := strings.Split(strings.TrimSuffix(rest, "/"), "/")
	if rest == "" {
		parts = nil
	}
	switch {
	case len(parts) == 0:
		h.discovery(w, r)
	case parts[0] != "api":
		h.fail(w, http.StatusNotFound, "not found", "no API root "+parts[0]+"; the API root is "+h.o.Prefix+"api/")
	case len(parts) == 1:
		h.write(w, http.StatusOK, map[string]any{"title": h.o.Title, "description": h.o.Description,
			"versions": []string{TAXIIMediaType}, "max_content_length": h.o.MaxContentLength}, TAXIIMediaType)
	case parts[1] == "collections" && len(parts) == 2:
		h.write(w, http.StatusOK, map[string]any{"collections": h.cols}, TAXIIMediaType)
	case parts[1] == "collections":
		c := h.byID[parts[2]]
		if c == nil {
			h.fail(w, http.StatusNotFound, "no such collection", "collection "+parts[2]+" does not exist")
			return
		}
		h.collection(w, r, c, parts[3:])
	default:
		h.fail(w, http.StatusNotFound, "not found", "no TAXII resource at "+r.URL.Path)
	}
}

func (h *handler) discovery(w http.ResponseWriter, r *http.Request) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	root := scheme + "://" + r.Host + h.o.Prefix + "api/"
	h.write(w, http.StatusOK, map[string]any{"title": h.o.Title, "description": h.o.Description,
		"default": root, "api_roots": []string{root}}, TAXIIMediaType)
}

// collection serves a collection and what lies under it.
func (h *handler) collection(w http.ResponseWriter, r *http.Request, c *collection, rest []string) {
	switch {
	case len(rest) == 0:
		h.write(w, http.StatusOK, c, TAXIIMediaType)
	case rest[0] == "objects" && len(rest) == 1:
		h.objects(w, r, c, "", false)
	case rest[0] == "manifest" && len(rest) == 1:
		h.objects(w, r, c, "", true)
	case rest[0] == "objects" && len(rest) == 2:
		h.objects(w, r, c, rest[1], false)
	case rest[0] == "objects" && len(rest) == 3 && rest[2] == "versions":
		h.versions(w, r, c, rest[1])
	default:
		h.fail(w, http.StatusNotFound, "not found", "no TAXII resource at "+r.URL.Path)
	}
}

// sourceLister is implemented by stores that list their sources (sqlite
// does), which tells the TLP levels no source is marked at.
type sourceLister interface {
	Sources(ctx context.Context, f faultline.SourceFilter) ([]faultline.Source, error)
}

// tlps are the TLP markings by level.
var tlps = []faultline.TLP{faultline.TLPClear, faultline.TLPGreen, faultline.TLPAmber, faultline.TLPAmberStrict, faultline.TLPRed}

// load returns a collection's view, building it at most once per
// CacheFor.
func (h *handler) load(ctx context.Context, c *collection) (*view, error) {
	if c.level >= 0 {
		return h.tlpView(ctx, c.level)
	}
	h.mu.Lock()
	e := h.cache[c.ID]
	if e != nil {
		select {
		case <-e.done:
			if e.err == nil && !h.fresh(e.v) {
				e = nil // stale
			}
		default: // still building: share it
		}
	}
	if e == nil {
		e = &cached{done: make(chan struct{})}
		h.cache[c.ID] = e
		h.mu.Unlock()
		e.v, e.err = h.build(ctx, c)
		h.mu.Lock()
		if e.err != nil && h.cache[c.ID] == e {
			delete(h.cache, c.ID)
		}
		h.mu.Unlock()
		close(e.done)
		if e.err == nil {
			h.expire(e.v, func() {
				if h.cache[c.ID] == e {
					delete(h.cache, c.ID)
				}
			})
		}
		return e.v, e.err
	}
	h.mu.Unlock()
	select {
	case <-e.done:
		return e.v, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// findTLP returns a fresh view serving a TLP level, the newest; h.mu is
// held.
func (h *handler) findTLP(level int) *view {
	for i := len(h.tlp) - 1; i >= 0; i-- {
		if v := h.tlp[i]; h.fresh(v) && v.lo <= level && level <= v.hi {
			return v
		}
	}
	return nil
}

// tlpView returns the view of everything that may be shared at a TLP
// level, taking a snapshot when no fresh view serves the level.
func (h *handler) tlpView(ctx context.Context, level int) (*view, error) {
	h.mu.Lock()
	v := h.findTLP(level)
	h.mu.Unlock()
	if v != nil {
		return v, nil
	}
	// One snapshot at a time: a request that waited here finds the view
	// the one before it built when that serves its level too.
	select {
	case h.tlpBuild <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-h.tlpBuild }()
	h.mu.Lock()
	v = h.findTLP(level)
	h.mu.Unlock()
	if v != nil {
		return v, nil
	}
	// The levels above this one up to the next that marks a source, read
	// before the snapshot: a source marked there since would only be
	// missing from them, as from any cached view, never shown below its
	// marking.
	hi := level
	if sl, ok := h.st.(sourceLister); ok {
		srcs, err := sl.Sources(ctx, faultline.SourceFilter{})
		if err != nil {
			return nil, err
		}
		hi = len(tlps) - 1
		for i := range srcs {
			if l := srcs[i].TLP.Level(); l > level && l <= hi {
				hi = l - 1
			}
		}
	}
	snap, err := h.st.Snapshot(ctx, faultline.SnapshotFilter{MaxTLP: tlps[level], IncludeUnsourced: true})
	if err != nil {
		return nil, err
	}
	if v, err = newView(snap, stix.Options{Gazetteer: h.o.Gazetteer}); err != nil {
		return nil, err
	}
	// Nothing in it is marked above lo, and nothing in the store between
	// level and hi, so the snapshot of any level from lo to hi holds the
	// same: this one.
	v.hi = hi
	for i := range snap.Sources {
		v.lo = max(v.lo, snap.Sources[i].TLP.Level())
	}
	h.mu.Lock()
	kept := h.tlp[:0]
	for _, o := range h.tlp {
		// Keep the fresh views that serve a level this one does not.
		if h.fresh(o) && (o.lo < v.lo || o.hi > v.hi) {
			kept = append(kept, o)
		}
	}
	clear(h.tlp[len(kept):])
	h.tlp = append(kept, v)
	h.mu.Unlock()
	h.expire(v, func() {
		h.tlp = slices.DeleteFunc(h.tlp, func(o *view) bool { return o == v })
	})
	return v, nil
}

// build makes a saved query's view.
func (h *handler) build(ctx context.Context, c *collection) (*view, error) {
	q := c.query
	var snap *faultline.Snapshot
	if q.Since == "" {
		// The snapshot of the query's TLP collection.
		level := len(tlps) - 1
		if q.MaxTLP != "" {
			level = q.MaxTLP.Level()
		}
		v, err := h.tlpView(ctx, level)
		if err != nil {
			return nil, err
		}
		if q.Entity == "" {
			return v, nil
		}
		snap = v.snap
	} else {
		var err error
		if snap, err = h.st.Snapshot(ctx, faultline.SnapshotFilter{MaxTLP: q.MaxTLP, Since: q.Since, IncludeUnsourced: true}); err != nil {
			return nil, err
		}
	}
	if q.Entity != "" {
		e, err := h.st.FindEntity(ctx, q.Entity)
		if err != nil {
			return nil, err
		}
		if snap, err = snap.Neighbourhood(e.ID, q.Hops); err != nil {
			return nil, err
		}
	}
	return newView(snap, stix.Options{Gazetteer: h.o.Gazetteer})
}

// filter is a parsed objects or manifest request.
type filter struct {
	addedAfter string // STIX timestamp, exclusive
	ids, types map[string]bool
	versions   []string // last, first, all or timestamps
	limit      int
	after      cursor // from next
}

// cursor is the position after the last object of a page.
type cursor struct{ added, id string }

func (c cursor) encode() string {
	return base64.RawURLEncoding.EncodeToString([]byte(c.added + "|" + c.id))
}

// parseCursor reads a next token.
func parseCursor(s string) (cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, fmt.Errorf("next %q is not a token this server gave", s)
	}
	added, id, ok := strings.Cut(string(b), "|")
	if !ok || !validTimestamp(added) || id == "" {
		return cursor{}, fmt.Errorf("next %q is not a token this server gave", s)
	}
	return cursor{added, id}, nil
}

// validTimestamp reports whether s is a STIX/TAXII timestamp.
func validTimestamp(s string) bool {
	_, err := time.Parse(time.RFC3339Nano, s)
	return err == nil && strings.HasSuffix(s, "Z")
}

// normTimestamp writes a timestamp as the server does, to the millisecond,
// so that string order is time order.
func normTimestamp(s string) string {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return stix.Timestamp(t)
}

// parseFilter reads the query parameters of an objects or manifest
// request. It is what untrusted clients control, and is fuzzed.
func parseFilter(q map[string][]string, maxPage int) (filter, error) {
	f := filter{limit: maxPage}
	for key, vals := range q {
		if len(vals) == 0 {
			continue
		}
		v := vals[len(vals)-1]
		switch key {
		case "added_after":
			if !validTimestamp(v) {
				return f, fmt.Errorf("added_after %q: want a timestamp such as 2025-01-31T00:00:00.000Z", v)
			}
			f.addedAfter = normTimestamp(v)
		case "limit":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return f, fmt.Errorf("limit %q: want a positive number", v)
			}
			f.limit = min(n, maxPage)
		case "next":
			c, err := parseCursor(v)
			if err != nil {
				return f, err
			}
			f.after = c
		case "match[id]":
			f.ids = set(vals)
		case "match[type]":
			f.types = set(vals)
		case "match[version]":
			for _, s := range list(vals) {
				switch {
				case s == "last" || s == "first" || s == "all":
				case validTimestamp(s):
					s = normTimestamp(s)
				default:
					return f, fmt.Errorf("match[version] %q: want last, first, all or a timestamp", s)
				}
				f.versions = append(f.versions, s)
			}
		case "match[spec_version]":
			for _, s := range list(vals) {
				if s != "2.1" {
					f.types = map[string]bool{} // nothing matches
				}
			}
		default:
			if strings.HasPrefix(key, "match[") {
				return f, fmt.Errorf("%s: not a filter this server supports (id, type, version, spec_version)", key)
			}
		}
	}
	return f, nil
}

// list splits comma-separated values.
func list(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func set(vals []string) map[string]bool {
	m := map[string]bool{}
	for _, s := range list(vals) {
		m[s] = true
	}
	return m
}

// versionBytes appends object p's version, a STIX timestamp, without
// making a string of it.
func versionBytes(dst []byte, x *stix.Export, p int) []byte {
	return x.VersionTime(p).AppendFormat(dst, "2006-01-02T15:04:05.000Z")
}

// follows reports whether object p comes after added_after and the cursor:
// date added is the version, compared as written, as the cursor comes
// from the client.
func (f *filter) follows(x *stix.Export, p int) bool {
	if f.addedAfter == "" && f.after.added == "" {
		return true
	}
	var buf [32]byte
	v := string(versionBytes(buf[:0], x, p))
	if f.addedAfter != "" && v <= f.addedAfter {
		return false
	}
	if f.after.added != "" {
		if v < f.after.added {
			return false
		}
		if v == f.after.added {
			var id [128]byte
			return string(x.AppendID(id[:0], p)) > f.after.id
		}
	}
	return true
}

// keep reports whether object p passes the filter's type and version
// matches (ids and the position are the caller's).
func (f *filter) keep(x *stix.Export, p int, versions []time.Time) bool {
	if f.types != nil && !f.types[x.Type(p)] {
		return false
	}
	if len(f.versions) > 0 {
		ok := false
		for i, v := range f.versions {
			// One version per object: it is the first, the last and all.
			if v == "last" || v == "first" || v == "all" || versions[i].Equal(x.VersionTime(p)) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// page returns the positions in x of the objects of the page the filter
// asks for, and whether more follow.
func (f *filter) page(v *view) ([]int, bool) {
	x := v.x
	// Timestamps match[version] names, normalized as versions are.
	versions := make([]time.Time, len(f.versions))
	for i, s := range f.versions {
		versions[i], _ = time.Parse(time.RFC3339Nano, s)
	}
	var page []int
	if f.ids != nil {
		// Few objects: found by id, then ordered as the collection.
		var found []int
		for id := range f.ids {
			lo, hi := x.Lookup(id)
			for p := lo; p < hi; p++ {
				if f.follows(x, p) && f.keep(x, p, versions) {
					found = append(found, p)
				}
			}
		}
		slices.SortFunc(found, func(a, b int) int {
			if c := x.VersionTime(a).Compare(x.VersionTime(b)); c != 0 {
				return c
			}
			if c := x.CompareID(a, b); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		})
		if len(found) > f.limit {
			return found[:f.limit], true
		}
		return found, false
	}
	// Sorted by date added and id, the objects after added_after and the
	// cursor are those from start on.
	start := sort.Search(len(v.order), func(k int) bool { return f.follows(x, int(v.order[k])) })
	for _, p := range v.order[start:] {
		if !f.keep(x, int(p), versions) {
			continue
		}
		if len(page) == f.limit {
			return page, true
		}
		page = append(page, int(p))
	}
	return page, false
}

// objects serves the objects endpoint (or one object) and the manifest.
func (h *handler) objects(w http.ResponseWriter, r *http.Request, c *collection, id string, manifest bool) {
	f, err := parseFilter(r.URL.Query(), h.o.MaxPage)
	if err != nil {
		h.fail(w, http.StatusBadRequest, "bad request", err.Error())
		return
	}
	if id != "" {
		f.ids = map[string]bool{id: true}
	}
	v, err := h.load(r.Context(), c)
	if err != nil {
		h.storeError(w, err)
		return
	}
	x := v.x
	page, more := f.page(v)
	if id != "" && len(page) == 0 {
		h.fail(w, http.StatusNotFound, "no such object", "object "+id+" is not in this collection")
		return
	}
	if len(page) > 0 {
		w.Header().Set("X-TAXII-Date-Added-First", x.Version(page[0]))
		w.Header().Set("X-TAXII-Date-Added-Last", x.Version(page[len(page)-1]))
	}
	next := ""
	if more {
		last := page[len(page)-1]
		next = cursor{x.Version(last), x.ID(last)}.encode()
	}
	if manifest {
		type record struct {
			ID        string `json:"id"`
			DateAdded string `json:"date_added"`
			Version   string `json:"version"`
			MediaType string `json:"media_type"`
		}
		recs := make([]record, len(page))
		for i, p := range page {
			v := x.Version(p)
			recs[i] = record{ID: x.ID(p), DateAdded: v, Version: v, MediaType: STIXMediaType}
		}
		body := map[string]any{"more": more}
		if next != "" {
			body["next"] = next
		}
		if len(recs) > 0 {
			body["objects"] = recs
		}
		h.write(w, http.StatusOK, body, TAXIIMediaType)
		return
	}
	raw := make([]json.RawMessage, len(page))
	for i, p := range page {
		if raw[i], err = x.Encode(p); err != nil {
			h.fail(w, http.StatusInternalServerError, "internal error", "an object could not be encoded")
			return
		}
	}
	body := map[string]any{"more": more}
	if next != "" {
		body["next"] = next
	}
	if len(raw) > 0 {
		body["objects"] = raw
	}
	h.write(w, http.StatusOK, body, TAXIIMediaType)
}

// versions serves an object's versions: it has one.
func (h *handler) versions(w http.ResponseWriter, r *http.Request, c *collection, id string) {
	if _, err := parseFilter(r.URL.Query(), h.o.MaxPage); err != nil {
		h.fail(w, http.StatusBadRequest, "bad request", err.Error())
		return
	}
	v, err := h.load(r.Context(), c)
	if err != nil {
		h.storeError(w, err)
		return
	}
	if lo, hi := v.x.Lookup(id); lo < hi {
		ver := v.x.Version(lo)
		w.Header().Set("X-TAXII-Date-Added-First", ver)
		w.Header().Set("X-TAXII-Date-Added-Last", ver)
		h.write(w, http.StatusOK, map[string]any{"more": false, "versions": []string{ver}}, TAXIIMediaType)
		return
	}
	h.fail(w, http.StatusNotFound, "no such object", "object "+id+" is not in this collection")
}

// storeError answers a failure to build a collection.
func (h *handler) storeError(w http.ResponseWriter, err error) {
	switch faultline.ErrorCode(err) {
	case faultline.ENOTFOUND, faultline.EAMBIGUOUS:
		h.fail(w, http.StatusNotFound, "collection unavailable", faultline.ErrorMessage(err))
	default:
		h.fail(w, http.StatusInternalServerError, "internal error", "the collection could not be read")
	}
}
