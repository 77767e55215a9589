package server

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/web"
)

// pages holds the parsed templates and the static assets.
type pages struct {
	tmpl   map[string]*template.Template
	static map[string]asset
}

// asset is a static file with its ETag.
type asset struct {
	data []byte
	etag string
}

var pageNames = []string{"search", "entity", "source", "sources", "graph", "timeline", "map", "review", "ingest", "login", "error"}

var funcs = template.FuncMap{
	"dateLabel": dateLabel,
	"precision": precisionName,
	"hedged":    func(m faultline.Modality) bool { return m == faultline.Alleged || m == faultline.Possible },
	"join":      strings.Join,
	"add":       func(a, b int) int { return a + b },
	"plural": func(n int, noun string) string {
		if n == 1 {
			return "1 " + noun
		}
		return strconv.Itoa(n) + " " + noun + "s"
	},
	"span": func(from, to string) string {
		switch {
		case from != "" && to != "" && from != to:
			return from + " – " + to
		case from != "":
			return from
		case to != "":
			return "until " + to
		}
		return ""
	},
	"httpURL": func(s string) string {
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return ""
		}
		return u.String()
	},
	"fatalities": func(n *int, low bool) string {
		if n == nil {
			return ""
		}
		if low {
			return "≥ " + strconv.Itoa(*n)
		}
		return strconv.Itoa(*n)
	},
	"predicates": func() []faultline.Predicate { return faultline.Predicates },
	"modalities": func() []faultline.Modality { return faultline.Modalities },
	"types":      func() []faultline.EntityType { return faultline.EntityTypes },
	"eventTypes": func() []faultline.EventType { return faultline.EventTypes },
	"f1":         func(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) },
	"tieCount": func(gs []tieGroup) int {
		n := 0
		for _, g := range gs {
			n += len(g.Ties)
		}
		return n
	},
}

// loadPages parses the templates and indexes the assets.
func loadPages() (*pages, error) {
	p := &pages{tmpl: map[string]*template.Template{}, static: map[string]asset{}}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(web.Templates, "templates/layout.html")
	if err != nil {
		return nil, faultline.Errorf(faultline.EINTERNAL, "templates: %w", err)
	}
	for _, name := range pageNames {
		t, err := base.Clone()
		if err == nil {
			_, err = t.ParseFS(web.Templates, "templates/"+name+".html")
		}
		if err != nil {
			return nil, faultline.Errorf(faultline.EINTERNAL, "template %s: %w", name, err)
		}
		p.tmpl[name] = t
	}
	err = fs.WalkDir(web.Dist, "dist", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := web.Dist.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		p.static["/static/"+strings.TrimPrefix(name, "dist/")] = asset{data: data, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	if err != nil {
		return nil, faultline.Errorf(faultline.EINTERNAL, "static assets: %w", err)
	}
	return p, nil
}

// pageData is what every page template gets.
type pageData struct {
	Title  string
	Nav    string
	CSRF   string
	Auth   bool
	Script string // an extra script besides app.js
	// Lagging is set while the read model is being rebuilt after a write
	// on a large database: ties, events and paths may not show it yet.
	Lagging bool
	Data    any
}

// render executes a page template.
func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, status int, d pageData) {
	d.CSRF = s.csrf
	d.Auth = s.cfg.Token != ""
	d.Lagging = s.model.lagging()
	if d.Nav == "" {
		d.Nav = name
	}
	var buf bytes.Buffer
	if err := s.pages.tmpl[name].ExecuteTemplate(&buf, "layout.html", d); err != nil {
		s.log.Error("render", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, r, "error", status, pageData{Title: http.StatusText(status), Nav: "-", Data: struct {
		Status  int
		Message string
	}{status, msg}})
}

// pageError renders err as an error page.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	status, _, msg := errorStatus(err)
	if status >= 500 {
		s.log.Error("page failed", "path", r.URL.Path, "err", err)
	}
	s.renderError(w, r, status, msg)
}

func (s *Server) registerPages() {
	s.mux.HandleFunc("GET /static/", s.serveStatic)
	s.mux.HandleFunc("GET /{$}", s.pageSearch)
	s.mux.HandleFunc("GET /entities/{ref}", s.pageEntity)
	s.mux.HandleFunc("GET /sources", s.pageSources)
	s.mux.HandleFunc("GET /sources/{id}", s.pageSource)
	s.mux.HandleFunc("GET /claims/{id}", s.pageClaim)
	s.mux.HandleFunc("GET /graph", s.pageGraph)
	s.mux.HandleFunc("GET /timeline", s.pageTimeline)
	s.mux.HandleFunc("GET /map", s.pageMap)
	s.mux.HandleFunc("GET /review", s.pageReview)
	s.mux.HandleFunc("GET /ingest", s.pageIngest)
	s.mux.HandleFunc("POST /ingest", s.postIngest)
	s.mux.HandleFunc("GET /login", s.pageLogin)
	s.mux.HandleFunc("POST /login", s.postLogin)
	s.mux.HandleFunc("POST /logout", s.postLogout)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusNotFound, "no such page: "+r.URL.Path)
	})
}

func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) {
	a, ok := s.pages.static[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("ETag", a.etag)
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, path.Base(r.URL.Path), time.Time{}, bytes.NewReader(a.data))
}

// searchPage is the search page's data.
type searchPage struct {
	Query string
	Type  string
	Hits  []faultline.SearchHit
	Stats faultline.Stats
}

func (s *Server) pageSearch(w http.ResponseWriter, r *http.Request) {
	p := &params{r: r}
	d := searchPage{Query: p.str("q"), Type: p.str("type")}
	if d.Query != "" {
		res, err := s.search(r.Context(), p)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		d.Hits = res.Hits
	}
	md, err := s.model.get(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if d.Stats, err = md.storeStats(r.Context(), s.st); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, "search", http.StatusOK, pageData{Title: "Search", Data: d})
}

// A profile page shows at most this many ties and events; the API pages
// through the rest.
const (
	pageTies   = 600
	pageEvents = 300
)

func (s *Server) pageEntity(w http.ResponseWriter, r *http.Request) {
	pr, err := s.profile(r.Context(), r.PathValue("ref"), pageTies, pageEvents, 50)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, "entity", http.StatusOK, pageData{Title: pr.Entity.Name, Nav: "search", Data: pr})
}

// sourcesPage is the source list's data.
type sourcesPage struct {
	Page *faultline.SourcePage
}

func (s *Server) pageSources(w http.ResponseWriter, r *http.Request) {
	p := &params{r: r}
	f := faultline.SourcePageFilter{After: p.str("cursor")}
	f.Limit = 50
	pg, err := s.st.SourcePage(r.Context(), f)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, "sources", http.StatusOK, pageData{Title: "Sources", Data: sourcesPage{Page: pg}})
}

// pageClaim opens a claim where it was read: the source view with the
// claim's evidence highlighted.
func (s *Server) pageClaim(w http.ResponseWriter, r *http.Request) {
	c, err := s.st.Claim(r.Context(), r.PathValue("id"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/sources/%d?claim=%s#focus", c.SourceID, url.QueryEscape(c.ID)), http.StatusSeeOther)
}

// segment is a stretch of source text with the annotations covering it.
type segment struct {
	Text    string
	Classes string // mention, rel, evt, focus, and t-TYPE of a mention
	Keys    string // the annotations, space-separated: m3, c-CLAIMID
	Anchor  bool   // the first segment of the focused claim
}

// item is one extracted thing listed beside the text.
type item struct {
	Key      string
	Kind     string // mention, relation, event
	Label    string
	Rule     string
	Modality faultline.Modality
	Status   faultline.ReviewStatus
	Entity   faultline.EntityRef
	ClaimID  string
	Focus    bool
}

// sourcePage is the source view's data.
type sourcePage struct {
	Source    *faultline.Source
	Segments  []segment
	Relations []item
	Events    []item
	Mentions  []item
	Focus     string
}

// annotation is a span to highlight.
type annotation struct {
	key        string
	class      string
	start, end int
}

// highlight cuts text into segments at every annotation boundary, each
// segment listing the annotations that cover it. Offsets are code points.
func highlight(text string, anns []annotation, focus string) []segment {
	runes := []rune(text)
	n := len(runes)
	type edge struct {
		at    int
		open  bool
		index int
	}
	var edges []edge
	for i := range anns {
		a := &anns[i]
		a.start, a.end = max(0, min(a.start, n)), max(0, min(a.end, n))
		if a.end <= a.start {
			continue
		}
		edges = append(edges, edge{a.start, true, i}, edge{a.end, false, i})
	}
	sort.Slice(edges, func(i, j int) bool {
		if edges[i].at != edges[j].at {
			return edges[i].at < edges[j].at
		}
		return !edges[i].open && edges[j].open // close before open
	})
	active := map[int]bool{}
	var out []segment
	anchored := false
	emit := func(from, to int) {
		if to <= from {
			return
		}
		seg := segment{Text: string(runes[from:to])}
		if len(active) > 0 {
			idx := make([]int, 0, len(active))
			for i := range active {
				idx = append(idx, i)
			}
			sort.Ints(idx)
			classes := map[string]bool{}
			var keys []string
			for _, i := range idx {
				for _, c := range strings.Fields(anns[i].class) {
					classes[c] = true
				}
				keys = append(keys, anns[i].key)
				if focus != "" && anns[i].key == "c-"+focus {
					classes["focus"] = true
					if !anchored {
						seg.Anchor, anchored = true, true
					}
				}
			}
			cl := make([]string, 0, len(classes))
			for c := range classes {
				cl = append(cl, c)
			}
			sort.Strings(cl)
			seg.Classes, seg.Keys = strings.Join(cl, " "), strings.Join(keys, " ")
		}
		out = append(out, seg)
	}
	pos := 0
	for _, e := range edges {
		emit(pos, e.at)
		pos = max(pos, e.at)
		if e.open {
			active[e.index] = true
		} else {
			delete(active, e.index)
		}
	}
	emit(pos, n)
	return out
}

func (s *Server) pageSource(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.pageError(w, r, faultline.Errorf(faultline.ENOTFOUND, "no source %q", r.PathValue("id")))
		return
	}
	d, err := s.sourceDetail(r.Context(), id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	focus := r.URL.Query().Get("claim")
	sp := sourcePage{Source: d.Source, Focus: focus}
	name := func(id string) string {
		if e, ok := d.Entities[id]; ok && e.Name != "" {
			return e.Name
		}
		return id
	}
	var anns []annotation
	for i, m := range d.Mentions {
		key := "m" + strconv.Itoa(i)
		anns = append(anns, annotation{key: key, class: "mention t-" + string(m.Entity.Type), start: m.Start, end: m.End})
		sp.Mentions = append(sp.Mentions, item{Key: key, Kind: "mention", Label: m.Text, Rule: m.Rule, Entity: m.Entity})
	}
	for _, c := range d.Claims {
		key := "c-" + c.ID
		it := item{Key: key, ClaimID: c.ID, Rule: c.Rule, Modality: c.Modality, Status: c.Status, Focus: c.ID == focus}
		class := "rel"
		if c.Kind == faultline.EventClaim {
			class = "evt"
			it.Kind = "event"
			it.Label = eventLabel(c, name)
			sp.Events = append(sp.Events, it)
		} else {
			it.Kind = "relation"
			it.Label = fmt.Sprintf("%s —%s→ %s", name(c.Subject), c.Predicate, name(c.Object))
			if c.Predicate.Symmetric() {
				it.Label = fmt.Sprintf("%s —%s— %s", name(c.Subject), c.Predicate, name(c.Object))
			}
			sp.Relations = append(sp.Relations, it)
		}
		if c.Status == faultline.StatusRejected {
			class += " rejected"
		}
		for _, e := range c.Evidence {
			anns = append(anns, annotation{key: key, class: class, start: e.Start, end: e.End})
		}
	}
	sp.Segments = highlight(d.Source.Text, anns, focus)
	s.render(w, r, "source", http.StatusOK, pageData{Title: d.Source.Title, Nav: "sources", Data: sp})
}

// eventLabel describes an event claim on one line.
func eventLabel(c faultline.Claim, name func(string) string) string {
	var b strings.Builder
	b.WriteString(string(c.EventType))
	if c.EventDate != "" {
		b.WriteString(" " + dateLabel(c.EventDate))
	}
	if c.Location != "" {
		b.WriteString(" in " + name(c.Location))
	}
	var parts []string
	for _, p := range c.Participants {
		parts = append(parts, name(p.Entity)+" ("+string(p.Role)+")")
	}
	if len(parts) > 0 {
		b.WriteString(": " + strings.Join(parts, ", "))
	}
	if c.Fatalities != nil {
		n := strconv.Itoa(*c.Fatalities)
		if c.FatalitiesLow {
			n = "≥ " + n
		}
		b.WriteString(", " + n + " killed")
	}
	return b.String()
}

// dateLabel shows a partial date with its precision: "2025-03 (month)".
func dateLabel(d string) string {
	switch p := precisionName(d); p {
	case "":
		return d
	case "day":
		return d
	default:
		return d + " (" + p + ")"
	}
}

func precisionName(d string) string {
	x, err := faultline.ParseDate(d)
	if err != nil {
		return ""
	}
	switch x.Precision() {
	case faultline.YearPrecise:
		return "year"
	case faultline.MonthPrecise:
		return "month"
	case faultline.DayPrecise:
		return "day"
	}
	return ""
}

// graphPage is the network view's data.
type graphPage struct {
	Entity faultline.EntityRef
	From   string
}

func (s *Server) pageGraph(w http.ResponseWriter, r *http.Request) {
	d := graphPage{}
	if ref := r.URL.Query().Get("entity"); ref != "" {
		md, err := s.model.get(r.Context())
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		if d.Entity, err = s.resolve(r.Context(), md, ref); err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	s.render(w, r, "graph", http.StatusOK, pageData{Title: "Network", Script: "/static/graph.js", Data: d})
}

// timelineRow is one event on the timeline.
type timelineRow struct {
	Event     event
	Y         int
	X, W      float64
	Precision string
}

// tick is an axis label.
type tick struct {
	X     float64
	Label string
}

// timelinePage is the timeline's data.
type timelinePage struct {
	Actor, Place, From, To, Type string
	ActorRef, PlaceRef           *faultline.EntityRef
	Rows                         []timelineRow
	Undated                      []event
	Ticks                        []tick
	Height, Left, Plot           int
	Total                        int
	Next                         string
}

// timeline geometry, in SVG units.
const (
	tlLeft  = 420
	tlPlot  = 760
	tlRow   = 22
	tlMonth = 12
	tlTop   = 30
	tlLimit = 400
)

// dayNumber counts days since 1 January of year 1 for a YYYY-MM-DD day.
func dayNumber(day string) float64 {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return 0
	}
	return float64(t.Unix()) / 86400
}

func (s *Server) pageTimeline(w http.ResponseWriter, r *http.Request) {
	p := &params{r: r}
	d := timelinePage{Actor: p.str("actor"), Place: p.str("place"), From: p.str("from"), To: p.str("to"), Type: p.str("type"),
		Left: tlLeft, Plot: tlPlot}
	offset := p.offset()
	md, err := s.model.get(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	f, err := s.eventQuery(r.Context(), p, md)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if f.actor != "" {
		e := md.refOf(f.actor)
		d.ActorRef = &e
	}
	if d.Place != "" {
		if e, err := s.resolve(r.Context(), md, d.Place); err == nil {
			d.PlaceRef = &e
		}
	}
	idx := md.eventsMatching(f)
	d.Total = len(idx)
	cut, next := page(idx, offset, tlLimit)
	d.Next = next
	var dated []event
	for _, i := range cut {
		e := md.event(i)
		if _, err := faultline.ParseDate(e.Date); err != nil {
			d.Undated = append(d.Undated, e)
			continue
		}
		dated = append(dated, e)
	}
	if len(dated) > 0 {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, e := range dated {
			x, _ := faultline.ParseDate(e.Date)
			lo, hi = math.Min(lo, dayNumber(x.FirstDay())), math.Max(hi, dayNumber(x.LastDay())+1)
		}
		// Whole years at both ends, so that the axis reads naturally.
		y0, _ := faultline.ParseDate(dated[0].Date)
		startYear := y0.Year
		for _, e := range dated {
			x, _ := faultline.ParseDate(e.Date)
			startYear = min(startYear, x.Year)
		}
		endDay := time.Unix(int64(hi*86400), 0).UTC()
		endYear := endDay.Year()
		if endDay.YearDay() > 1 {
			endYear++
		}
		lo = dayNumber(fmt.Sprintf("%04d-01-01", startYear))
		hi = dayNumber(fmt.Sprintf("%04d-01-01", max(endYear, startYear+1)))
		// At least tlMonth units a month, so that a month-precision event
		// is a bar, not a tick; a long timeline scrolls sideways.
		scale := math.Max(float64(tlPlot)/(hi-lo), tlMonth/30.44)
		d.Plot = int(math.Ceil((hi-lo)*scale)) + 10
		years := max(1, endYear-startYear)
		step := 1
		for years/step > 12 {
			step *= 2
		}
		for y := startYear; y <= endYear; y += step {
			d.Ticks = append(d.Ticks, tick{X: (dayNumber(fmt.Sprintf("%04d-01-01", y))-lo)*scale + 1, Label: strconv.Itoa(y)})
		}
		if years <= 2 {
			for y := startYear; y < endYear; y++ {
				for m := 4; m <= 10; m += 3 {
					d.Ticks = append(d.Ticks, tick{X: (dayNumber(fmt.Sprintf("%04d-%02d-01", y, m))-lo)*scale + 1, Label: time.Month(m).String()[:3]})
				}
			}
		}
		for i, e := range dated {
			x, _ := faultline.ParseDate(e.Date)
			a, b := dayNumber(x.FirstDay()), dayNumber(x.LastDay())+1
			row := timelineRow{Event: e, Y: tlTop + i*tlRow, X: (a-lo)*scale + 1, W: (b - a) * scale, Precision: precisionName(e.Date)}
			if row.W < 2 {
				row.X, row.W = row.X-1+row.W/2, 2 // a day is a tick, still visible
			}
			d.Rows = append(d.Rows, row)
		}
	}
	d.Height = tlTop + len(d.Rows)*tlRow + 10
	s.render(w, r, "timeline", http.StatusOK, pageData{Title: "Timeline", Data: d})
}

// mapPoint is a place drawn on the map.
type mapPoint struct {
	Ref    faultline.EntityRef
	X, Y   float64
	R      float64
	Events int
	Ties   int
}

// mapPage is the map's data.
type mapPage struct {
	Actor, From, To, Type string
	Points                []mapPoint
	ViewBox               string
	Events, Placed        int
}

// The map is an equirectangular projection, mapScale SVG units a degree,
// over the basemap that make web draws from Natural Earth's countries.
const (
	mapScale  = 10
	mapPoints = 3000
)

func (s *Server) pageMap(w http.ResponseWriter, r *http.Request) {
	p := &params{r: r}
	d := mapPage{Actor: p.str("actor"), From: p.str("from"), To: p.str("to"), Type: p.str("type")}
	md, err := s.model.get(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	f, err := s.eventQuery(r.Context(), p, md)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	counts := map[int32]int{}
	idx := md.eventsMatching(f)
	for _, i := range idx {
		if l := md.events[i].loc; l >= 0 && !math.IsNaN(md.lat[l]) {
			counts[l]++
			d.Placed++
		}
	}
	d.Events = len(idx)
	// Places with ties but no event show too, when no event filter is set.
	unfiltered := d.Actor == "" && d.From == "" && d.To == "" && d.Type == ""
	for id := range int32(len(md.merged)) {
		if math.IsNaN(md.lat[id]) || counts[id] == 0 && !unfiltered || !md.inRefs(id) {
			continue
		}
		ref := md.ref(id)
		d.Points = append(d.Points, mapPoint{Ref: ref, Events: counts[id], Ties: len(md.relsOf.list(id)),
			X: (*ref.Lon + 180) * mapScale, Y: (90 - *ref.Lat) * mapScale})
	}
	sort.Slice(d.Points, func(i, j int) bool {
		a, b := d.Points[i], d.Points[j]
		if a.Events != b.Events {
			return a.Events > b.Events
		}
		if a.Ties != b.Ties {
			return a.Ties > b.Ties
		}
		return a.Ref.ID < b.Ref.ID
	})
	if len(d.Points) > mapPoints {
		d.Points = d.Points[:mapPoints]
	}
	d.ViewBox = fmt.Sprintf("0 0 %d %d", 360*mapScale, 180*mapScale)
	if len(d.Points) > 0 {
		x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, pt := range d.Points {
			x0, y0, x1, y1 = math.Min(x0, pt.X), math.Min(y0, pt.Y), math.Max(x1, pt.X), math.Max(y1, pt.Y)
		}
		pad := math.Max(40, math.Max(x1-x0, y1-y0)*0.15)
		x0, y0, x1, y1 = x0-pad, y0-pad, x1+pad, y1+pad
		// Keep the map's aspect (2:1) so the basemap is not distorted.
		wd, ht := x1-x0, y1-y0
		if wd < 2*ht {
			x0 -= (2*ht - wd) / 2
			wd = 2 * ht
		} else {
			y0 -= (wd/2 - ht) / 2
			ht = wd / 2
		}
		d.ViewBox = fmt.Sprintf("%.1f %.1f %.1f %.1f", x0, y0, wd, ht)
		unit := wd / 300
		for i := range d.Points {
			pt := &d.Points[i]
			pt.R = unit * (0.8 + math.Sqrt(float64(pt.Events)))
		}
	}
	s.render(w, r, "map", http.StatusOK, pageData{Title: "Map", Script: "", Data: d})
}

// reviewPage is the review queue's data.
type reviewPage struct {
	Claims   []reviewItem
	Next     string
	Merges   []faultline.MergeRecord
	Status   string
	Entities map[string]faultline.EntityRef
}

// reviewItem is one claim awaiting review.
type reviewItem struct {
	faultline.Claim
	Label string
}

func (s *Server) pageReview(w http.ResponseWriter, r *http.Request) {
	p := &params{r: r}
	status := faultline.ReviewStatus(p.str("status"))
	if status == "" {
		status = faultline.StatusMachine
	}
	f := faultline.ClaimPageFilter{ClaimFilter: faultline.ClaimFilter{Status: status, Limit: 50}, After: p.str("cursor")}
	pg, err := s.st.ClaimPage(r.Context(), f)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	names := map[string]string{}
	name := func(id string) string {
		if id == "" {
			return ""
		}
		if n, ok := names[id]; ok {
			return n
		}
		n := id
		if e, err := s.st.FindEntity(r.Context(), id); err == nil {
			n = e.Name
		}
		names[id] = n
		return n
	}
	d := reviewPage{Next: pg.Next, Status: string(status)}
	for _, c := range pg.Claims {
		it := reviewItem{Claim: c}
		if c.Kind == faultline.EventClaim {
			it.Label = eventLabel(c, name)
		} else {
			it.Label = fmt.Sprintf("%s —%s→ %s", name(c.Subject), c.Predicate, name(c.Object))
		}
		d.Claims = append(d.Claims, it)
	}
	if d.Merges, err = s.st.MergeLog(r.Context(), 50); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, "review", http.StatusOK, pageData{Title: "Review", Data: d})
}

// ingestPage is the ingest form's data.
type ingestPage struct {
	Results []ingestResult
	Error   string
	Form    ingestRequest
}

func (s *Server) pageIngest(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, "ingest", http.StatusOK, pageData{Title: "Ingest", Data: ingestPage{Form: ingestRequest{Reliability: "F", TLP: "clear"}}})
}

func (s *Server) postIngest(w http.ResponseWriter, r *http.Request) {
	meta, docs, err := s.readIngest(w, r)
	var res []ingestResult
	if err == nil {
		res, err = s.ingest(r.Context(), meta, docs)
	}
	if err != nil {
		status, _, msg := errorStatus(err)
		meta.Text = ""
		s.render(w, r, "ingest", status, pageData{Title: "Ingest", Data: ingestPage{Error: msg, Form: meta, Results: res}})
		return
	}
	if len(res) == 1 {
		http.Redirect(w, r, fmt.Sprintf("/sources/%d", res[0].SourceID), http.StatusSeeOther)
		return
	}
	s.render(w, r, "ingest", http.StatusOK, pageData{Title: "Ingest", Data: ingestPage{Results: res, Form: ingestRequest{Reliability: "F", TLP: "clear"}}})
}

// loginPage is the login form's data.
type loginPage struct {
	Next, Error string
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (s *Server) pageLogin(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, "login", http.StatusOK, pageData{Title: "Log in", Nav: "-", Data: loginPage{Next: safeNext(r.URL.Query().Get("next"))}})
}

func (s *Server) postLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	tok, next := r.PostFormValue("token"), safeNext(r.PostFormValue("next"))
	if s.cfg.Token == "" {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	if subtle.ConstantTimeCompare([]byte(tok), []byte(s.cfg.Token)) != 1 {
		s.render(w, r, "login", http.StatusUnauthorized, pageData{Title: "Log in", Nav: "-", Data: loginPage{Next: next, Error: "wrong token"}})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: s.session, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) postLogout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
