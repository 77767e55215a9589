package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	faultline "github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/pathfind"
	"github.com/faultline-osint/faultline/storetest"
)

// The extractor does not produce relations and events yet, so these tests
// build their database through the store with hand-made extractions.
var fixtureEnts = map[string]storetest.Ent{
	"isi":      {ID: "isi", Name: "Inter-Services Intelligence", Type: faultline.GovernmentBody, Key: "actor:isi", Aliases: []string{"ISI"}},
	"let":      {ID: "let", Name: "Lashkar-e-Taiba", Type: faultline.ArmedGroup, Key: "actor:let"},
	"ttp":      {ID: "ttp", Name: "Tehrik-i-Taliban Pakistan", Type: faultline.ArmedGroup, Key: "actor:ttp", Aliases: []string{"TTP"}},
	"taliban":  {ID: "taliban", Name: "Afghan Taliban", Type: faultline.ArmedGroup, Key: "actor:taliban"},
	"pakistan": {ID: "pakistan", Name: "Pakistan", Type: faultline.Country, Key: "iso:PK"},
	"forces":   {ID: "forces", Name: "Pakistani forces", Type: faultline.GovernmentBody, Key: "actor:pakforces"},
	"iskp":     {ID: "iskp", Name: "Islamic State Khorasan Province", Type: faultline.ArmedGroup, Key: "actor:iskp", Aliases: []string{"ISKP"}},
	"mastung":  {ID: "mastung", Name: "Mastung", Type: faultline.Location, Key: "place:mastung"},
	"quetta":   {ID: "quetta", Name: "Quetta", Type: faultline.Location, Key: "place:quetta"},
	"hizb1":    {ID: "hizb1", Name: "Hizb", Type: faultline.ArmedGroup, Key: "actor:hizb-1"},
	"hizb2":    {ID: "hizb2", Name: "Hizb", Type: faultline.PoliticalParty, Key: "actor:hizb-2"},
}

// aggregateDB builds a database of ties and events and returns its path.
func aggregateDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "f.db")
	db := openDB(t, path)
	tie := func(title, published, sentence, s, p, o string, m faultline.Modality, from string) {
		t.Helper()
		r := faultline.ExtractedRelation{Subject: s, Predicate: faultline.Predicate(p), Object: o, Modality: m,
			Evidence: []faultline.Span{storetest.Span(t, sentence, sentence)}, Rule: "test.rel"}
		if from != "" {
			r.ValidFrom = &from
		}
		storetest.MustIngest(t, db, storetest.Doc{Title: title, Published: published, Text: sentence,
			Ents: []storetest.Ent{fixtureEnts[s], fixtureEnts[o]}, Relations: []faultline.ExtractedRelation{r}})
	}
	tie("Dossier", "2024", "ISI supports Lashkar-e-Taiba.", "isi", "supports", "let", faultline.Asserted, "2001")
	tie("Brief", "2025-02", "ISI reportedly funds Lashkar-e-Taiba.", "isi", "supports", "let", faultline.Reported, "")
	tie("Alliance", "", "Lashkar-e-Taiba is allied with the Afghan Taliban.", "let", "allied_with", "taliban", faultline.Asserted, "")
	tie("Shelter", "", "The Afghan Taliban shelter TTP.", "taliban", "supports", "ttp", faultline.Asserted, "")
	tie("Enmity", "", "According to officials, TTP is hostile to ISI.", "ttp", "hostile_to", "isi", faultline.Reported, "")
	tie("Denial", "", "Pakistan denied supporting TTP.", "pakistan", "supports", "ttp", faultline.Denied, "")

	event := func(title, sentence string, typ faultline.EventType, date, loc string, agents, targets []string, killed int, low bool) {
		t.Helper()
		v := faultline.ExtractedEvent{ID: "v1", Type: typ, Location: &loc, Modality: faultline.Asserted, FatalitiesLow: low,
			Evidence: []faultline.Span{storetest.Span(t, sentence, sentence)}, Rule: "test.event", Fatalities: &killed}
		if date != "" {
			v.Date = &date
		}
		ents := []storetest.Ent{fixtureEnts[loc]}
		for _, a := range agents {
			v.Participants = append(v.Participants, faultline.Participant{Entity: a, Role: faultline.RoleAgent})
			ents = append(ents, fixtureEnts[a])
		}
		for _, a := range targets {
			v.Participants = append(v.Participants, faultline.Participant{Entity: a, Role: faultline.RoleTarget})
			ents = append(ents, fixtureEnts[a])
		}
		storetest.MustIngest(t, db, storetest.Doc{Title: title, Text: sentence, Ents: ents, Events: []faultline.ExtractedEvent{v}})
	}
	event("Raid report", "On 11 March 2025 Pakistani forces raided an ISKP camp in Mastung, killing 30.", faultline.Raid, "2025-03-11", "mastung",
		[]string{"forces"}, []string{"iskp"}, 30, false)
	event("Monthly", "In March 2025 Pakistani forces raided ISKP in Mastung; 28 died.", faultline.Raid, "2025-03", "mastung",
		[]string{"forces"}, []string{"iskp"}, 28, false)
	event("Quetta", "In June 2024 TTP attacked Quetta, killing at least 30.", faultline.Attack, "2024-06", "quetta",
		[]string{"ttp"}, nil, 30, true)
	storetest.MustIngest(t, db, storetest.Doc{Title: "Hizb one", Text: "Hizb fights.", Ents: []storetest.Ent{fixtureEnts["hizb1"]}})
	storetest.MustIngest(t, db, storetest.Doc{Title: "Hizb two", Text: "Hizb campaigns.", Ents: []storetest.Ent{fixtureEnts["hizb2"]}})
	return path
}

// wantFail checks the exit code and that stderr is one line naming what.
func wantFail(t *testing.T, code int, stderr string, wantCode int, what string) {
	t.Helper()
	if code != wantCode {
		t.Errorf("exit %d, want %d (stderr %q)", code, wantCode, stderr)
	}
	if strings.Count(strings.TrimSpace(stderr), "\n") > 0 || !strings.Contains(stderr, what) {
		t.Errorf("stderr %q: want one line naming %q", stderr, what)
	}
}

func TestRelationsCommand(t *testing.T) {
	db := aggregateDB(t)
	code, out, stderr := cli(t, "", "--db", db, "relations", "ISI")
	if code != 0 {
		t.Fatalf("relations ISI: exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"Inter-Services Intelligence  (government_body)",
		"supports\n",
		"→ Lashkar-e-Taiba (armed_group)",
		"2 sources",
		"since 2001",
		"hostile_to\n",
		"— Tehrik-i-Taliban Pakistan (armed_group)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("relations ISI lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = cli(t, "", "--db", db, "relations", "TTP", "--json")
	var rs []faultline.Relation
	if err := json.Unmarshal([]byte(out), &rs); err != nil || code != 0 || len(rs) != 3 {
		t.Fatalf("relations TTP --json: exit %d, %d relations, %v:\n%s", code, len(rs), err, out)
	}
	code, out, _ = cli(t, "", "--db", db, "relations", "TTP")
	if code != 0 || !strings.Contains(out, "← Pakistan (country)") || !strings.Contains(out, "denied") || !strings.Contains(out, "1 denial") {
		t.Errorf("relations TTP should show Pakistan's denial, to TTP:\n%s", out)
	}
	code, out, _ = cli(t, "", "--db", db, "relations", "TTP", "--predicate", "supports", "--min-modality", "possible", "--json")
	if err := json.Unmarshal([]byte(out), &rs); err != nil || code != 0 || len(rs) != 1 || rs[0].Subject.Name != "Afghan Taliban" {
		t.Errorf("relations TTP --predicate supports --min-modality possible: %s", out)
	}

	code, _, stderr = cli(t, "", "--db", db, "relations", "ISI", "--predicate", "funds")
	wantFail(t, code, stderr, 2, "funds")
	code, _, stderr = cli(t, "", "--db", db, "relations", "ISI", "--min-modality", "sure")
	wantFail(t, code, stderr, 2, "sure")
	code, _, stderr = cli(t, "", "--db", db, "relations", "Nobody")
	wantFail(t, code, stderr, 1, "Nobody")
	code, _, stderr = cli(t, "", "--db", db, "relations", "Hizb")
	wantFail(t, code, stderr, 1, "Hizb")
	code, _, stderr = cli(t, "", "--db", db, "relations")
	if code != 2 {
		t.Errorf("relations without an entity: exit %d, want 2 (%s)", code, stderr)
	}
}

func TestClaimReview(t *testing.T) {
	db := aggregateDB(t)
	code, out, stderr := cli(t, "", "--db", db, "claims", "--entity", "ISI")
	if code != 0 || !strings.Contains(out, "Inter-Services Intelligence —supports→ Lashkar-e-Taiba") ||
		!strings.Contains(out, `"ISI reportedly funds Lashkar-e-Taiba."`) || !strings.Contains(out, "source #2 Brief") {
		t.Fatalf("claims --entity ISI: exit %d %s\n%s", code, stderr, out)
	}
	code, out, _ = cli(t, "", "--db", db, "claims", "--entity", "ISI", "--kind", "relation", "--json")
	var cs []faultline.Claim
	if err := json.Unmarshal([]byte(out), &cs); err != nil || code != 0 || len(cs) != 3 {
		t.Fatalf("claims --entity ISI --json: %d claims, %v", len(cs), err)
	}
	var brief string
	for _, c := range cs {
		if c.Modality == faultline.Reported && c.Predicate == faultline.Supports {
			brief = c.ID
		}
	}
	if code, out, stderr := cli(t, "", "--db", db, "claim", "reject", brief, "--analyst", "ana"); code != 0 || !strings.Contains(out, "rejected by ana") {
		t.Fatalf("claim reject: exit %d %q %q", code, out, stderr)
	}
	code, out, _ = cli(t, "", "--db", db, "relations", "ISI", "--predicate", "supports", "--json")
	var rs []faultline.Relation
	if err := json.Unmarshal([]byte(out), &rs); err != nil || code != 0 || len(rs) != 1 || rs[0].Sources != 1 || rs[0].Modality != faultline.Asserted {
		t.Errorf("after reject, ISI supports LeT should rest on one asserted source: %s", out)
	}
	code, out, _ = cli(t, "", "--db", db, "claims", "--status", "rejected", "--json")
	if err := json.Unmarshal([]byte(out), &cs); err != nil || code != 0 || len(cs) != 1 || cs[0].ID != brief {
		t.Errorf("claims --status rejected: %s", out)
	}
	if code, _, stderr := cli(t, "", "--db", db, "claim", "accept", cs[0].ID); code != 0 {
		t.Errorf("claim accept: %s", stderr)
	}
	code, out, _ = cli(t, "", "--db", db, "relations", "ISI", "--predicate", "supports", "--json")
	if err := json.Unmarshal([]byte(out), &rs); err != nil || len(rs) != 1 || rs[0].Sources != 2 || !rs[0].Accepted {
		t.Errorf("after accept, 2 sources and accepted: %s", out)
	}
	code, _, stderr = cli(t, "", "--db", db, "claim", "reject", "no-such-claim")
	wantFail(t, code, stderr, 1, "no-such-claim")
	code, _, stderr = cli(t, "", "--db", db, "claims", "--status", "maybe")
	wantFail(t, code, stderr, 2, "maybe")
	code, _, stderr = cli(t, "", "--db", db, "claim", "reject")
	if code != 2 {
		t.Errorf("claim reject without an id: exit %d, want 2 (%s)", code, stderr)
	}
}

func TestTimelineCommand(t *testing.T) {
	db := aggregateDB(t)
	code, out, stderr := cli(t, "", "--db", db, "timeline")
	if code != 0 {
		t.Fatalf("timeline: exit %d %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("timeline: want a header and 2 events:\n%s", out)
	}
	for i, want := range [][]string{
		{"2024-06", "attack", "Quetta", "Tehrik-i-Taliban Pakistan (agent)", ">= 30", "asserted", "1"},
		{"2025-03-11", "raid", "Mastung", "Pakistani forces (agent), Islamic State Khorasan Province (target)", "30", "2"},
	} {
		for _, w := range want {
			if !strings.Contains(lines[i+1], w) {
				t.Errorf("timeline line %d lacks %q: %q", i+1, w, lines[i+1])
			}
		}
	}
	for _, tt := range []struct {
		args []string
		want int
	}{
		{[]string{"--from", "2025", "--to", "2025"}, 1},
		{[]string{"--from", "2024", "--to", "2024-06"}, 1},
		{[]string{"--to", "2024-05"}, 0},
		{[]string{"--actor", "ISKP"}, 1},
		{[]string{"--place", "Quetta"}, 1},
		{[]string{"--type", "attack,raid"}, 2},
		{[]string{"--type", "clash"}, 0},
	} {
		code, out, stderr := cli(t, "", append([]string{"--db", db, "timeline", "--json"}, tt.args...)...)
		var es []faultline.Event
		if err := json.Unmarshal([]byte(out), &es); err != nil || code != 0 || len(es) != tt.want {
			t.Errorf("timeline %v: exit %d, %d events, want %d (%v %s)", tt.args, code, len(es), tt.want, err, stderr)
		}
	}
	for _, tt := range []struct {
		args []string
		code int
		what string
	}{
		{[]string{"--from", "2024-13"}, 2, "2024-13"},
		{[]string{"--to", "yesterday"}, 2, "yesterday"},
		{[]string{"--from", "2025", "--to", "2024"}, 2, "2024"},
		{[]string{"--type", "riot"}, 2, "riot"},
		{[]string{"--actor", "Nobody"}, 1, "Nobody"},
		{[]string{"--place", "Hizb"}, 1, "Hizb"},
	} {
		code, _, stderr := cli(t, "", append([]string{"--db", db, "timeline"}, tt.args...)...)
		wantFail(t, code, stderr, tt.code, tt.what)
	}
}

func TestPathCommand(t *testing.T) {
	db := aggregateDB(t)
	code, out, stderr := cli(t, "", "--db", db, "path", "TTP", "ISI")
	if code != 0 {
		t.Fatalf("path: exit %d %s", code, stderr)
	}
	for _, want := range []string{
		"path 1: 1 hop, cost 1.20",
		`Tehrik-i-Taliban Pakistan —hostile_to— Inter-Services Intelligence (reported, 1 source) "According to officials, TTP is hostile to ISI." [Enmity]`,
		"path 2: 3 hops, cost 2.95",
		`Tehrik-i-Taliban Pakistan ←supports— Afghan Taliban (asserted, 1 source) "The Afghan Taliban shelter TTP." [Shelter]`,
		`Lashkar-e-Taiba ←supports— Inter-Services Intelligence (asserted, 2 sources) "ISI supports Lashkar-e-Taiba." [Dossier]`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("path TTP ISI lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = cli(t, "", "--db", db, "path", "ISI", "Afghan Taliban", "--json")
	var res pathfind.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 0 || len(res.Paths) != 2 || !res.Paths[0].Hops[0].Forward ||
		res.Paths[0].Hops[0].Predicate != faultline.Supports {
		t.Errorf("path ISI 'Afghan Taliban' --json: %v\n%s", err, out)
	}
	code, out, _ = cli(t, "", "--db", db, "path", "TTP", "ISI", "--predicate", "supports", "--predicate", "allied_with", "--k", "5", "--json")
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 0 || len(res.Paths) != 1 || len(res.Paths[0].Hops) != 3 {
		t.Errorf("path --predicate supports,allied_with: %s", out)
	}
	code, out, _ = cli(t, "", "--db", db, "path", "TTP", "ISI", "--max-hops", "2", "--evidence", "0")
	if code != 0 || strings.Contains(out, "path 2") || strings.Contains(out, `"`) {
		t.Errorf("path --max-hops 2 --evidence 0: one path, no evidence:\n%s", out)
	}
	code, out, _ = cli(t, "", "--db", db, "path", "Pakistan", "TTP")
	if code != 0 || !strings.Contains(out, "no chain of ties between Pakistan and Tehrik-i-Taliban Pakistan within 4 hops") {
		t.Errorf("path over a denied tie: exit %d\n%s", code, out)
	}
	for _, tt := range []struct {
		args []string
		code int
		what string
	}{
		{[]string{"TTP", "ISI", "--predicate", "funds"}, 2, "funds"},
		{[]string{"TTP", "ISI", "--k", "0"}, 2, "--k"},
		{[]string{"TTP", "ISI", "--max-hops", "-1"}, 2, "--max-hops"},
		{[]string{"TTP", "TTP"}, 2, "TTP"},
		{[]string{"TTP", "Nobody"}, 1, "Nobody"},
		{[]string{"Hizb", "ISI"}, 1, "Hizb"},
	} {
		code, _, stderr := cli(t, "", append([]string{"--db", db, "path"}, tt.args...)...)
		wantFail(t, code, stderr, tt.code, tt.what)
	}
	if code, _, stderr := cli(t, "", "--db", db, "path", "TTP"); code != 2 {
		t.Errorf("path with one entity: exit %d, want 2 (%s)", code, stderr)
	}
}
