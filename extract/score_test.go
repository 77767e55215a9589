package extract_test

// This file ports ../shared/eval/score.py to Go, so that the extractor's
// tests grade it exactly as the evaluation script does. Keep the two in
// step: TestScorerMatchesScorePy runs both on the same output and fails on
// any difference.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"

	faultline "github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/ingest"
)

// gold is a hand annotation in the ../shared/eval format: the fields
// score.py reads, and the label and note it carries for people. Optional
// fields are omitempty so that a gold the tests write reads in score.py as
// it does here (score.py takes "required": null for false, Go for absent).
type gold struct {
	Document  string         `json:"document"`
	Note      string         `json:"note"`
	Entities  []goldEntity   `json:"entities"`
	Relations []goldRelation `json:"relations"`
	Events    []goldEvent    `json:"events"`
}

type goldEntity struct {
	Key      string   `json:"key"`
	Names    []string `json:"names"`
	Type     []string `json:"type"`
	Required *bool    `json:"required,omitempty"`
}

// goldRelation accepts any of the predicates P between the entities keyed
// S and O. Modality and AttributedTo, when given, grade the first system
// relation that hits it.
type goldRelation struct {
	S            string                `json:"s"`
	P            []faultline.Predicate `json:"p"`
	O            string                `json:"o"`
	Modality     []faultline.Modality  `json:"modality,omitempty"`
	AttributedTo string                `json:"attributed_to,omitempty"`
	Required     *bool                 `json:"required,omitempty"`
}

// goldEvent accepts any of the types Type; its participants and places are
// gold entity keys.
type goldEvent struct {
	Label       string                `json:"label"`
	Type        []faultline.EventType `json:"type"`
	Agents      []string              `json:"agents,omitempty"`
	Targets     []string              `json:"targets,omitempty"`
	Destination []string              `json:"destination,omitempty"`
	Location    []string              `json:"location,omitempty"`
	Date        string                `json:"date,omitempty"`
	Fatalities  *int                  `json:"fatalities,omitempty"`
	Required    *bool                 `json:"required,omitempty"`
}

// isRequired is score.py's g.get("required", True).
func isRequired(b *bool) bool { return b == nil || *b }

// loadGold reads a gold file strictly: a misspelt field would be silently
// ignored by score.py and by a lax decoder alike, and grade the wrong thing.
func loadGold(t *testing.T, path string) gold {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var g gold
	if err := dec.Decode(&g); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return g
}

// goldCase is a gold file with the document it annotates, read as
// `faultline extract` reads it.
type goldCase struct {
	path string // of the gold file
	g    gold
	doc  faultline.Document
}

// readDoc reads a document through ingest, so that the tests grade the same
// text, title and date as `faultline extract FILE | score.py` does.
func readDoc(t *testing.T, path string) faultline.Document {
	t.Helper()
	doc, err := ingest.ReadFile(context.Background(), path, ingest.ReadOptions{})
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return doc
}

// seedCase is the seed article and its gold; it skips without ../shared.
func seedCase(t *testing.T) goldCase {
	t.Helper()
	gp := shared(t, "eval/seed-iskp-balochistan.gold.json")
	g := loadGold(t, gp)
	return goldCase{path: gp, g: g, doc: readDoc(t, shared(t, filepath.Join("corpus", g.Document)))}
}

// exampleCases are the gold files under testdata/gold, whose documents are
// in examples/ or testdata/texts/.
func exampleCases(t *testing.T) []goldCase {
	t.Helper()
	golds, _ := filepath.Glob("../testdata/gold/*.gold.json")
	if len(golds) == 0 {
		t.Fatal("no gold files under testdata/gold")
	}
	var cases []goldCase
	for _, gp := range golds {
		g := loadGold(t, gp)
		var path string
		for _, dir := range []string{"../examples", "../testdata/texts"} {
			if p := filepath.Join(dir, g.Document); fileExists(p) {
				path = p
				break
			}
		}
		if path == "" {
			t.Fatalf("%s: document %s not in examples/ or testdata/texts/", gp, g.Document)
		}
		cases = append(cases, goldCase{path: gp, g: g, doc: readDoc(t, path)})
	}
	return cases
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

var punct = regexp.MustCompile(`[-_.,'"()]`)

// pySpace is Python's str.isspace, which both \s in score.py's patterns
// and str.strip use: Go's unicode.IsSpace plus the four information
// separators U+001C–U+001F.
func pySpace(r rune) bool { return unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f }

// goldNorm is score.py's norm(): compatibility decomposition without
// combining marks, lower case, punctuation to spaces, spaces collapsed, a
// leading "the" dropped. (Python's lower() also applies the final-sigma rule
// to Greek; no name in the gold files needs it.)
func goldNorm(s string) string {
	s = norm.NFKD.String(s)
	var b strings.Builder
	for _, r := range s {
		if norm.NFD.PropertiesString(string(r)).CCC() != 0 { // unicodedata.combining
			continue
		}
		b.WriteRune(r)
	}
	s = strings.ReplaceAll(strings.ToLower(b.String()), "’", "'")
	s = punct.ReplaceAllString(s, " ")
	s = strings.Join(strings.FieldsFunc(s, pySpace), " ")
	return strings.TrimPrefix(s, "the ")
}

// counts are the true positives, false positives and misses of one kind of
// item.
type counts struct{ tp, fp, fn int }

func (c counts) prf() (p, r, f float64) {
	if c.tp+c.fp > 0 {
		p = float64(c.tp) / float64(c.tp+c.fp)
	}
	if c.tp+c.fn > 0 {
		r = float64(c.tp) / float64(c.tp+c.fn)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return
}

func (c *counts) add(o counts) { c.tp, c.fp, c.fn = c.tp+o.tp, c.fp+o.fp, c.fn+o.fn }

// ratio is one of score.py's "ok/n" attribute scores.
type ratio struct{ ok, n int }

func (r ratio) String() string { return fmt.Sprintf("%d/%d", r.ok, r.n) }

func (r *ratio) grade(ok bool) {
	r.n++
	if ok {
		r.ok++
	}
}

func (r *ratio) add(o ratio) { r.ok, r.n = r.ok+o.ok, r.n+o.n }

// ruleTable counts, per rule, the system items that matched gold and all
// system items.
type ruleTable map[string][2]int

func (rt ruleTable) count(rule string, correct bool) {
	if rule == "" {
		rule = "(no rule)"
	}
	c := rt[rule]
	c[1]++
	if correct {
		c[0]++
	}
	rt[rule] = c
}

func (rt ruleTable) merge(o ruleTable) {
	for k, v := range o {
		c := rt[k]
		rt[k] = [2]int{c[0] + v[0], c[1] + v[1]}
	}
}

// entityScore counts as score.py does: a system entity matches the gold
// entity one of whose names equals one of its names; unmatched system
// entities are false positives; required gold entities not found are misses.
type entityScore struct {
	counts
	typed, matched int
	byRule         ruleTable // correct: matched a gold entity
	misses, fps    []string
}

// typeAccuracy is score.py's per-document type_accuracy.
func (s entityScore) typeAccuracy() float64 {
	if s.matched == 0 {
		return 0
	}
	return float64(s.typed) / float64(s.matched)
}

// relationScore counts relations as score.py does.
type relationScore struct {
	counts
	modality, attribution ratio
	byRule                ruleTable // correct: matched a gold relation, required or not
	misses, fps           []string
}

// eventScore counts events as score.py does.
type eventScore struct {
	counts
	date, fatalities ratio
	byRule           ruleTable // correct: matchable with some gold event, required or not
	misses, fps      []string
}

// docScore is score.py's score_doc.
type docScore struct {
	ent entityScore
	rel relationScore
	ev  eventScore
}

func (s *docScore) add(o docScore) {
	s.ent.counts.add(o.ent.counts)
	s.rel.counts.add(o.rel.counts)
	s.ev.counts.add(o.ev.counts)
	s.rel.modality.add(o.rel.modality)
	s.rel.attribution.add(o.rel.attribution)
	s.ev.date.add(o.ev.date)
	s.ev.fatalities.add(o.ev.fatalities)
	for _, p := range []struct{ to, from ruleTable }{
		{s.ent.byRule, o.ent.byRule}, {s.rel.byRule, o.rel.byRule}, {s.ev.byRule, o.ev.byRule},
	} {
		p.to.merge(p.from)
	}
}

func newDocScore() docScore {
	return docScore{
		ent: entityScore{byRule: ruleTable{}},
		rel: relationScore{byRule: ruleTable{}},
		ev:  eventScore{byRule: ruleTable{}},
	}
}

func scoreDoc(g gold, ext *faultline.Extraction) docScore {
	keyOf := mapEntities(g, ext)
	s := newDocScore()
	scoreEntities(&s.ent, g, ext, keyOf)
	scoreRelations(&s.rel, g, ext, keyOf)
	scoreEvents(&s.ev, g, ext, keyOf)
	return s
}

// mapEntities maps each system entity id to a gold key: the first of its
// name and aliases that normalises to a gold name decides, and when gold
// entities share that name the least key wins (score.py's sorted(keys)[0]).
func mapEntities(g gold, ext *faultline.Extraction) map[string]string {
	keys := map[string][]string{}
	for _, e := range g.Entities {
		for _, n := range e.Names {
			k := goldNorm(n)
			keys[k] = append(keys[k], e.Key)
		}
	}
	out := map[string]string{}
	for _, e := range ext.Entities {
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			if ks := keys[goldNorm(n)]; len(ks) > 0 {
				out[e.ID] = slices.Min(ks)
				break
			}
		}
	}
	return out
}

func scoreEntities(s *entityScore, g gold, ext *faultline.Extraction, keyOf map[string]string) {
	types := map[string]map[string]bool{}
	required := map[string]bool{}
	for _, e := range g.Entities {
		types[e.Key] = map[string]bool{}
		for _, t := range e.Type {
			types[e.Key][t] = true
		}
		if isRequired(e.Required) {
			required[e.Key] = true
		}
	}
	found := map[string]bool{}
	for _, e := range ext.Entities {
		key, ok := keyOf[e.ID]
		s.byRule.count(e.Rule, ok)
		if !ok {
			s.fp++
			s.fps = append(s.fps, fmt.Sprintf("%s (%s, %s)", e.Name, e.Type, e.Rule))
			continue
		}
		found[key] = true
		s.matched++
		if types[key][string(e.Type)] {
			s.typed++
		}
	}
	for k := range required {
		if found[k] {
			s.tp++
		} else {
			s.fn++
			s.misses = append(s.misses, k)
		}
	}
	sort.Strings(s.misses)
}

// scoreSymmetric is score.py's SYMMETRIC, kept apart from
// faultline.Predicate.Symmetric on purpose: this is a port of the script.
var scoreSymmetric = map[faultline.Predicate]bool{
	faultline.AffiliatedWith: true, faultline.AlliedWith: true, faultline.HostileTo: true,
}

// scoreRelations matches a system relation to every gold relation with the
// same (subject, object) through the entity map, either way round for a
// symmetric predicate, whose predicates allow its own. The first system
// relation to hit a gold relation is the one graded on modality and
// attribution. A system relation that hits nothing is a false positive.
func scoreRelations(s *relationScore, g gold, ext *faultline.Extraction, keyOf map[string]string) {
	names := map[string]string{}
	for _, e := range ext.Entities {
		names[e.ID] = e.Name
	}
	hit := make([]bool, len(g.Relations))
	for _, r := range ext.Relations {
		subj, obj := keyOf[r.Subject], keyOf[r.Object]
		matched := false
		if subj != "" && obj != "" {
			for i, gr := range g.Relations {
				if !slices.Contains(gr.P, r.Predicate) {
					continue
				}
				if !(gr.S == subj && gr.O == obj || scoreSymmetric[r.Predicate] && gr.S == obj && gr.O == subj) {
					continue
				}
				if !hit[i] {
					if len(gr.Modality) > 0 {
						s.modality.grade(slices.Contains(gr.Modality, r.Modality))
					}
					if gr.AttributedTo != "" {
						s.attribution.grade(r.AttributedTo != nil && keyOf[*r.AttributedTo] == gr.AttributedTo)
					}
				}
				hit[i] = true
				matched = true
			}
		}
		s.byRule.count(r.Rule, matched)
		if !matched {
			s.fp++
			s.fps = append(s.fps, fmt.Sprintf("%s %s %s (%s)", names[r.Subject], r.Predicate, names[r.Object], r.Rule))
		}
	}
	for i, gr := range g.Relations {
		if !isRequired(gr.Required) {
			continue
		}
		if hit[i] {
			s.tp++
		} else {
			s.fn++
			s.misses = append(s.misses, fmt.Sprintf("%s %s %s", gr.S, joinStrings(gr.P, "|"), gr.O))
		}
	}
}

func joinStrings[T ~string](xs []T, sep string) string {
	ss := make([]string, len(xs))
	for i, x := range xs {
		ss[i] = string(x)
	}
	return strings.Join(ss, sep)
}

// scoreEvents scores every (system, gold) pair of the same type by the
// participants and places they share, two more for the location and two
// more for the same date, dropping pairs whose dates contradict; then
// assigns pairs greedily, best first, ties in system then gold order. A
// system event with no pair at all is a false positive; date and death
// toll are graded on assigned pairs.
func scoreEvents(s *eventScore, g gold, ext *faultline.Extraction, keyOf map[string]string) {
	names := map[string]string{}
	for _, e := range ext.Entities {
		names[e.ID] = e.Name
	}
	type pair struct{ score, j, i int }
	var pairs []pair
	for j, v := range ext.Events {
		parts := map[string]bool{}
		for _, p := range v.Participants {
			if k, ok := keyOf[p.Entity]; ok {
				parts[k] = true
			}
		}
		loc := ""
		if v.Location != nil && *v.Location != "" {
			loc = keyOf[*v.Location]
		}
		vdate := ""
		if v.Date != nil {
			vdate = *v.Date
		}
		for i, gv := range g.Events {
			if !slices.Contains(gv.Type, v.Type) {
				continue
			}
			gparts := map[string]bool{}
			for _, k := range slices.Concat(gv.Agents, gv.Targets, gv.Destination) {
				gparts[k] = true
			}
			shared := 0
			for k := range parts {
				if gparts[k] {
					shared++
				}
				if slices.Contains(gv.Location, k) {
					shared++
				}
			}
			if loc != "" && slices.Contains(gv.Location, loc) {
				shared += 2
			}
			if shared == 0 {
				continue
			}
			gd := gv.Date
			if gd != "" && vdate != "" && !strings.HasPrefix(vdate, gd) && !strings.HasPrefix(gd, vdate) {
				continue
			}
			if gd != "" && vdate == gd {
				shared += 2
			}
			pairs = append(pairs, pair{shared, j, i})
		}
	}
	sort.SliceStable(pairs, func(a, b int) bool { return pairs[a].score > pairs[b].score })
	matchable := map[int]bool{}
	for _, p := range pairs {
		matchable[p.j] = true
	}
	taken := map[int]bool{}
	hit := make([]bool, len(g.Events))
	for _, p := range pairs {
		if taken[p.j] || hit[p.i] {
			continue
		}
		taken[p.j], hit[p.i] = true, true
		gv, v := g.Events[p.i], ext.Events[p.j]
		if gv.Date != "" {
			s.date.grade(v.Date != nil && *v.Date == gv.Date)
		}
		if gv.Fatalities != nil {
			s.fatalities.grade(v.Fatalities != nil && *v.Fatalities == *gv.Fatalities)
		}
	}
	for j, v := range ext.Events {
		s.byRule.count(v.Rule, matchable[j])
		if !matchable[j] {
			s.fp++
			date, loc := "-", "-"
			if v.Date != nil {
				date = *v.Date
			}
			if v.Location != nil {
				loc = names[*v.Location]
			}
			s.fps = append(s.fps, fmt.Sprintf("%s %s at %s (%s)", v.Type, date, loc, v.Rule))
		}
	}
	for i, gv := range g.Events {
		if !isRequired(gv.Required) {
			continue
		}
		if hit[i] {
			s.tp++
		} else {
			s.fn++
			s.misses = append(s.misses, gv.Label)
		}
	}
}

// logRules prints a per-rule precision table.
func logRules(t *testing.T, title string, rt ruleTable) {
	t.Helper()
	rules := make([]string, 0, len(rt))
	for k := range rt {
		rules = append(rules, k)
	}
	sort.Strings(rules)
	t.Logf("%-30s %9s %6s", title, "correct", "prec")
	for _, k := range rules {
		c := rt[k]
		t.Logf("%-30s %4d/%-4d %5.2f", k, c[0], c[1], float64(c[0])/float64(max(c[1], 1)))
	}
}
