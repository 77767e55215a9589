package extract_test

import (
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
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
		compareScores(t, name, s, []float64{s.ent.typeAccuracy()}, want)
		if k > 0 { // the briefs, without the seed
			total.add(s)
			typeAcc += s.ent.typeAccuracy()
			pairs = append(pairs, c.path, sysPath)
		}
	}
	want := runScorePy(t, python, script, append([]string{"--pairs"}, pairs...)...)
	compareScores(t, "all briefs", total, []float64{typeAcc / float64(len(pairs)/2)}, want)
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
func compareScores(t *testing.T, name string, s docScore, typeAcc []float64, want map[string]pyKind) {
	t.Helper()
	close := func(a, b float64) bool { return math.Abs(a-b) <= 0.0005+1e-9 }
	check := func(kind string, c counts, extra map[string]string, got func(pyKind) map[string]string) {
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
		for k, v := range got(w) {
			if extra[k] != v {
				t.Errorf("%s %s: Go %s %s, score.py %s", name, kind, k, extra[k], v)
			}
		}
	}
	check("entities", s.ent.counts, nil, func(pyKind) map[string]string { return nil })
	if w := want["entities"]; w.TypeAccuracy == nil || !close(typeAcc[0], *w.TypeAccuracy) {
		t.Errorf("%s entities: Go type accuracy %.3f, score.py %v", name, typeAcc[0], w.TypeAccuracy)
	}
	check("relations", s.rel.counts,
		map[string]string{"modality_exact": s.rel.modality.String(), "attribution_exact": s.rel.attribution.String()},
		func(w pyKind) map[string]string {
			return map[string]string{"modality_exact": w.ModalityExact, "attribution_exact": w.AttributionExact}
		})
	check("events", s.ev.counts,
		map[string]string{"date_exact": s.ev.date.String(), "fatalities_exact": s.ev.fatalities.String()},
		func(w pyKind) map[string]string {
			return map[string]string{"date_exact": w.DateExact, "fatalities_exact": w.FatalitiesExact}
		})
}
