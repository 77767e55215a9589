package extract_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	faultline "github.com/faultline-osint/faultline"
)

// pyKind is one kind's figures in the summary `score.py --json` prints.
type pyKind struct {
	Precision        float64  `json:"precision"`
	Recall           float64  `json:"recall"`
	F1               float64  `json:"f1"`
	TP               int      `json:"tp"`
	FP               int      `json:"fp"`
	FN               int      `json:"fn"`
	TypeAccuracy     *float64 `json:"type_accuracy"`
	ModalityExact    string   `json:"modality_exact"`
	AttributionExact string   `json:"attribution_exact"`
	DateExact        string   `json:"date_exact"`
	FatalitiesExact  string   `json:"fatalities_exact"`
}

// TestScorerMatchesScorePy runs score.py and the Go port on the same
// extraction output, one document at a time and all briefs together, and
// fails on any difference. It needs python3 and ../shared.
//
// By default it scores the extractor's output in process. To check the port
// on other output, for instance that of the built command, set
// FAULTLINE_EVAL_SYSTEM_DIR to a folder holding NAME.json (from
// `faultline extract`) for each gold file NAME.gold.json.
func TestScorerMatchesScorePy(t *testing.T) {
	script := shared(t, "eval/score.py")
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not on PATH; skipping the comparison with score.py")
	}
	sysDir := os.Getenv("FAULTLINE_EVAL_SYSTEM_DIR")
	tmp := t.TempDir()
	cases := append([]goldCase{seedCase(t)}, exampleCases(t)...)
	total := newDocScore()
	var pairs []string
	typeAcc := 0.0
	for k, c := range cases {
		name := strings.TrimSuffix(filepath.Base(c.path), ".gold.json")
		var raw []byte
		if sysDir != "" {
			raw, err = os.ReadFile(filepath.Join(sysDir, name+".json"))
			if err != nil {
				t.Fatal(err)
			}
		} else {
			if raw, err = json.Marshal(mustExtractor(t).Extract(c.doc)); err != nil {
				t.Fatal(err)
			}
		}
		// Score what score.py reads: the JSON, decoded again.
		var ext faultline.Extraction
		if err := json.Unmarshal(raw, &ext); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sysPath := filepath.Join(tmp, name+".json")
		if err := os.WriteFile(sysPath, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		s := scoreDoc(c.g, &ext)
		want := runScorePy(t, python, script, c.path, sysPath)
		compareScores(t, name, s, s.ent.typeAccuracy(), want)
		if k > 0 { // the briefs, without the seed
			total.add(s)
			typeAcc += s.ent.typeAccuracy()
			pairs = append(pairs, c.path, sysPath)
		}
	}
	want := runScorePy(t, python, script, append([]string{"--pairs"}, pairs...)...)
	compareScores(t, "all briefs", total, typeAcc/float64(len(pairs)/2), want)
	if !t.Failed() {
		t.Logf("Go port and score.py agree on %d documents and the briefs' totals", len(cases))
	}
}

func runScorePy(t *testing.T, python, script string, args ...string) map[string]pyKind {
	t.Helper()
	cmd := exec.Command(python, append(append([]string{script}, args...), "--json")...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("score.py %v: %v\n%s", args, err, stderr.String())
	}
	var res map[string]pyKind
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("score.py output %q: %v", out, err)
	}
	return res
}

// compareScores checks the Go figures against score.py's summary: counts
// and "ok/n" strings exactly, ratios to score.py's three decimals.
func compareScores(t *testing.T, name string, s docScore, typeAcc float64, want map[string]pyKind) {
	t.Helper()
	close := func(a, b float64) bool { return math.Abs(a-b) <= 0.0005+1e-9 }
	check := func(kind string, c counts, attrs map[string]string) {
		w, ok := want[kind]
		if !ok {
			t.Errorf("%s: score.py printed no %s", name, kind)
			return
		}
		p, r, f := c.prf()
		if c.tp != w.TP || c.fp != w.FP || c.fn != w.FN || !close(p, w.Precision) || !close(r, w.Recall) || !close(f, w.F1) {
			t.Errorf("%s %s: Go tp/fp/fn %d/%d/%d P=%.3f R=%.3f F1=%.3f, score.py %d/%d/%d P=%.3f R=%.3f F1=%.3f",
				name, kind, c.tp, c.fp, c.fn, p, r, f, w.TP, w.FP, w.FN, w.Precision, w.Recall, w.F1)
		}
		py := map[string]string{"modality_exact": w.ModalityExact, "attribution_exact": w.AttributionExact,
			"date_exact": w.DateExact, "fatalities_exact": w.FatalitiesExact}
		for k, v := range attrs {
			if py[k] != v {
				t.Errorf("%s %s: Go %s %s, score.py %q", name, kind, k, v, py[k])
			}
		}
	}
	check("entities", s.ent.counts, nil)
	if w := want["entities"]; w.TypeAccuracy == nil || !close(typeAcc, *w.TypeAccuracy) {
		t.Errorf("%s entities: Go type accuracy %.3f, score.py %v", name, typeAcc, w.TypeAccuracy)
	}
	check("relations", s.rel.counts, map[string]string{
		"modality_exact": s.rel.modality.String(), "attribution_exact": s.rel.attribution.String()})
	check("events", s.ev.counts, map[string]string{
		"date_exact": s.ev.date.String(), "fatalities_exact": s.ev.fatalities.String()})
}

// TestScorerMatchesScorePyRandom feeds score.py's score_doc and the Go port
// hundreds of small random documents built to hit the corners the briefs may
// not: names that normalise alike, gold entities sharing a name, symmetric
// predicates either way round, optional items, several system items on one
// gold item, tied event pairs, dates of every precision, zero death tolls.
func TestScorerMatchesScorePyRandom(t *testing.T) {
	script := shared(t, "eval/score.py")
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not on PATH; skipping the comparison with score.py")
	}
	type docCase struct {
		Gold   gold                  `json:"gold"`
		System *faultline.Extraction `json:"system"`
	}
	rng := rand.New(rand.NewPCG(1, 2))
	cases := make([]docCase, 400)
	for i := range cases {
		g := randomGold(rng)
		cases[i] = docCase{g, randomSystem(rng, g)}
	}
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	const driver = `
import json, sys
sys.path.insert(0, sys.argv[1])
import score
print(json.dumps([
    {k: v for k, v in score.score_doc(c["gold"], c["system"]).items() if k in ("entities", "relations", "events")}
    for c in json.load(sys.stdin)]))
`
	cmd := exec.Command(python, "-B", "-c", driver, filepath.Dir(script)) // -B: write no __pycache__ beside score.py
	cmd.Stdin = bytes.NewReader(in)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("score.py: %v\n%s", err, stderr.String())
	}
	var want []map[string]pyKind
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	if len(want) != len(cases) {
		t.Fatalf("score.py scored %d documents, want %d", len(want), len(cases))
	}
	sum := newDocScore()
	for i, c := range cases {
		s := scoreDoc(c.Gold, c.System)
		w := want[i]
		got := fmt.Sprintf("entities %d/%d/%d %.6f relations %d/%d/%d %s %s events %d/%d/%d %s %s",
			s.ent.tp, s.ent.fp, s.ent.fn, s.ent.typeAccuracy(),
			s.rel.tp, s.rel.fp, s.rel.fn, s.rel.modality, s.rel.attribution,
			s.ev.tp, s.ev.fp, s.ev.fn, s.ev.date, s.ev.fatalities)
		e, r, v := w["entities"], w["relations"], w["events"]
		py := fmt.Sprintf("entities %d/%d/%d %.6f relations %d/%d/%d %s %s events %d/%d/%d %s %s",
			e.TP, e.FP, e.FN, *e.TypeAccuracy, r.TP, r.FP, r.FN, r.ModalityExact, r.AttributionExact,
			v.TP, v.FP, v.FN, v.DateExact, v.FatalitiesExact)
		if got != py {
			b, _ := json.Marshal(c)
			t.Errorf("random document %d:\n  Go        %s\n  score.py  %s\n  input %s", i, got, py, b)
		}
		sum.add(s)
	}
	// The generator must actually reach the corners: matches and misses of
	// every kind, graded attributes right and wrong.
	t.Logf("random documents: entities %+v relations %+v modality %s attribution %s events %+v date %s fatalities %s",
		sum.ent.counts, sum.rel.counts, sum.rel.modality, sum.rel.attribution,
		sum.ev.counts, sum.ev.date, sum.ev.fatalities)
	for _, r := range []ratio{sum.rel.modality, sum.rel.attribution, sum.ev.date, sum.ev.fatalities} {
		if r.ok == 0 || r.ok == r.n {
			t.Errorf("random documents grade %s: the generator no longer covers both outcomes", r)
		}
	}
}

// Vocabulary of the random documents: few enough values that items collide.
var (
	rndNames = []string{"Alpha Front", "alpha-front", "The Alpha Front", "ALPHA FRONT.", "Álpha Front",
		"Beta", "beta", "Gamma Army", "Gamma  Army", "Delta (D)", "Delta D", "O’Neil", "O'Neil", "Epsilon"}
	rndPreds = []faultline.Predicate{faultline.PartOf, faultline.HostileTo, faultline.AlliedWith,
		faultline.Supports, faultline.BasedIn}
	rndMods   = []faultline.Modality{faultline.Asserted, faultline.Reported, faultline.Alleged}
	rndEvents = []faultline.EventType{faultline.Attack, faultline.Strike, faultline.Raid}
	rndDates  = []string{"", "2024", "2024-03", "2024-03-05", "2024-03-06", "2023"}
	rndTypes  = []faultline.EntityType{faultline.ArmedGroup, faultline.Country, faultline.Location}
)

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

func some[T any](rng *rand.Rand, xs []T, n int) []T {
	var out []T
	for range rng.IntN(n + 1) {
		out = append(out, pick(rng, xs))
	}
	return out
}

func rndBool(rng *rand.Rand) *bool {
	switch rng.IntN(3) {
	case 0:
		return nil
	case 1:
		return new(true)
	}
	return new(false)
}

func rndInt(rng *rand.Rand) *int {
	switch rng.IntN(3) {
	case 0:
		return nil
	case 1:
		return new(0)
	}
	return new(3)
}

func rndStr(rng *rand.Rand, xs []string) *string {
	if rng.IntN(3) == 0 {
		return nil
	}
	return new(pick(rng, xs))
}

func randomGold(rng *rand.Rand) gold {
	g := gold{Entities: []goldEntity{}, Relations: []goldRelation{}, Events: []goldEvent{}}
	var keys []string
	for k := range 2 + rng.IntN(5) {
		key := fmt.Sprintf("K%d", k)
		keys = append(keys, key)
		g.Entities = append(g.Entities, goldEntity{Key: key, Names: append([]string{pick(rng, rndNames)}, some(rng, rndNames, 1)...),
			Type: []string{string(pick(rng, rndTypes))}, Required: rndBool(rng)})
	}
	for range rng.IntN(8) {
		r := goldRelation{S: pick(rng, keys), O: pick(rng, keys), P: append([]faultline.Predicate{pick(rng, rndPreds)}, some(rng, rndPreds, 1)...),
			Modality: some(rng, rndMods, 2), Required: rndBool(rng)}
		if rng.IntN(3) == 0 {
			r.AttributedTo = pick(rng, keys)
		}
		g.Relations = append(g.Relations, r)
	}
	for n := range rng.IntN(6) {
		g.Events = append(g.Events, goldEvent{Label: fmt.Sprintf("event %d", n),
			Type:   append([]faultline.EventType{pick(rng, rndEvents)}, some(rng, rndEvents, 1)...),
			Agents: some(rng, keys, 2), Targets: some(rng, keys, 1), Destination: some(rng, keys, 1), Location: some(rng, keys, 1),
			Date: pick(rng, rndDates), Fatalities: rndInt(rng), Required: rndBool(rng)})
	}
	return g
}

// randomSystem makes output for g: entities that mostly bear a name of a
// gold entity, and relations and events that mostly echo gold ones, a
// little wrong here and there, among random ones.
func randomSystem(rng *rand.Rand, g gold) *faultline.Extraction {
	ext := faultline.NewExtraction(faultline.ExtractionDocument{})
	var ids []string
	idOf := map[string]string{} // gold key → a system entity bearing one of its names
	add := func(name string) string {
		id := fmt.Sprintf("e%d", len(ids))
		ids = append(ids, id)
		ext.Entities = append(ext.Entities, faultline.ExtractedEntity{ID: id, Name: name, Type: pick(rng, rndTypes),
			Aliases: append([]string{}, some(rng, rndNames, 1)...), Mentions: []faultline.Mention{}, Rule: fmt.Sprintf("r%d", rng.IntN(3))})
		return id
	}
	for _, e := range g.Entities {
		if rng.IntN(4) > 0 {
			idOf[e.Key] = add(pick(rng, e.Names))
		}
	}
	for range rng.IntN(3) {
		add(pick(rng, append([]string{fmt.Sprintf("Unknown %d", len(ids))}, rndNames...)))
	}
	refs := append([]string{"e99"}, ids...) // e99 names no entity
	// ref is the system entity for gold key k, or now and then another.
	ref := func(k string) string {
		if id, ok := idOf[k]; ok && rng.IntN(5) > 0 {
			return id
		}
		return pick(rng, refs)
	}
	refStr := func(keys []string) *string {
		if len(keys) == 0 || rng.IntN(4) == 0 {
			return rndStr(rng, refs)
		}
		return new(ref(pick(rng, keys)))
	}
	for range rng.IntN(10) {
		r := faultline.ExtractedRelation{Subject: pick(rng, refs), Predicate: pick(rng, rndPreds), Object: pick(rng, refs),
			Modality: pick(rng, rndMods), AttributedTo: rndStr(rng, refs), Evidence: []faultline.Span{}, Rule: fmt.Sprintf("rel%d", rng.IntN(3))}
		if len(g.Relations) > 0 && rng.IntN(3) > 0 {
			gr := pick(rng, g.Relations)
			r.Subject, r.Object = ref(gr.S), ref(gr.O)
			if rng.IntN(3) == 0 {
				r.Subject, r.Object = r.Object, r.Subject
			}
			if rng.IntN(4) > 0 {
				r.Predicate = pick(rng, gr.P)
			}
			if len(gr.Modality) > 0 && rng.IntN(2) == 0 {
				r.Modality = pick(rng, gr.Modality)
			}
			if gr.AttributedTo != "" && rng.IntN(2) == 0 {
				r.AttributedTo = new(ref(gr.AttributedTo))
			}
		}
		ext.Relations = append(ext.Relations, r)
	}
	for n := range rng.IntN(7) {
		v := faultline.ExtractedEvent{ID: fmt.Sprintf("v%d", n), Type: pick(rng, rndEvents), Date: rndStr(rng, rndDates[1:]),
			Location: rndStr(rng, refs), Fatalities: rndInt(rng), Modality: faultline.Asserted, Evidence: []faultline.Span{},
			Participants: []faultline.Participant{}, Rule: fmt.Sprintf("ev%d", rng.IntN(3))}
		var gv goldEvent
		if len(g.Events) > 0 && rng.IntN(3) > 0 {
			gv = pick(rng, g.Events)
			v.Type = pick(rng, gv.Type)
			v.Location = refStr(gv.Location)
			if gv.Date != "" && rng.IntN(2) == 0 {
				v.Date = new(gv.Date[:pick(rng, []int{4, min(7, len(gv.Date)), len(gv.Date)})])
			}
			if gv.Fatalities != nil && rng.IntN(2) == 0 {
				v.Fatalities = new(*gv.Fatalities)
			}
		}
		gparts := slices.Concat(gv.Agents, gv.Targets, gv.Destination, gv.Location)
		for range rng.IntN(4) {
			p := faultline.Participant{Entity: pick(rng, refs), Role: faultline.RoleAgent}
			if len(gparts) > 0 && rng.IntN(3) > 0 {
				p.Entity = ref(pick(rng, gparts))
			}
			v.Participants = append(v.Participants, p)
		}
		ext.Events = append(ext.Events, v)
	}
	return ext
}
