package pathfind_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/pathfind"
	"github.com/faultline-osint/faultline/sqlite"
	"github.com/faultline-osint/faultline/storetest"
)

var ents = map[string]storetest.Ent{
	"isi":      {ID: "isi", Name: "Inter-Services Intelligence", Type: faultline.GovernmentBody, Key: "actor:isi", Aliases: []string{"ISI"}},
	"let":      {ID: "let", Name: "Lashkar-e-Taiba", Type: faultline.ArmedGroup, Key: "actor:let"},
	"ttp":      {ID: "ttp", Name: "Tehrik-i-Taliban Pakistan", Type: faultline.ArmedGroup, Key: "actor:ttp", Aliases: []string{"TTP"}},
	"taliban":  {ID: "taliban", Name: "Afghan Taliban", Type: faultline.ArmedGroup, Key: "actor:taliban"},
	"pakistan": {ID: "pakistan", Name: "Pakistan", Type: faultline.Country, Key: "iso:PK"},
	"lone":     {ID: "lone", Name: "Lone Group", Type: faultline.ArmedGroup, Key: "actor:lone"},
}

// ingestTie stores a one-sentence document claiming one tie.
func ingestTie(t testing.TB, st faultline.Store, title, sentence, s, p, o string, m faultline.Modality) {
	t.Helper()
	storetest.MustIngest(t, st, storetest.Doc{Title: title, Text: sentence, Ents: []storetest.Ent{ents[s], ents[o]},
		Relations: []faultline.ExtractedRelation{{Subject: s, Predicate: faultline.Predicate(p), Object: o, Modality: m,
			Evidence: []faultline.Span{storetest.Span(t, sentence, sentence)}}}})
}

func fixture(t *testing.T) *sqlite.DB {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "f.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ingestTie(t, db, "Dossier", "ISI supports Lashkar-e-Taiba.", "isi", "supports", "let", faultline.Asserted)
	ingestTie(t, db, "Brief", "ISI funds Lashkar-e-Taiba.", "isi", "supports", "let", faultline.Reported)
	ingestTie(t, db, "Alliance", "Lashkar-e-Taiba is allied with the Afghan Taliban.", "let", "allied_with", "taliban", faultline.Asserted)
	ingestTie(t, db, "Shelter", "The Afghan Taliban shelter TTP.", "taliban", "supports", "ttp", faultline.Asserted)
	ingestTie(t, db, "Enmity", "According to officials, TTP is hostile to ISI.", "ttp", "hostile_to", "isi", faultline.Reported)
	ingestTie(t, db, "Denial", "Pakistan denied supporting TTP.", "pakistan", "supports", "ttp", faultline.Denied)
	storetest.MustIngest(t, db, storetest.Doc{Title: "Lone", Text: "Lone Group exists.", Ents: []storetest.Ent{ents["lone"]}})
	return db
}

func TestPaths(t *testing.T) {
	ctx := context.Background()
	db := fixture(t)
	net, err := pathfind.Load(ctx, db, faultline.TieFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if net.Ties() != 4 || net.Nodes() != 4 {
		t.Errorf("loaded %d ties among %d entities, want 4 among 4 (the denial left out)", net.Ties(), net.Nodes())
	}
	res, err := net.Paths(ctx, pathfind.Query{From: "TTP", To: "ISI"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Paths) != 2 {
		t.Fatalf("paths = %+v, want 2", res.Paths)
	}
	direct, long := res.Paths[0], res.Paths[1]
	if len(direct.Hops) != 1 || direct.Cost != 1.2 {
		t.Errorf("first path = %+v, want the reported hostile_to tie of cost 1.2", direct)
	}
	h := direct.Hops[0]
	if h.From.Name != "Tehrik-i-Taliban Pakistan" || h.To.Name != "Inter-Services Intelligence" || h.Predicate != faultline.HostileTo ||
		h.Modality != faultline.Reported || h.Sources != 1 || len(h.Evidence) != 1 ||
		h.Evidence[0].Text() != "According to officials, TTP is hostile to ISI." || h.Evidence[0].SourceTitle != "Enmity" {
		t.Errorf("direct hop = %+v", h)
	}
	// TTP ← supports — Afghan Taliban — allied_with — Lashkar-e-Taiba ← supports — ISI
	if len(long.Hops) != 3 || long.Cost != 2.95 {
		t.Fatalf("second path = %+v, want 3 hops of cost 2.95", long)
	}
	wantDir := []bool{false, false, false}
	wantPred := []faultline.Predicate{faultline.Supports, faultline.AlliedWith, faultline.Supports}
	for i, h := range long.Hops {
		if h.Predicate != wantPred[i] || h.Forward != wantDir[i] && !h.Predicate.Symmetric() {
			t.Errorf("hop %d = %s forward %v, want %s forward %v", i, h.Predicate, h.Forward, wantPred[i], wantDir[i])
		}
	}
	last := long.Hops[2]
	if last.Subject == last.From.ID || last.Sources != 2 || last.Modality != faultline.Asserted || last.Evidence[0].SourceTitle != "Dossier" {
		t.Errorf("last hop = %+v, want ISI's tie walked backwards, 2 sources, the asserted evidence first", last)
	}

	for _, tt := range []struct {
		name string
		q    pathfind.Query
		want int
	}{
		{"max hops", pathfind.Query{From: "TTP", To: "ISI", MaxHops: 2}, 1},
		{"k", pathfind.Query{From: "TTP", To: "ISI", K: 1}, 1},
		{"predicates", pathfind.Query{From: "TTP", To: "ISI", Predicates: []faultline.Predicate{faultline.Supports, faultline.AlliedWith}}, 1},
		{"predicate cuts every path", pathfind.Query{From: "TTP", To: "ISI", Predicates: []faultline.Predicate{faultline.Supports}}, 0},
		{"denied tie is no path", pathfind.Query{From: "Pakistan", To: "TTP"}, 0},
		{"no ties at all", pathfind.Query{From: "Lone Group", To: "ISI"}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := net.Paths(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Paths) != tt.want {
				t.Errorf("%d paths, want %d: %+v", len(res.Paths), tt.want, res.Paths)
			}
		})
	}
	for _, tt := range []struct {
		name string
		q    pathfind.Query
		code string
	}{
		{"unknown", pathfind.Query{From: "TTP", To: "Nobody"}, faultline.ENOTFOUND},
		{"same", pathfind.Query{From: "TTP", To: "Tehrik-i-Taliban Pakistan"}, faultline.EINVALID},
		{"bad predicate", pathfind.Query{From: "TTP", To: "ISI", Predicates: []faultline.Predicate{"funds"}}, faultline.EINVALID},
		{"bad k", pathfind.Query{From: "TTP", To: "ISI", K: -1}, faultline.EINVALID},
	} {
		_, err := net.Paths(ctx, tt.q)
		if got := faultline.ErrorCode(err); got != tt.code {
			t.Errorf("%s: code %q (%v), want %q", tt.name, got, err, tt.code)
		} else if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error spans lines: %q", tt.name, err)
		}
	}
}

func TestWeight(t *testing.T) {
	for _, tt := range []struct {
		m       faultline.Modality
		sources int
		want    float64
		ok      bool
	}{
		{faultline.Asserted, 1, 1, true},
		{faultline.Reported, 1, 1.2, true},
		{faultline.Alleged, 1, 1.5, true},
		{faultline.Possible, 0, 1.5, true},
		{faultline.Asserted, 3, 0.9, true},
		{faultline.Asserted, 40, 0.8, true},
		{faultline.Denied, 3, 0, false},
	} {
		got, ok := pathfind.Weight(tt.m, tt.sources)
		if ok != tt.ok || (got-tt.want) > 1e-9 || (tt.want-got) > 1e-9 {
			t.Errorf("Weight(%s, %d) = %v, %v; want %v, %v", tt.m, tt.sources, got, ok, tt.want, tt.ok)
		}
	}
}
