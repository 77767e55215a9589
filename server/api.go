package server

import (
	"context"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/ingest"
	"github.com/faultline-osint/faultline/pathfind"
)

//go:embed openapi.json
var openAPI []byte

// OpenAPI returns the API's OpenAPI 3.1 document.
func OpenAPI() []byte { return openAPI }

// registerAPI registers the API routes.
func (s *Server) registerAPI() {
	for _, r := range []struct {
		method, path string
		h            http.HandlerFunc
	}{
		{"GET", "/api/v1/openapi.json", s.apiOpenAPI},
		{"GET", "/api/v1/stats", s.apiStats},
		{"GET", "/api/v1/search", s.apiSearch},
		{"GET", "/api/v1/entities", s.apiEntities},
		{"GET", "/api/v1/entities/{ref}", s.cachedFirst(s.admit(s.apiEntity))},
		{"GET", "/api/v1/entities/{ref}/neighbourhood", s.cachedFirst(s.admit(s.apiNeighbourhood))},
		{"GET", "/api/v1/relations", s.admit(s.apiRelations)},
		{"GET", "/api/v1/events", s.admit(s.apiEvents)},
		{"GET", "/api/v1/paths", s.admit(s.apiPaths)},
		{"GET", "/api/v1/claims", s.apiClaims},
		{"GET", "/api/v1/claims/{id}", s.apiClaim},
		{"PATCH", "/api/v1/claims/{id}", s.apiEditClaim},
		{"POST", "/api/v1/claims/{id}/review", s.apiReview},
		{"GET", "/api/v1/sources", s.apiSources},
		{"POST", "/api/v1/sources", s.apiIngest},
		{"GET", "/api/v1/sources/{id}", s.apiSource},
		{"GET", "/api/v1/merges", s.apiMerges},
		{"POST", "/api/v1/merges", s.apiMerge},
		{"DELETE", "/api/v1/merges/{ref}", s.apiUnmerge},
	} {
		s.mux.HandleFunc(r.method+" "+r.path, r.h)
		s.routes = append(s.routes, route{Method: r.method, Path: r.path})
	}
	// Anything else under /api/ is a JSON 404, not a page.
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, &httpError{status: http.StatusNotFound, code: faultline.ENOTFOUND, msg: "no such endpoint: " + r.Method + " " + r.URL.Path})
	})
}

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(openAPI)
}

// reply writes v as JSON, or err.
func (s *Server) reply(w http.ResponseWriter, r *http.Request, v any, err error) {
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// params reads query parameters with validation.
type params struct {
	r   *http.Request
	q   url.Values // the parsed query, once: URL.Query parses afresh each call
	err error
}

// query returns the request's query parameters, parsed on first use.
func (p *params) query() url.Values {
	if p.q == nil {
		p.q = p.r.URL.Query()
	}
	return p.q
}

func (p *params) str(name string) string {
	if p.r.URL.RawQuery == "" {
		return ""
	}
	return strings.TrimSpace(p.query().Get(name))
}

// list reads a parameter given repeatedly or comma-separated.
func (p *params) list(name string) []string {
	if p.r.URL.RawQuery == "" {
		return nil
	}
	var out []string
	for _, v := range p.query()[name] {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func (p *params) int(name string, def, lo, hi int) int {
	v := p.str(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		if p.err == nil {
			p.err = faultline.Errorf(faultline.EINVALID, "%s %q: want a whole number from %d to %d", name, v, lo, hi)
		}
		return def
	}
	return n
}

func (p *params) predicates() map[faultline.Predicate]bool {
	out := map[faultline.Predicate]bool{}
	for _, v := range p.list("predicate") {
		pr := faultline.Predicate(v)
		if !pr.Valid() && p.err == nil {
			f := faultline.TieFilter{Predicates: []faultline.Predicate{pr}}
			p.err = f.Validate()
		}
		out[pr] = true
	}
	return out
}

func (p *params) entityTypes() map[faultline.EntityType]bool {
	out := map[faultline.EntityType]bool{}
	for _, v := range p.list("type") {
		t := faultline.EntityType(v)
		if !t.Valid() && p.err == nil {
			p.err = faultline.Errorf(faultline.EINVALID, "type %q is not an entity type", v)
		}
		out[t] = true
	}
	return out
}

func (p *params) modality(name string) faultline.Modality {
	m := faultline.Modality(p.str(name))
	if m != "" && !m.Valid() && p.err == nil {
		p.err = faultline.Errorf(faultline.EINVALID, "%s %q: want asserted, reported, alleged, possible or denied", name, m)
	}
	return m
}

func (p *params) reliability(name string) faultline.Reliability {
	v := p.str(name)
	if v == "" {
		return ""
	}
	r, err := faultline.ParseReliability(v)
	if err != nil && p.err == nil {
		p.err = err
	}
	return r
}

func (p *params) dates() (lo, hi string) {
	lo, hi, err := faultline.ParseDateRange(p.str("from"), p.str("to"))
	if err != nil && p.err == nil {
		p.err = err
	}
	return lo, hi
}

// offset cursors page through the read model's lists.
func encodeOffset(n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o" + strconv.Itoa(n)))
}

func (p *params) offset() int {
	c := p.str("cursor")
	if c == "" {
		return 0
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	n, err2 := strconv.Atoi(strings.TrimPrefix(string(b), "o"))
	if err != nil || err2 != nil || n < 0 || !strings.HasPrefix(string(b), "o") {
		if p.err == nil {
			p.err = faultline.Errorf(faultline.EINVALID, "cursor %q is not one this server handed out", c)
		}
		return 0
	}
	return n
}

// page cuts a list at the cursor and returns the next cursor.
func page[T any](items []T, offset, limit int) ([]T, string) {
	if offset >= len(items) {
		return items[:0], ""
	}
	items = items[offset:]
	if len(items) > limit {
		return items[:limit], encodeOffset(offset + limit)
	}
	return items, ""
}

// decodeJSON reads a JSON body of at most MaxBody bytes into v.
func (s *Server) decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return &httpError{status: http.StatusUnsupportedMediaType, code: faultline.EINVALID, msg: "want a JSON body (Content-Type: application/json)"}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, s.cfg.MaxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return faultline.Errorf(faultline.EINVALID, "request body: %s", err.Error())
	}
	return nil
}

// resolve names an entity: from the read model when the reference is the
// id of an entity it holds (following merges), else through the store
// (names, aliases, keys).
func (s *Server) resolve(ctx context.Context, md *model, ref string) (faultline.EntityRef, error) {
	id := ref
	if !md.has(id) {
		e, err := s.st.FindEntity(ctx, ref)
		if err != nil {
			return faultline.EntityRef{}, err
		}
		if !md.has(e.ID) { // newer than the model
			return faultline.EntityRef{ID: e.ID, Name: e.Name, Type: e.Type, Lat: e.Lat, Lon: e.Lon}, nil
		}
		id = e.ID
	}
	return md.ref(md.entity(md.final(id))), nil
}

func (s *Server) apiStats(w http.ResponseWriter, r *http.Request) {
	st, err := s.st.Stats(r.Context())
	s.reply(w, r, st, err)
}

// searchResult is the search endpoint's answer.
type searchResult struct {
	Query string                `json:"query"`
	Hits  []faultline.SearchHit `json:"hits"`
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) {
	p := &params{r: r}
	res, err := s.search(r.Context(), p)
	s.reply(w, r, res, err)
}

// search runs a search with the type filter: entity types, or "source".
func (s *Server) search(ctx context.Context, p *params) (*searchResult, error) {
	q := p.str("q")
	limit := p.int("limit", 20, 1, 200)
	types := p.list("type")
	for _, t := range types {
		if t != "source" && !faultline.EntityType(t).Valid() && p.err == nil {
			p.err = faultline.Errorf(faultline.EINVALID, "type %q: want an entity type or source", t)
		}
	}
	if p.err != nil {
		return nil, p.err
	}
	res := &searchResult{Query: q, Hits: []faultline.SearchHit{}}
	if q == "" {
		return res, nil
	}
	fetch := limit
	if len(types) > 0 {
		fetch = min(limit*5, 500) // filter after ranking
	}
	hits, err := s.st.Search(ctx, q, fetch)
	if err != nil {
		return nil, err
	}
	for _, h := range hits {
		if len(types) > 0 {
			t := h.Type
			if h.Kind == "source" {
				t = "source"
			}
			ok := false
			for _, x := range types {
				ok = ok || x == t
			}
			if !ok {
				continue
			}
		}
		res.Hits = append(res.Hits, h)
		if len(res.Hits) == limit {
			break
		}
	}
	return res, nil
}

func (s *Server) apiEntities(w http.ResponseWriter, r *http.Request) {
	p := &params{r: r}
	f := faultline.EntityPageFilter{Type: faultline.EntityType(p.str("type")), Name: p.str("name"), After: p.str("cursor"), Limit: p.int("limit", 50, 1, 1000)}
	if p.err != nil {
		s.writeError(w, r, p.err)
		return
	}
	pg, err := s.st.EntityPage(r.Context(), f)
	s.reply(w, r, pg, err)
}

// tie is one relation seen from an entity: the other end and the
// direction.
type tie struct {
	relation
	Other     faultline.EntityRef `json:"other"`
	Direction string              `json:"direction"` // out, in, or both for a symmetric predicate
	From      string              `json:"from,omitempty"`
	To        string              `json:"to,omitempty"`
}

// tieGroup is the ties of one predicate.
type tieGroup struct {
	Predicate faultline.Predicate `json:"predicate"`
	Ties      []tie               `json:"ties"`
}

// profile is the entity endpoint's answer.
type profile struct {
	Entity     *faultline.EntityCard `json:"entity"`
	Ties       []tieGroup            `json:"ties"`
	TieTotal   int                   `json:"tie_total"`
	Events     []event               `json:"events"`
	EventTotal int                   `json:"event_total"`
}

// profile builds an entity's profile: its card, its ties grouped by
// predicate (at most tieLimit), its events (at most eventLimit).
func (s *Server) profile(ctx context.Context, ref string, tieLimit, eventLimit, sourceLimit int) (*profile, error) {
	md, err := s.model.get(ctx)
	if err != nil {
		return nil, err
	}
	return s.profileFrom(ctx, md, ref, tieLimit, eventLimit, sourceLimit)
}

// profileFrom builds a profile from one model.
func (s *Server) profileFrom(ctx context.Context, md *model, ref string, tieLimit, eventLimit, sourceLimit int) (*profile, error) {
	e, err := s.resolve(ctx, md, ref)
	if err != nil {
		return nil, err
	}
	card := md.card(e.ID, sourceLimit)
	if card == nil {
		// Created after the model was built: what the store knows now.
		ent, err := s.st.FindEntity(ctx, e.ID)
		if err != nil {
			return nil, err
		}
		card = &faultline.EntityCard{Entity: *ent, Sources: []faultline.SourceCount{}}
	}
	p := &profile{Entity: card, Ties: []tieGroup{}, Events: []event{}}
	idx := md.relsOfID(card.ID)
	p.TieTotal = len(idx)
	for n, i := range idx {
		if n == tieLimit {
			break
		}
		r := md.relation(i)
		t := tie{relation: r, Other: r.Object, Direction: "out"}
		switch {
		case r.Predicate.Symmetric():
			t.Direction = "both"
			if r.Object.ID == card.ID {
				t.Other = r.Subject
			}
		case r.Object.ID == card.ID && r.Subject.ID != card.ID:
			t.Direction, t.Other = "in", r.Subject
		}
		t.From, t.To = r.span()
		if len(p.Ties) == 0 || p.Ties[len(p.Ties)-1].Predicate != r.Predicate {
			p.Ties = append(p.Ties, tieGroup{Predicate: r.Predicate})
		}
		g := &p.Ties[len(p.Ties)-1]
		g.Ties = append(g.Ties, t)
	}
	evs := md.eventsOfID(card.ID)
	p.EventTotal = len(evs)
	for n, i := range evs {
		if n == eventLimit {
			break
		}
		p.Events = append(p.Events, md.event(i))
	}
	return p, nil
}

func (s *Server) apiEntity(w http.ResponseWriter, r *http.Request) {
	p := &params{r: r}
	ties, events, sources := p.int("ties", 200, 0, 10000), p.int("events", 50, 0, 10000), p.int("sources", 20, 1, 1000)
	if p.err != nil {
		s.writeError(w, r, p.err)
		return
	}
	md, err := s.model.get(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.cachedJSON(w, r, md, func(buf []byte) ([]byte, error) {
		p, err := s.profileFrom(r.Context(), md, r.PathValue("ref"), ties, events, sources)
		if err != nil {
			return nil, err
		}
		return appendProfile(buf, p), nil
	})
}

func (s *Server) apiNeighbourhood(w http.ResponseWriter, r *http.Request) {
	p := &params{r: r}
	hops := p.int("hops", 1, 1, 4)
	maxNodes := p.int("max_nodes", 200, 1, 20000)
	maxEdges := p.int("max_edges", 2000, 0, 100000)
	f := &relationFilter{predicates: p.predicates(), minModality: p.modality("min_modality"), minReliability: p.reliability("min_reliability")}
	f.lo, f.hi = p.dates()
	if p.err != nil {
		s.writeError(w, r, p.err)
		return
	}
	md, err := s.model.get(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.cachedJSON(w, r, md, func(buf []byte) ([]byte, error) {
		center, err := s.resolve(r.Context(), md, r.PathValue("ref"))
		if err != nil {
			return nil, err
		}
		return md.appendNeighbourhood(buf, center, hops, maxNodes, maxEdges, f), nil
	})
}

// relationPage is the relations endpoint's answer.
type relationPage struct {
	Relations []relation `json:"relations"`
	Total     int        `json:"total"`
	Next      string     `json:"next,omitempty"`
}

func (s *Server) apiRelations(w http.ResponseWriter, r *http.Request) {
	p := &params{r: r}
	f := &relationFilter{predicates: p.predicates(), types: p.entityTypes(), minModality: p.modality("min_modality"), minReliability: p.reliability("min_reliability")}
	f.lo, f.hi = p.dates()
	limit, offset := p.int("limit", 100, 1, 1000), p.offset()
	if p.err != nil {
		s.writeError(w, r, p.err)
		return
	}
	md, err := s.model.get(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	for _, x := range []struct {
		param string
		dst   *string
	}{{"entity", &f.entity}, {"other", &f.other}} {
		if v := p.str(x.param); v != "" {
			e, err := s.resolve(r.Context(), md, v)
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			*x.dst = e.ID
		}
	}
	idx := md.relations(f)
	cut, next := page(idx, offset, limit)
	out := relationPage{Relations: make([]relation, len(cut)), Total: len(idx), Next: next}
	for i, k := range cut {
		out.Relations[i] = md.relation(k)
	}
	writeJSON(w, http.StatusOK, out)
}

// eventPage is the events endpoint's answer.
type eventPage struct {
	Events []event `json:"events"`
	Total  int     `json:"total"`
	Next   string  `json:"next,omitempty"`
}

// eventQuery reads the event filters of a request.
func (s *Server) eventQuery(ctx context.Context, p *params, md *model) (*eventFilter, error) {
	f := &eventFilter{minModality: p.modality("min_modality"), minReliability: p.reliability("min_reliability"), types: map[faultline.EventType]bool{}}
	f.lo, f.hi = p.dates()
	for _, v := range p.list("type") {
		t := faultline.EventType(v)
		if !t.Valid() && p.err == nil {
			ef := faultline.EventFilter{Types: []faultline.EventType{t}}
			p.err = ef.Validate()
		}
		f.types[t] = true
	}
	if p.err != nil {
		return nil, p.err
	}
	if v := p.str("actor"); v != "" {
		e, err := s.resolve(ctx, md, v)
		if err != nil {
			return nil, err
		}
		f.actor = e.ID
	}
	if v := p.str("place"); v != "" {
		e, err := s.resolve(ctx, md, v)
		if err != nil {
			return nil, err
		}
		f.places = md.placesWithin(e.ID)
	}
	return f, nil
}

func (s *Server) apiEvents(w http.ResponseWriter, r *http.Request) {
	p := &params{r: r}
	limit, offset := p.int("limit", 100, 1, 5000), p.offset()
	md, err := s.model.get(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f, err := s.eventQuery(r.Context(), p, md)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	idx := md.eventsMatching(f)
	cut, next := page(idx, offset, limit)
	out := eventPage{Events: make([]event, len(cut)), Total: len(idx), Next: next}
	for i, k := range cut {
		out.Events[i] = md.event(k)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiPaths(w http.ResponseWriter, r *http.Request) {
	p := &params{r: r}
	q := pathfind.Query{From: p.str("from"), To: p.str("to"), K: p.int("k", 3, 1, pathfind.MaxK),
		MaxHops: p.int("max_hops", 4, 1, 8), Evidence: p.int("evidence", 1, 0, 10)}
	for pr := range p.predicates() {
		q.Predicates = append(q.Predicates, pr)
	}
	if p.err == nil && (q.From == "" || q.To == "") {
		p.err = faultline.Errorf(faultline.EINVALID, "from and to are required")
	}
	if p.err != nil {
		s.writeError(w, r, p.err)
		return
	}
	if q.Evidence == 0 {
		q.Evidence = -1
	}
	md, err := s.model.get(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := md.net.Paths(r.Context(), q)
	s.reply(w, r, res, err)
}

func (s *Server) apiClaims(w http.ResponseWriter, r *http.Request) {
	p := &params{r: r}
	var f faultline.ClaimPageFilter
	f.EntityID, f.Kind, f.Status = p.str("entity"), faultline.ClaimKind(p.str("kind")), faultline.ReviewStatus(p.str("status"))
	f.After, f.Limit = p.str("cursor"), p.int("limit", 50, 1, 400)
	if v := p.str("source"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil && p.err == nil {
			p.err = faultline.Errorf(faultline.EINVALID, "source %q: want a source id", v)
		}
		f.SourceID = id
	}
	if p.err != nil {
		s.writeError(w, r, p.err)
		return
	}
	pg, err := s.st.ClaimPage(r.Context(), f)
	s.reply(w, r, pg, err)
}

// claimDetail is a claim with its evidence, source and named entities.
type claimDetail struct {
	faultline.Claim
	Source   *faultline.Source              `json:"source"`
	Entities map[string]faultline.EntityRef `json:"entities"`
}

func (s *Server) claimDetail(ctx context.Context, id string) (*claimDetail, error) {
	c, err := s.st.Claim(ctx, id)
	if err != nil {
		return nil, err
	}
	src, err := s.st.Source(ctx, c.SourceID)
	if err != nil {
		return nil, err
	}
	src.Text = ""
	d := &claimDetail{Claim: *c, Source: src, Entities: map[string]faultline.EntityRef{}}
	ids := []string{c.Subject, c.Object, c.Location, c.AttributedTo}
	for _, p := range c.Participants {
		ids = append(ids, p.Entity)
	}
	for _, id := range ids {
		if id == "" {
			continue
		}
		if e, err := s.st.FindEntity(ctx, id); err == nil {
			d.Entities[id] = faultline.EntityRef{ID: e.ID, Name: e.Name, Type: e.Type, Lat: e.Lat, Lon: e.Lon}
		}
	}
	return d, nil
}

func (s *Server) apiClaim(w http.ResponseWriter, r *http.Request) {
	d, err := s.claimDetail(r.Context(), r.PathValue("id"))
	s.reply(w, r, d, err)
}

// reviewRequest is the body of a review.
type reviewRequest struct {
	Status faultline.ReviewStatus `json:"status"`
}

func (s *Server) apiReview(w http.ResponseWriter, r *http.Request) {
	var req reviewRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	switch req.Status {
	case faultline.StatusAccepted, faultline.StatusRejected, faultline.StatusMachine:
	default:
		s.writeError(w, r, faultline.Errorf(faultline.EINVALID, "status %q: want accepted, rejected or machine (to undo a review)", req.Status))
		return
	}
	id := r.PathValue("id")
	if err := s.st.SetClaimStatus(r.Context(), id, req.Status, s.cfg.Analyst); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.model.invalidate()
	s.log.Info("claim reviewed", "claim", id, "status", req.Status, "analyst", s.cfg.Analyst)
	d, err := s.claimDetail(r.Context(), id)
	s.reply(w, r, d, err)
}

func (s *Server) apiEditClaim(w http.ResponseWriter, r *http.Request) {
	var e faultline.ClaimEdit
	if err := s.decodeJSON(w, r, &e); err != nil {
		s.writeError(w, r, err)
		return
	}
	id := r.PathValue("id")
	if err := s.st.EditClaim(r.Context(), id, e, s.cfg.Analyst); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.model.invalidate()
	s.log.Info("claim edited", "claim", id, "analyst", s.cfg.Analyst)
	d, err := s.claimDetail(r.Context(), id)
	s.reply(w, r, d, err)
}

func (s *Server) apiSources(w http.ResponseWriter, r *http.Request) {
	p := &params{r: r}
	var f faultline.SourcePageFilter
	f.Publisher, f.After, f.Limit = p.str("publisher"), p.str("cursor"), p.int("limit", 50, 1, 1000)
	if v := p.str("max_tlp"); v != "" {
		t, err := faultline.ParseTLP(v)
		if err != nil && p.err == nil {
			p.err = err
		}
		f.MaxTLP = t
	}
	if p.err != nil {
		s.writeError(w, r, p.err)
		return
	}
	pg, err := s.st.SourcePage(r.Context(), f)
	s.reply(w, r, pg, err)
}

// sourceDetail is a source with its text and everything extracted from
// it.
type sourceDetail struct {
	Source   *faultline.Source              `json:"source"`
	Mentions []faultline.SourceMention      `json:"mentions"`
	Claims   []faultline.Claim              `json:"claims"`
	Entities map[string]faultline.EntityRef `json:"entities"`
}

// sourceDetail loads a source, its mentions and all its claims.
func (s *Server) sourceDetail(ctx context.Context, id int64) (*sourceDetail, error) {
	src, err := s.st.Source(ctx, id)
	if err != nil {
		return nil, err
	}
	ms, err := s.st.SourceMentions(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &sourceDetail{Source: src, Mentions: ms, Claims: []faultline.Claim{}, Entities: map[string]faultline.EntityRef{}}
	for _, m := range ms {
		d.Entities[m.Entity.ID] = m.Entity
	}
	f := faultline.ClaimPageFilter{ClaimFilter: faultline.ClaimFilter{SourceID: id, Limit: 400}}
	for {
		pg, err := s.st.ClaimPage(ctx, f)
		if err != nil {
			return nil, err
		}
		d.Claims = append(d.Claims, pg.Claims...)
		if pg.Next == "" || len(d.Claims) >= 10000 {
			break
		}
		f.After = pg.Next
	}
	for _, c := range d.Claims {
		for _, x := range append([]string{c.Subject, c.Object, c.Location, c.AttributedTo}, participantIDs(c)...) {
			if _, ok := d.Entities[x]; x != "" && !ok {
				if e, err := s.st.FindEntity(ctx, x); err == nil {
					d.Entities[x] = faultline.EntityRef{ID: e.ID, Name: e.Name, Type: e.Type}
				}
			}
		}
	}
	return d, nil
}

func participantIDs(c faultline.Claim) []string {
	out := make([]string, len(c.Participants))
	for i, p := range c.Participants {
		out[i] = p.Entity
	}
	return out
}

func (s *Server) apiSource(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.writeError(w, r, faultline.Errorf(faultline.EINVALID, "source id %q: want a number", r.PathValue("id")))
		return
	}
	d, err := s.sourceDetail(r.Context(), id)
	s.reply(w, r, d, err)
}

// ingestRequest is a pasted document with its metadata.
type ingestRequest struct {
	Title       string `json:"title"`
	Text        string `json:"text"`
	Filename    string `json:"filename,omitempty"`
	Publisher   string `json:"publisher,omitempty"`
	Author      string `json:"author,omitempty"`
	URL         string `json:"url,omitempty"`
	Published   string `json:"published,omitempty"`
	Reliability string `json:"reliability,omitempty"`
	TLP         string `json:"tlp,omitempty"`
}

// ingestResult reports one ingested document.
type ingestResult struct {
	faultline.IngestResult
	Title string `json:"title"`
}

// ingestDoc is one document to ingest: a name and its bytes.
type ingestDoc struct {
	name string
	data []byte
}

// ingest reads, extracts and stores documents with the metadata, one
// transaction each.
func (s *Server) ingest(ctx context.Context, meta ingestRequest, docs []ingestDoc) ([]ingestResult, error) {
	if s.cfg.Extractor == nil {
		return nil, faultline.Errorf(faultline.ECONFLICT, "this server was started without an extractor: ingest is disabled")
	}
	rel, tlp := faultline.Reliability(ingest.DefaultReliability), ingest.DefaultTLP
	var err error
	if meta.Reliability != "" {
		if rel, err = faultline.ParseReliability(meta.Reliability); err != nil {
			return nil, err
		}
	}
	if meta.TLP != "" {
		if tlp, err = faultline.ParseTLP(meta.TLP); err != nil {
			return nil, err
		}
	}
	if meta.Published != "" {
		if _, err := faultline.ParseDate(meta.Published); err != nil {
			return nil, faultline.Errorf(faultline.EINVALID, "published: %w", err)
		}
	}
	if len(docs) == 0 {
		return nil, faultline.Errorf(faultline.EINVALID, "nothing to ingest: paste text or upload a file")
	}
	out := make([]ingestResult, 0, len(docs))
	for _, d := range docs {
		doc, err := ingest.ReadBytes(d.name, d.data, ingest.ReadOptions{MaxBytes: s.cfg.MaxUpload})
		if err != nil {
			return out, err
		}
		if meta.Title != "" && len(docs) == 1 {
			doc.Title = meta.Title
		}
		ext := s.cfg.Extractor.Extract(doc)
		if ext == nil {
			ext = faultline.NewExtraction(faultline.ExtractionDocument{})
		}
		ext.Document.SHA256 = doc.SHA256
		ext.Document.Chars = utf8.RuneCountInString(doc.Text)
		if ext.Document.Title == "" {
			ext.Document.Title = doc.Title
		}
		src := &faultline.Source{
			SHA256: doc.SHA256, Title: doc.Title, URL: or(meta.URL, doc.URL), Publisher: meta.Publisher,
			Author: or(meta.Author, doc.Author), Published: or(meta.Published, doc.Published), Format: doc.Format,
			Reliability: rel, TLP: tlp, Text: doc.Text,
		}
		res, err := s.st.IngestDocument(ctx, src, ext)
		if err != nil {
			return out, err
		}
		s.log.Info("ingested", "source", res.SourceID, "title", doc.Title, "duplicate", res.Duplicate, "claims", res.Claims)
		out = append(out, ingestResult{IngestResult: res, Title: doc.Title})
	}
	s.model.invalidate()
	return out, nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// readIngest reads an ingest request: JSON with pasted text, or a
// multipart form with metadata fields, a text field and files.
func (s *Server) readIngest(w http.ResponseWriter, r *http.Request) (ingestRequest, []ingestDoc, error) {
	var meta ingestRequest
	ct := r.Header.Get("Content-Type")
	if strings.HasPrefix(ct, "application/json") {
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload)
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&meta); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return meta, nil, err
			}
			return meta, nil, faultline.Errorf(faultline.EINVALID, "request body: %s", err.Error())
		}
		var docs []ingestDoc
		if strings.TrimSpace(meta.Text) != "" {
			docs = append(docs, ingestDoc{name: or(meta.Filename, "pasted.txt"), data: []byte(meta.Text)})
		}
		return meta, docs, nil
	}
	if r.MultipartForm == nil {
		if !strings.HasPrefix(ct, "multipart/form-data") && !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
			return meta, nil, &httpError{status: http.StatusUnsupportedMediaType, code: faultline.EINVALID, msg: "want JSON or a multipart form"}
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload)
		if strings.HasPrefix(ct, "multipart/form-data") {
			if err := r.ParseMultipartForm(8 << 20); err != nil {
				return meta, nil, fmt.Errorf("read form: %w", asTooLarge(err))
			}
		}
	}
	meta = ingestRequest{Title: r.FormValue("title"), Text: r.FormValue("text"), Publisher: r.FormValue("publisher"), Author: r.FormValue("author"),
		URL: r.FormValue("url"), Published: r.FormValue("published"), Reliability: r.FormValue("reliability"), TLP: r.FormValue("tlp")}
	var docs []ingestDoc
	if strings.TrimSpace(meta.Text) != "" {
		docs = append(docs, ingestDoc{name: "pasted.txt", data: []byte(meta.Text)})
	}
	if r.MultipartForm != nil {
		for _, fh := range r.MultipartForm.File["file"] {
			f, err := fh.Open()
			if err != nil {
				return meta, nil, faultline.Errorf(faultline.EINVALID, "upload %s: %w", fh.Filename, err)
			}
			data, err := io.ReadAll(io.LimitReader(f, s.cfg.MaxUpload+1))
			f.Close()
			if err != nil {
				return meta, nil, faultline.Errorf(faultline.EINVALID, "upload %s: %w", fh.Filename, err)
			}
			docs = append(docs, ingestDoc{name: fh.Filename, data: data})
		}
	}
	return meta, docs, nil
}

// asTooLarge keeps a MaxBytesError visible through a form parser's error.
func asTooLarge(err error) error {
	if strings.Contains(err.Error(), "request body too large") {
		return &http.MaxBytesError{}
	}
	return faultline.Errorf(faultline.EINVALID, "%s", err.Error())
}

// ingestResponse is the ingest endpoint's answer.
type ingestResponse struct {
	Results []ingestResult `json:"results"`
}

func (s *Server) apiIngest(w http.ResponseWriter, r *http.Request) {
	meta, docs, err := s.readIngest(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.ingest(r.Context(), meta, docs)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, ingestResponse{Results: res})
}

// mergeLog is the merges endpoint's answer.
type mergeLog struct {
	Merges []faultline.MergeRecord `json:"merges"`
}

func (s *Server) apiMerges(w http.ResponseWriter, r *http.Request) {
	p := &params{r: r}
	limit := p.int("limit", 100, 1, 1000)
	if p.err != nil {
		s.writeError(w, r, p.err)
		return
	}
	ms, err := s.st.MergeLog(r.Context(), limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, mergeLog{Merges: ms})
}

// mergeRequest is the body of a merge.
type mergeRequest struct {
	From string `json:"from"`
	Into string `json:"into"`
}

func (s *Server) apiMerge(w http.ResponseWriter, r *http.Request) {
	var req mergeRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if req.From == "" || req.Into == "" {
		s.writeError(w, r, faultline.Errorf(faultline.EINVALID, "from and into are required"))
		return
	}
	if err := s.st.Merge(r.Context(), req.From, req.Into, s.cfg.Analyst); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.model.invalidate()
	s.log.Info("merged", "from", req.From, "into", req.Into, "analyst", s.cfg.Analyst)
	ms, err := s.st.MergeLog(r.Context(), 1)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, ms[0])
}

func (s *Server) apiUnmerge(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	if err := s.st.Unmerge(r.Context(), ref, s.cfg.Analyst); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.model.invalidate()
	s.log.Info("unmerged", "entity", ref, "analyst", s.cfg.Analyst)
	w.WriteHeader(http.StatusNoContent)
}
