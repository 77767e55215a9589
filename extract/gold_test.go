package extract_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	faultline "github.com/faultline-osint/faultline"
)

// gold is the entity part of a hand annotation (../shared/eval format).
type gold struct {
	Document string `json:"document"`
	Entities []struct {
		Key      string   `json:"key"`
		Names    []string `json:"names"`
		Type     []string `json:"type"`
		Required *bool    `json:"required"`
	} `json:"entities"`
}

var (
	punct  = regexp.MustCompile(`[-_.,'"()]`)
	spaces = regexp.MustCompile(`\s+`)
)

// goldNorm is score.py's norm(): accents, case, punctuation, leading "the".
func goldNorm(s string) string {
	s = norm.NFKD.String(s)
	var b strings.Builder
	for _, r := range s {
		if r >= 0x300 && r <= 0x36f {
			continue
		}
		b.WriteRune(r)
	}
	s = strings.ReplaceAll(strings.ToLower(b.String()), "’", "'")
	s = strings.TrimSpace(spaces.ReplaceAllString(punct.ReplaceAllString(s, " "), " "))
	return strings.TrimPrefix(s, "the ")
}

// entityScore counts as score.py does: a system entity matches the gold
// entity one of whose names equals one of its names; unmatched system
// entities are false positives; required gold entities not found are misses.
type entityScore struct {
	tp, fp, fn, typed, matched int
	byRule                     map[string][2]int // rule → {correct, total}
	misses, fps                []string
}

func scoreEntities(g gold, ext *faultline.Extraction) entityScore {
	s := entityScore{byRule: map[string][2]int{}}
	keyOf := map[string]string{}
	types := map[string]map[string]bool{}
	required := map[string]bool{}
	for _, e := range g.Entities {
		for _, n := range e.Names {
			if _, ok := keyOf[goldNorm(n)]; !ok {
				keyOf[goldNorm(n)] = e.Key
			}
		}
		types[e.Key] = map[string]bool{}
		for _, t := range e.Type {
			types[e.Key][t] = true
		}
		required[e.Key] = e.Required == nil || *e.Required
	}
	found := map[string]bool{}
	for _, e := range ext.Entities {
		key := ""
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			if k, ok := keyOf[goldNorm(n)]; ok {
				key = k
				break
			}
		}
		c := s.byRule[e.Rule]
		c[1]++
		if key == "" {
			s.fp++
			s.fps = append(s.fps, fmt.Sprintf("%s (%s, %s)", e.Name, e.Type, e.Rule))
		} else {
			c[0]++
			found[key] = true
			s.matched++
			if types[key][string(e.Type)] {
				s.typed++
			}
		}
		s.byRule[e.Rule] = c
	}
	for k, req := range required {
		if !req {
			continue
		}
		if found[k] {
			s.tp++
		} else {
			s.fn++
			s.misses = append(s.misses, k)
		}
	}
	sort.Strings(s.misses)
	return s
}

func (s entityScore) prf() (p, r, f float64) {
	if s.tp+s.fp > 0 {
		p = float64(s.tp) / float64(s.tp+s.fp)
	}
	if s.tp+s.fn > 0 {
		r = float64(s.tp) / float64(s.tp+s.fn)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return
}

func loadGold(t *testing.T, path string) gold {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var g gold
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return g
}

// TestSeedEntities holds the seed article to the bar of the core issue:
// precision ≥ 0.90, recall ≥ 0.95, type accuracy ≥ 0.90.
func TestSeedEntities(t *testing.T) {
	g := loadGold(t, shared(t, "eval/seed-iskp-balochistan.gold.json"))
	text, err := os.ReadFile(shared(t, "corpus/seed-iskp-balochistan.txt"))
	if err != nil {
		t.Fatal(err)
	}
	s := scoreEntities(g, run(t, string(text)))
	p, r, f := s.prf()
	acc := float64(s.typed) / float64(max(s.matched, 1))
	t.Logf("seed entities: P=%.2f R=%.2f F1=%.2f type accuracy %.2f; misses %v; false positives %v", p, r, f, acc, s.misses, s.fps)
	if p < 0.90 || r < 0.95 || acc < 0.90 {
		t.Errorf("seed entities P=%.2f R=%.2f type accuracy %.2f: want P ≥ 0.90, R ≥ 0.95, accuracy ≥ 0.90", p, r, acc)
	}
}

// TestExampleEntities scores the project's own briefs against their gold
// annotations and prints a per-rule precision table, so that a change that
// helps one rule and hurts another shows.
func TestExampleEntities(t *testing.T) {
	golds, _ := filepath.Glob("../testdata/gold/*.gold.json")
	if len(golds) == 0 {
		t.Fatal("no gold files under testdata/gold")
	}
	total := entityScore{byRule: map[string][2]int{}}
	for _, gp := range golds {
		g := loadGold(t, gp)
		matches, _ := filepath.Glob(filepath.Join("../examples", g.Document))
		if len(matches) == 0 {
			matches, _ = filepath.Glob(filepath.Join("../testdata/texts", g.Document))
		}
		if len(matches) == 0 {
			t.Fatalf("%s: document %s not in examples/ or testdata/texts/", gp, g.Document)
		}
		text, err := os.ReadFile(matches[0])
		if err != nil {
			t.Fatal(err)
		}
		s := scoreEntities(g, run(t, string(text)))
		p, r, f := s.prf()
		t.Logf("%-45s P=%.2f R=%.2f F1=%.2f misses %v false positives %v", g.Document, p, r, f, s.misses, s.fps)
		total.tp += s.tp
		total.fp += s.fp
		total.fn += s.fn
		for k, v := range s.byRule {
			c := total.byRule[k]
			total.byRule[k] = [2]int{c[0] + v[0], c[1] + v[1]}
		}
	}
	p, r, f := total.prf()
	t.Logf("all briefs: P=%.2f R=%.2f F1=%.2f", p, r, f)
	var rules []string
	for k := range total.byRule {
		rules = append(rules, k)
	}
	sort.Strings(rules)
	t.Logf("%-26s %8s %6s", "rule (decides the type)", "correct", "prec")
	for _, k := range rules {
		c := total.byRule[k]
		t.Logf("%-26s %4d/%-4d %5.2f", k, c[0], c[1], float64(c[0])/float64(c[1]))
	}
	if f < 0.85 {
		t.Errorf("entity F1 on the briefs is %.2f, want ≥ 0.85", f)
	}
}
