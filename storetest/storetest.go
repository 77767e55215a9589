// Package storetest is the conformance suite every faultline.Store backend
// runs: SQLite always, PostgreSQL where a server is available. A backend's
// test calls Run (or RunWithOptions) with a function that opens an empty
// store.
package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/faultline-osint/faultline"
)

// Options configures the suite.
type Options struct {
	// Open returns a new, empty store; the suite closes it.
	Open func(t *testing.T) faultline.Store
	// Reopen, when set, closes s and opens the same database again; the
	// suite then checks that analyst decisions survive a restart.
	Reopen func(t *testing.T, s faultline.Store) faultline.Store
}

// SourceDeleter is implemented by stores that can delete a source with its
// mentions and claims (but not entities or reviews). The suite uses it to
// check that reviews survive a re-ingest.
type SourceDeleter interface {
	DeleteSource(ctx context.Context, id int64) error
}

// Run runs the suite with open as Options.Open.
func Run(t *testing.T, open func(t *testing.T) faultline.Store) {
	RunWithOptions(t, Options{Open: open})
}

// RunWithOptions runs the suite.
func RunWithOptions(t *testing.T, o Options) {
	s := &suite{o: o}
	t.Run("Ingest", s.testIngest)
	t.Run("Duplicate", s.testDuplicate)
	t.Run("InvalidRejected", s.testInvalid)
	t.Run("Resolution", s.testResolution)
	t.Run("FullNameReplacesAcronym", s.testFullName)
	t.Run("FindEntity", s.testFindEntity)
	t.Run("MergeUnmergeAlias", s.testMergeUnmergeAlias)
	t.Run("AnalystAliasWins", s.testAnalystAliasWins)
	t.Run("Search", s.testSearch)
	t.Run("Profile", s.testProfile)
	t.Run("Claims", s.testClaims)
	t.Run("Stats", s.testStats)
	t.Run("RelationsAggregate", s.testRelationsAggregate)
	t.Run("RelationsSymmetric", s.testRelationsSymmetric)
	t.Run("RelationsRejectedSurviveReingest", s.testRelationsRejected)
	t.Run("RelationsFollowMerges", s.testRelationsMerge)
	t.Run("RelationsFilter", s.testRelationsFilter)
	t.Run("EventsAggregate", s.testEventsAggregate)
	t.Run("EventsTimelineFilter", s.testEventsFilter)
	t.Run("SnapshotTLP", s.testSnapshotTLP)
	t.Run("SnapshotSinceNeighbourhood", s.testSnapshotSince)
	t.Run("ImportResolution", s.testImportResolution)
	t.Run("ImportBatches", s.testImportBatches)
	t.Run("ImportDatasetEvents", s.testImportDatasetEvents)
	t.Run("SnapshotDatasets", s.testSnapshotDatasets)
}

type suite struct{ o Options }

// open opens an empty store and closes it when the test ends; the returned
// pointer is updated by reopen.
func (s *suite) open(t *testing.T) *faultline.Store {
	st := s.o.Open(t)
	p := &st
	t.Cleanup(func() {
		if err := (*p).Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return p
}

// reopen restarts the store when the backend supports it.
func (s *suite) reopen(t *testing.T, p *faultline.Store) {
	t.Helper()
	if s.o.Reopen != nil {
		*p = s.o.Reopen(t, *p)
	}
}

// The test corpus. Text begins with non-ASCII characters so that byte and
// code-point offsets differ.
const textISKP = "Éditorial — Quetta, 2025. The Islamic State Khorasan Province (ISKP) has moved to Balochistan. " +
	"According to Michael Kugelman, Pakistan tolerates ISKP against the Baloch Liberation Army. " +
	"In March 2025, Pakistani forces raided an ISKP camp in Mastung, killing 30 militants.\n" +
	"Jaish-e-Mohammed and al-Qa'ida share members."

// docISKP is the richest document: nine entities, a relation, an attributed
// relation and an event.
func docISKP(t testing.TB) Doc {
	text := textISKP
	return Doc{
		Title: "ISKP in Balochistan", Text: text, Publisher: "Observer", TLP: faultline.TLPGreen,
		Ents: []Ent{
			{ID: "e1", Name: "Islamic State Khorasan Province", Type: faultline.ArmedGroup, Key: "actor:iskp", Aliases: []string{"ISKP"}},
			{ID: "e2", Name: "Balochistan", Type: faultline.Location, Key: "place:balochistan"},
			{ID: "e3", Name: "Michael Kugelman", Type: faultline.Person},
			{ID: "e4", Name: "Pakistan", Type: faultline.Country, Key: "iso:PK", ExtIDs: []faultline.ExternalID{{Scheme: "iso3166", Value: "PK"}}},
			{ID: "e5", Name: "Baloch Liberation Army", Type: faultline.ArmedGroup},
			{ID: "e6", Name: "Pakistani forces", Type: faultline.GovernmentBody},
			{ID: "e7", Name: "Mastung", Type: faultline.Location},
			{ID: "e8", Name: "Jaish-e-Mohammed", Type: faultline.ArmedGroup},
			{ID: "e9", Name: "al-Qa'ida", Type: faultline.ArmedGroup},
		},
		Relations: []faultline.ExtractedRelation{
			{Subject: "e1", Predicate: faultline.BasedIn, Object: "e2", Modality: faultline.Asserted, ValidFrom: str("2025"),
				Evidence: []faultline.Span{Span(t, text, "The Islamic State Khorasan Province (ISKP) has moved to Balochistan.")}, Rule: "rel.based_in"},
			{Subject: "e4", Predicate: faultline.Supports, Object: "e1", Modality: faultline.Reported, AttributedTo: str("e3"), Kind: str("tacit"),
				Evidence: []faultline.Span{Span(t, text, "According to Michael Kugelman, Pakistan tolerates ISKP against the Baloch Liberation Army.")}, Rule: "rel.supports"},
		},
		Events: []faultline.ExtractedEvent{
			{ID: "v1", Type: faultline.Raid, Date: str("2025-03"), Location: str("e7"),
				Participants: []faultline.Participant{{Entity: "e6", Role: faultline.RoleAgent}, {Entity: "e1", Role: faultline.RoleTarget}},
				Fatalities:   intp(30), Modality: faultline.Asserted,
				Evidence: []faultline.Span{Span(t, text, "In March 2025, Pakistani forces raided an ISKP camp in Mastung, killing 30 militants.")}, Rule: "event.raid"},
		},
	}
}

// docDaesh names the same group as docISKP under a name no rule links.
func docDaesh() Doc {
	return Doc{
		Title: "Peshawar attack", Text: "Daesh Khorasan claimed the attack in Peshawar. Officials blamed Daesh Khorasan and Tehrik-i-Taliban Pakistan.",
		Publisher: "Wire", TLP: faultline.TLPAmber,
		Ents: []Ent{
			{ID: "d1", Name: "Daesh Khorasan", Type: faultline.ArmedGroup},
			{ID: "d2", Name: "Peshawar", Type: faultline.Location},
			{ID: "d3", Name: "Tehrik-i-Taliban Pakistan", Type: faultline.ArmedGroup},
		},
	}
}

// mentionCount counts the mentions Build produces for d.
func mentionCount(t testing.TB, d Doc) int {
	_, ext := Build(t, d)
	n := 0
	for _, e := range ext.Entities {
		n += len(e.Mentions)
	}
	return n
}

func (s *suite) testIngest(t *testing.T) {
	ctx := context.Background()
	st := s.open(t)
	d := docISKP(t)
	res := MustIngest(t, *st, d)
	if got, want := res.NewEntities, 9; got != want {
		t.Errorf("NewEntities = %d, want %d", got, want)
	}
	if got, want := res.Mentions, mentionCount(t, d); got != want {
		t.Errorf("Mentions = %d, want %d", got, want)
	}
	if got, want := res.Claims, 3; got != want {
		t.Errorf("Claims = %d, want %d", got, want)
	}
	if res.SourceID == 0 {
		t.Fatalf("SourceID = 0")
	}
	src, err := (*st).Source(ctx, res.SourceID)
	if err != nil {
		t.Fatalf("Source(%d): %v", res.SourceID, err)
	}
	if src.Text != d.Text || src.Title != d.Title || src.TLP != faultline.TLPGreen || src.Reliability != "B" {
		t.Errorf("Source = %+v, want the ingested text, title, tlp green and reliability B", src)
	}
	if got, want := src.Chars, len([]rune(d.Text)); got != want {
		t.Errorf("Chars = %d, want %d (code points)", got, want)
	}
	if src.IngestedAt.IsZero() {
		t.Errorf("IngestedAt is zero")
	}
	if _, err := (*st).Source(ctx, res.SourceID+1000); faultline.ErrorCode(err) != faultline.ENOTFOUND {
		t.Errorf("Source(unknown): err = %v, want ENOTFOUND", err)
	}

	pause()
	res2 := MustIngest(t, *st, docDaesh())
	tests := []struct {
		name string
		f    faultline.SourceFilter
		want []int64
	}{
		{"all newest first", faultline.SourceFilter{}, []int64{res2.SourceID, res.SourceID}},
		{"limit", faultline.SourceFilter{Limit: 1}, []int64{res2.SourceID}},
		{"max tlp green", faultline.SourceFilter{MaxTLP: faultline.TLPGreen}, []int64{res.SourceID}},
		{"max tlp clear", faultline.SourceFilter{MaxTLP: faultline.TLPClear}, nil},
		{"max tlp red", faultline.SourceFilter{MaxTLP: faultline.TLPRed}, []int64{res2.SourceID, res.SourceID}},
		{"publisher", faultline.SourceFilter{Publisher: "wire"}, []int64{res2.SourceID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srcs, err := (*st).Sources(ctx, tt.f)
			if err != nil {
				t.Fatalf("Sources: %v", err)
			}
			var got []int64
			for _, s := range srcs {
				got = append(got, s.ID)
				if s.Text != "" {
					t.Errorf("source %d has text without WithText", s.ID)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Sources ids = %v, want %v", got, tt.want)
			}
		})
	}
	srcs, err := (*st).Sources(ctx, faultline.SourceFilter{WithText: true, Limit: 1})
	if err != nil || len(srcs) != 1 || srcs[0].Text == "" {
		t.Errorf("Sources(WithText) = %v, %v; want one source with text", srcs, err)
	}
}

func (s *suite) testDuplicate(t *testing.T) {
	ctx := context.Background()
	st := s.open(t)
	first := MustIngest(t, *st, docISKP(t))
	before, err := (*st).Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	src, ext := Build(t, docISKP(t))
	src.Title = "Another title, same bytes"
	res, err := (*st).IngestDocument(ctx, src, ext)
	if err != nil {
		t.Fatalf("second ingest: %v", err)
	}
	if !res.Duplicate || res.SourceID != first.SourceID || res.Mentions != 0 || res.Claims != 0 || res.NewEntities != 0 {
		t.Errorf("second ingest = %+v, want Duplicate with SourceID %d and nothing written", res, first.SourceID)
	}
	after, err := (*st).Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.Sources != before.Sources || after.Mentions != before.Mentions || after.Claims != before.Claims || after.Aliases != before.Aliases {
		t.Errorf("stats after duplicate = %+v, want %+v", after, before)
	}
}

func (s *suite) testInvalid(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*faultline.Source, *faultline.Extraction)
	}{
		{"bad sha256", func(s *faultline.Source, x *faultline.Extraction) { s.SHA256 = "abc"; x.Document.SHA256 = "" }},
		{"bad reliability", func(s *faultline.Source, _ *faultline.Extraction) { s.Reliability = "Z" }},
		{"bad tlp", func(s *faultline.Source, _ *faultline.Extraction) { s.TLP = "purple" }},
		{"extraction of another document", func(_ *faultline.Source, x *faultline.Extraction) { x.Document.SHA256 = strings.Repeat("0", 64) }},
		{"bad entity type", func(_ *faultline.Source, x *faultline.Extraction) { x.Entities[3].Type = "nation" }},
		{"duplicate entity id", func(_ *faultline.Source, x *faultline.Extraction) { x.Entities[1].ID = "e1" }},
		{"empty entity name", func(_ *faultline.Source, x *faultline.Extraction) { x.Entities[2].Name = " - " }},
		{"mention past the end", func(_ *faultline.Source, x *faultline.Extraction) {
			x.Entities[0].Mentions = append(x.Entities[0].Mentions, faultline.Mention{Span: faultline.Span{Start: 5, End: 100000}})
		}},
		{"mention byte offsets", func(_ *faultline.Source, x *faultline.Extraction) {
			n := len([]rune(textISKP))
			x.Entities[0].Mentions = append(x.Entities[0].Mentions, faultline.Mention{Span: faultline.Span{Start: n, End: len(textISKP)}})
		}},
		{"negative start", func(_ *faultline.Source, x *faultline.Extraction) { x.Entities[0].Mentions[0].Start = -1 }},
		{"relation to unknown entity", func(_ *faultline.Source, x *faultline.Extraction) { x.Relations[0].Object = "e99" }},
		{"relation bad predicate", func(_ *faultline.Source, x *faultline.Extraction) { x.Relations[0].Predicate = "funds" }},
		{"relation bad modality", func(_ *faultline.Source, x *faultline.Extraction) { x.Relations[0].Modality = "rumoured" }},
		{"relation unknown attribution", func(_ *faultline.Source, x *faultline.Extraction) { x.Relations[1].AttributedTo = str("e42") }},
		{"relation evidence out of range", func(_ *faultline.Source, x *faultline.Extraction) { x.Relations[0].Evidence[0].End = 1 << 20 }},
		{"event bad type", func(_ *faultline.Source, x *faultline.Extraction) { x.Events[0].Type = "party" }},
		{"event unknown participant", func(_ *faultline.Source, x *faultline.Extraction) { x.Events[0].Participants[0].Entity = "nobody" }},
		{"event bad role", func(_ *faultline.Source, x *faultline.Extraction) { x.Events[0].Participants[0].Role = "hero" }},
		{"event unknown location", func(_ *faultline.Source, x *faultline.Extraction) { x.Events[0].Location = str("e77") }},
		{"event negative fatalities", func(_ *faultline.Source, x *faultline.Extraction) { x.Events[0].Fatalities = intp(-3) }},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := s.open(t)
			src, ext := Build(t, docISKP(t))
			tt.mutate(src, ext)
			_, err := (*st).IngestDocument(ctx, src, ext)
			wantCode(t, "IngestDocument", err, faultline.EINVALID)
			stats, err := (*st).Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if stats.Sources != 0 || stats.Entities != 0 || stats.Mentions != 0 || stats.Claims != 0 || stats.Aliases != 0 {
				t.Errorf("stats after rejected ingest = %+v, want nothing written", stats)
			}
		})
	}
}

func (s *suite) testResolution(t *testing.T) {
	ctx := context.Background()
	type docEnt struct {
		text string
		ent  Ent
	}
	tests := []struct {
		name    string
		docs    []docEnt
		typ     faultline.EntityType
		want    int // entities of typ after both documents
		newEnts []int
	}{
		{"same dictionary key, different names", []docEnt{
			{"The Islamic State Khorasan Province struck.", Ent{ID: "a", Name: "Islamic State Khorasan Province", Type: faultline.ArmedGroup, Key: "actor:iskp"}},
			{"ISIS-K struck again.", Ent{ID: "b", Name: "ISIS-K", Type: faultline.ArmedGroup, Key: "actor:iskp"}},
		}, faultline.ArmedGroup, 1, []int{1, 0}},
		{"same name without key", []docEnt{
			{"Tehrik-i-Taliban Pakistan attacked.", Ent{ID: "a", Name: "Tehrik-i-Taliban Pakistan", Type: faultline.ArmedGroup}},
			{"The Tehrik i Taliban Pakistan denied it.", Ent{ID: "b", Name: "Tehrik i Taliban Pakistan", Type: faultline.ArmedGroup}},
		}, faultline.ArmedGroup, 1, []int{1, 0}},
		{"name matches an alias", []docEnt{
			{"Tehrik-i-Taliban Pakistan (TTP) attacked.", Ent{ID: "a", Name: "Tehrik-i-Taliban Pakistan", Type: faultline.ArmedGroup, Aliases: []string{"TTP"}}},
			{"TTP denied it.", Ent{ID: "b", Name: "TTP", Type: faultline.ArmedGroup}},
		}, faultline.ArmedGroup, 1, []int{1, 0}},
		{"external id", []docEnt{
			{"Pakistan said.", Ent{ID: "a", Name: "Pakistan", Type: faultline.Country, ExtIDs: []faultline.ExternalID{{Scheme: "iso3166", Value: "PK"}}}},
			{"Islamabad said.", Ent{ID: "b", Name: "Islamabad", Type: faultline.Country, ExtIDs: []faultline.ExternalID{{Scheme: "iso3166", Value: "PK"}}}},
		}, faultline.Country, 1, []int{1, 0}},
		{"lone surname not merged", []docEnt{
			{"Khan spoke in Lahore.", Ent{ID: "a", Name: "Khan", Type: faultline.Person}},
			{"Khan was arrested in Quetta.", Ent{ID: "b", Name: "Khan", Type: faultline.Person}},
		}, faultline.Person, 2, []int{1, 1}},
		{"full person name merged", []docEnt{
			{"Imran Khan spoke.", Ent{ID: "a", Name: "Imran Khan", Type: faultline.Person}},
			{"Imran Khan was arrested.", Ent{ID: "b", Name: "Imran Khan", Type: faultline.Person}},
		}, faultline.Person, 1, []int{1, 0}},
		{"group types compatible", []docEnt{
			{"Baloch Liberation Army fighters.", Ent{ID: "a", Name: "Baloch Liberation Army", Type: faultline.ArmedGroup}},
			{"Baloch Liberation Army said.", Ent{ID: "b", Name: "Baloch Liberation Army", Type: faultline.Organization}},
		}, "", 1, []int{1, 0}},
		{"place and group not merged", []docEnt{
			{"Khyber was shelled.", Ent{ID: "a", Name: "Khyber", Type: faultline.Location}},
			{"Khyber claimed it.", Ent{ID: "b", Name: "Khyber", Type: faultline.ArmedGroup}},
		}, "", 2, []int{1, 1}},
		{"different dictionary keys not merged", []docEnt{
			{"Jundallah attacked.", Ent{ID: "a", Name: "Jundallah", Type: faultline.ArmedGroup, Key: "actor:jundallah-pk"}},
			{"Jundallah attacked.", Ent{ID: "b", Name: "Jundallah", Type: faultline.ArmedGroup, Key: "actor:jundallah-ir"}},
		}, faultline.ArmedGroup, 2, []int{1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := s.open(t)
			for i, d := range tt.docs {
				text := d.text
				if i == 1 && d.text == tt.docs[0].text {
					text += " "
				}
				res := MustIngest(t, *st, Doc{Title: tt.name, Text: text, Ents: []Ent{d.ent}})
				if got, want := res.NewEntities, tt.newEnts[i]; got != want {
					t.Errorf("document %d: NewEntities = %d, want %d", i+1, got, want)
				}
				pause()
			}
			es, err := (*st).Entities(ctx, faultline.EntityFilter{Type: tt.typ})
			if err != nil {
				t.Fatal(err)
			}
			if got := len(es); got != tt.want {
				t.Errorf("entities = %d (%+v), want %d", got, es, tt.want)
			}
			if tt.want == 1 {
				e := MustFind(t, *st, tt.docs[1].ent.Name)
				p, err := (*st).EntityProfile(ctx, e.ID, 10)
				if err != nil {
					t.Fatal(err)
				}
				if got := len(p.Sources); got != 2 {
					t.Errorf("profile sources = %d, want 2", got)
				}
			}
		})
	}

	t.Run("ids are stable across stores", func(t *testing.T) {
		var ids []string
		for range 2 {
			st := s.open(t)
			MustIngest(t, *st, docISKP(t))
			ids = append(ids, MustFind(t, *st, "Mastung").ID, MustFind(t, *st, "ISKP").ID)
		}
		if ids[0] != ids[2] || ids[1] != ids[3] {
			t.Errorf("ids differ between stores: %v", ids)
		}
	})
}

func (s *suite) testFindEntity(t *testing.T) {
	ctx := context.Background()
	st := s.open(t)
	MustIngest(t, *st, docISKP(t))
	MustIngest(t, *st, Doc{Title: "Khan one", Text: "Khan met officials.", Ents: []Ent{{ID: "a", Name: "Khan", Type: faultline.Person}}})
	MustIngest(t, *st, Doc{Title: "Khan two", Text: "Khan was detained.", Ents: []Ent{{ID: "a", Name: "Khan", Type: faultline.Person}}})
	iskp := MustFind(t, *st, "actor:iskp")
	if iskp.Name != "Islamic State Khorasan Province" || iskp.Type != faultline.ArmedGroup {
		t.Fatalf("FindEntity(key) = %+v, want ISKP", iskp)
	}
	if !slices.Contains(iskp.Aliases, "ISKP") {
		t.Errorf("aliases = %v, want ISKP among them", iskp.Aliases)
	}
	tests := []struct {
		ref  string
		want string // entity name, or an error code
	}{
		{iskp.ID, "Islamic State Khorasan Province"},
		{"actor:iskp", "Islamic State Khorasan Province"},
		{"islamic state khorasan province", "Islamic State Khorasan Province"},
		{"ISKP", "Islamic State Khorasan Province"},
		{"iskp", "Islamic State Khorasan Province"},
		{"Al Qa ida", "al-Qa'ida"},
		{"Jaish e Mohammed", "Jaish-e-Mohammed"},
		{"Pakistan", "Pakistan"},
		{"Hizb ut-Tahrir", faultline.ENOTFOUND},
		{"Khan", faultline.EAMBIGUOUS},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			e, err := (*st).FindEntity(ctx, tt.ref)
			switch tt.want {
			case faultline.ENOTFOUND, faultline.EAMBIGUOUS:
				wantCode(t, "FindEntity", err, tt.want)
				if tt.want == faultline.EAMBIGUOUS && !strings.Contains(faultline.ErrorMessage(err), "Khan") {
					t.Errorf("ambiguous error %q does not list the candidates", faultline.ErrorMessage(err))
				}
			default:
				if err != nil {
					t.Fatalf("FindEntity: %v", err)
				}
				if e.Name != tt.want {
					t.Errorf("FindEntity = %q, want %q", e.Name, tt.want)
				}
			}
		})
	}
	pk := MustFind(t, *st, "Pakistan")
	if pk.Lat != nil {
		t.Errorf("Pakistan has coordinates %v, want none", *pk.Lat)
	}
	hasISO := slices.ContainsFunc(pk.ExternalIDs, func(x faultline.ExternalID) bool { return x.Scheme == "iso3166" && x.Value == "PK" })
	if !hasISO {
		t.Errorf("external ids = %v, want iso3166 PK", pk.ExternalIDs)
	}
	es, err := (*st).Entities(ctx, faultline.EntityFilter{Name: "balo"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name)
	}
	if want := []string{"Baloch Liberation Army", "Balochistan"}; !slices.Equal(names, want) {
		t.Errorf("Entities(Name: balo) = %v, want %v", names, want)
	}
	es, err = (*st).Entities(ctx, faultline.EntityFilter{Name: "isk"})
	if err != nil || len(es) != 1 || es[0].ID != iskp.ID {
		t.Errorf("Entities(Name: isk, an alias prefix) = %v, %v; want ISKP", es, err)
	}
}

func (s *suite) testMergeUnmergeAlias(t *testing.T) {
	ctx := context.Background()
	st := s.open(t)
	MustIngest(t, *st, docISKP(t))
	MustIngest(t, *st, docDaesh())
	iskp := MustFind(t, *st, "ISKP")
	daesh := MustFind(t, *st, "Daesh Khorasan")
	if daesh.ID == iskp.ID {
		t.Fatalf("Daesh Khorasan resolved to ISKP before any merge")
	}
	groups := func() int {
		t.Helper()
		es, err := (*st).Entities(ctx, faultline.EntityFilter{Type: faultline.ArmedGroup})
		if err != nil {
			t.Fatal(err)
		}
		return len(es)
	}
	before := groups()

	wantCode(t, "Merge(self)", (*st).Merge(ctx, "ISKP", iskp.ID, "ana"), faultline.ECONFLICT)
	wantCode(t, "Merge(unknown)", (*st).Merge(ctx, "Nobody Front", "ISKP", "ana"), faultline.ENOTFOUND)
	wantCode(t, "Unmerge(not merged)", (*st).Unmerge(ctx, "Daesh Khorasan", "ana"), faultline.ECONFLICT)
	if err := (*st).Merge(ctx, "Daesh Khorasan", "ISKP", "ana"); err != nil {
		t.Fatalf("Merge: %v", err)
	}
	wantCode(t, "Merge(again)", (*st).Merge(ctx, "Daesh Khorasan", "ISKP", "ana"), faultline.ECONFLICT)
	wantCode(t, "Merge(cycle)", (*st).Merge(ctx, "ISKP", "Daesh Khorasan", "ana"), faultline.ECONFLICT)

	checkMerged := func(stage string) {
		t.Helper()
		if got := MustFind(t, *st, "Daesh Khorasan").ID; got != iskp.ID {
			t.Errorf("%s: FindEntity(Daesh Khorasan) = %s, want ISKP %s", stage, got, iskp.ID)
		}
		if got := MustFind(t, *st, daesh.ID).ID; got != iskp.ID {
			t.Errorf("%s: FindEntity(daesh id) = %s, want ISKP %s", stage, got, iskp.ID)
		}
		if got, want := groups(), before-1; got != want {
			t.Errorf("%s: armed groups = %d, want %d", stage, got, want)
		}
		p, err := (*st).EntityProfile(ctx, "ISKP", 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Merged) != 1 || p.Merged[0].ID != daesh.ID {
			t.Errorf("%s: profile Merged = %+v, want Daesh Khorasan", stage, p.Merged)
		}
		if len(p.Sources) < 2 {
			t.Errorf("%s: profile sources = %d, want ≥ 2", stage, len(p.Sources))
		}
		if !slices.Contains(p.Aliases, "Daesh Khorasan") {
			t.Errorf("%s: profile aliases = %v, want Daesh Khorasan among them", stage, p.Aliases)
		}
		hits, err := (*st).Search(ctx, "Daesh", 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 || hits[0].Kind != "entity" || hits[0].EntityID != iskp.ID {
			t.Errorf("%s: Search(Daesh) = %+v, want ISKP first", stage, hits)
		}
		stats, err := (*st).Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if stats.Merges != 1 {
			t.Errorf("%s: stats.Merges = %d, want 1", stage, stats.Merges)
		}
	}
	checkMerged("after merge")
	s.reopen(t, st)
	checkMerged("after reopen")

	// A later document naming the merged entity lands in the merge group.
	MustIngest(t, *st, Doc{Title: "Kabul", Text: "Daesh Khorasan bombed a school in Kabul.", Ents: []Ent{
		{ID: "a", Name: "Daesh Khorasan", Type: faultline.ArmedGroup}, {ID: "b", Name: "Kabul", Type: faultline.Location}}})
	checkMerged("after a later ingest")
	p, err := (*st).EntityProfile(ctx, "ISKP", 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Sources) != 3 {
		t.Errorf("profile sources after later ingest = %d, want 3", len(p.Sources))
	}

	// An analyst alias: later documents using it resolve to the entity.
	if err := (*st).AddAlias(ctx, "Daesh Khorasan", "Wilayat Khurasan", "ana"); err != nil {
		t.Fatalf("AddAlias: %v", err)
	}
	wantCode(t, "AddAlias(empty)", (*st).AddAlias(ctx, "ISKP", " - ", "ana"), faultline.EINVALID)
	wantCode(t, "AddAlias(unknown)", (*st).AddAlias(ctx, "Nobody Front", "NF", "ana"), faultline.ENOTFOUND)
	s.reopen(t, st)
	if got := MustFind(t, *st, "Wilayat Khurasan").ID; got != iskp.ID {
		t.Errorf("FindEntity(analyst alias) = %s, want ISKP %s", got, iskp.ID)
	}
	res := MustIngest(t, *st, Doc{Title: "Wilayat", Text: "Wilayat Khurasan claimed the raid.", Ents: []Ent{
		{ID: "a", Name: "Wilayat Khurasan", Type: faultline.ArmedGroup}}})
	if res.NewEntities != 0 {
		t.Errorf("ingest naming the analyst alias created %d entities, want 0", res.NewEntities)
	}

	// Unmerge gives Daesh Khorasan back its own documents.
	if err := (*st).Unmerge(ctx, "Daesh Khorasan", "ana"); err != nil {
		t.Fatalf("Unmerge: %v", err)
	}
	wantCode(t, "Unmerge(again)", (*st).Unmerge(ctx, "Daesh Khorasan", "ana"), faultline.ECONFLICT)
	checkUnmerged := func(stage string) {
		t.Helper()
		if got := MustFind(t, *st, "Daesh Khorasan").ID; got != daesh.ID {
			t.Errorf("%s: FindEntity(Daesh Khorasan) = %s, want %s", stage, got, daesh.ID)
		}
		if got := groups(); got != before {
			t.Errorf("%s: armed groups = %d, want %d", stage, got, before)
		}
		p, err := (*st).EntityProfile(ctx, "Daesh Khorasan", 100)
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, sc := range p.Sources {
			titles = append(titles, sc.Title)
		}
		slices.Sort(titles)
		if want := []string{"Kabul", "Peshawar attack"}; !slices.Equal(titles, want) {
			t.Errorf("%s: Daesh Khorasan sources = %v, want %v", stage, titles, want)
		}
		p, err = (*st).EntityProfile(ctx, "ISKP", 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Merged) != 0 {
			t.Errorf("%s: ISKP still has merged entities %+v", stage, p.Merged)
		}
		hits, err := (*st).Search(ctx, "Daesh Khorasan", 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 || hits[0].EntityID != daesh.ID {
			t.Errorf("%s: Search(Daesh Khorasan) = %+v, want the Daesh entity first", stage, hits)
		}
	}
	checkUnmerged("after unmerge")
	s.reopen(t, st)
	checkUnmerged("after reopen")
}

func (s *suite) testAnalystAliasWins(t *testing.T) {
	ctx := context.Background()
	st := s.open(t)
	MustIngest(t, *st, Doc{Title: "one", Text: "Jundallah attacked. Jaish al-Adl answered.", Ents: []Ent{
		{ID: "a", Name: "Jundallah", Type: faultline.ArmedGroup}, {ID: "b", Name: "Jaish al-Adl", Type: faultline.ArmedGroup}}})
	adl := MustFind(t, *st, "Jaish al-Adl")
	jund := MustFind(t, *st, "Jundallah")
	// The analyst says that "Jundallah", in documents to come, means Jaish al-Adl.
	if err := (*st).AddAlias(ctx, adl.ID, "Jundallah", "ana"); err != nil {
		t.Fatal(err)
	}
	s.reopen(t, st)
	res := MustIngest(t, *st, Doc{Title: "two", Text: "Jundallah struck again.", Ents: []Ent{{ID: "a", Name: "Jundallah", Type: faultline.ArmedGroup}}})
	p, err := (*st).EntityProfile(ctx, adl.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(p.Sources, func(sc faultline.SourceCount) bool { return sc.ID == res.SourceID }) {
		t.Errorf("Jaish al-Adl sources = %+v, want the new document %d (analyst alias must win over a name match)", p.Sources, res.SourceID)
	}
	p, err = (*st).EntityProfile(ctx, jund.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Sources) != 1 {
		t.Errorf("Jundallah sources = %d, want 1", len(p.Sources))
	}
}

func (s *suite) testSearch(t *testing.T) {
	ctx := context.Background()
	st := s.open(t)
	MustIngest(t, *st, docISKP(t))
	MustIngest(t, *st, docDaesh())
	iskp := MustFind(t, *st, "ISKP")

	hits, err := (*st).Search(ctx, "ISKP", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) < 2 {
		t.Fatalf("Search(ISKP) = %+v, want the entity and the source", hits)
	}
	if hits[0].Kind != "entity" || hits[0].EntityID != iskp.ID || hits[0].Type != string(faultline.ArmedGroup) {
		t.Errorf("first hit = %+v, want entity ISKP", hits[0])
	}
	if !slices.ContainsFunc(hits, func(h faultline.SearchHit) bool { return h.Kind == "source" && h.Title == "ISKP in Balochistan" }) {
		t.Errorf("hits = %+v, want the ISKP source", hits)
	}
	for _, h := range hits {
		if !strings.Contains(strings.ToLower(h.Snippet), "iskp") {
			t.Errorf("snippet %q of %s hit does not show the match", h.Snippet, h.Kind)
		}
	}
	if hits, err := (*st).Search(ctx, "ISKP", 1); err != nil || len(hits) != 1 {
		t.Errorf("Search(limit 1) = %d hits, %v; want 1", len(hits), err)
	}

	tests := []struct {
		query      string
		wantEntity string // name of an entity expected among the hits, or ""
		wantSource string // title of a source expected among the hits, or ""
	}{
		{"Jaish-e-Mohammed", "Jaish-e-Mohammed", ""},
		{`"ISKP"`, "Islamic State Khorasan Province", ""},
		{"al-Qa'ida", "al-Qa'ida", ""},
		{"*", "", ""},
		{`"unterminated`, "", ""},
		{"ISK*", "Islamic State Khorasan Province", ""},
		{"AND", "", ""},
		{"OR NOT NEAR(", "", ""},
		{"title:ISKP", "", ""},
		{"^ISKP -Taliban {x}", "", ""},
		{"militants Mastung", "", "ISKP in Balochistan"},
		{"killing 30 militants", "", "ISKP in Balochistan"},
		{"Péshawar", "Peshawar", "Peshawar attack"},
		{"Hizb ut-Tahrir", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			hits, err := (*st).Search(ctx, tt.query, 20)
			if err != nil {
				t.Fatalf("Search(%q): %v", tt.query, err)
			}
			if tt.wantEntity != "" && !slices.ContainsFunc(hits, func(h faultline.SearchHit) bool { return h.Kind == "entity" && h.Title == tt.wantEntity }) {
				t.Errorf("hits = %+v, want entity %q", hits, tt.wantEntity)
			}
			if tt.wantSource != "" && !slices.ContainsFunc(hits, func(h faultline.SearchHit) bool { return h.Kind == "source" && h.Title == tt.wantSource }) {
				t.Errorf("hits = %+v, want source %q", hits, tt.wantSource)
			}
			if tt.query == "Hizb ut-Tahrir" && len(hits) != 0 {
				t.Errorf("hits = %+v, want none", hits)
			}
		})
	}
	for _, q := range []string{"", "   "} {
		_, err := (*st).Search(ctx, q, 10)
		wantCode(t, "Search("+q+")", err, faultline.EINVALID)
	}
}

func (s *suite) testProfile(t *testing.T) {
	ctx := context.Background()
	st := s.open(t)
	d := docISKP(t)
	res := MustIngest(t, *st, d)
	p, err := (*st).EntityProfile(ctx, "Michael Kugelman", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Mentions) != 1 {
		t.Fatalf("mentions = %+v, want 1", p.Mentions)
	}
	m := p.Mentions[0]
	want := Span(t, d.Text, "Michael Kugelman")
	if m.Start != want.Start || m.End != want.End || m.Text != "Michael Kugelman" || m.SourceID != res.SourceID || m.SourceTitle != d.Title {
		t.Errorf("mention = %+v, want %+v in source %d", m, want, res.SourceID)
	}
	if got, want := m.Context, "According to Michael Kugelman, Pakistan tolerates ISKP against the Baloch Liberation Army."; got != want {
		t.Errorf("context = %q, want %q", got, want)
	}

	p, err = (*st).EntityProfile(ctx, "ISKP", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Sources) != 1 || p.Sources[0].Mentions != 4 || p.Sources[0].ID != res.SourceID {
		t.Errorf("sources = %+v, want one source with 4 mentions", p.Sources)
	}
	contexts := map[string]bool{}
	for _, m := range p.Mentions {
		contexts[m.Context] = true
	}
	for _, want := range []string{
		"The Islamic State Khorasan Province (ISKP) has moved to Balochistan.",
		"In March 2025, Pakistani forces raided an ISKP camp in Mastung, killing 30 militants.",
	} {
		if !contexts[want] {
			t.Errorf("contexts = %v, want %q among them", contexts, want)
		}
	}
	if len(p.Claims) != 3 {
		t.Errorf("profile claims = %d, want 3", len(p.Claims))
	}
	p, err = (*st).EntityProfile(ctx, "ISKP", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Mentions) != 2 {
		t.Errorf("mentions with limit 2 = %d", len(p.Mentions))
	}
	p, err = (*st).EntityProfile(ctx, "al-Qa'ida", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Mentions) != 1 || p.Mentions[0].Context != "Jaish-e-Mohammed and al-Qa'ida share members." {
		t.Errorf("al-Qa'ida mentions = %+v, want the last line as context", p.Mentions)
	}
	_, err = (*st).EntityProfile(ctx, "Nobody Front", 10)
	wantCode(t, "EntityProfile(unknown)", err, faultline.ENOTFOUND)

	// A long run-on text is cut to a window around the mention.
	long := strings.Repeat("word ", 200) + "Harakat ul-Mujahideen " + strings.Repeat("word ", 200)
	MustIngest(t, *st, Doc{Title: "long", Text: long, Ents: []Ent{{ID: "a", Name: "Harakat ul-Mujahideen", Type: faultline.ArmedGroup}}})
	p, err = (*st).EntityProfile(ctx, "Harakat ul-Mujahideen", 10)
	if err != nil {
		t.Fatal(err)
	}
	if c := p.Mentions[0].Context; len([]rune(c)) > 400 || !strings.Contains(c, "Harakat ul-Mujahideen") {
		t.Errorf("long context = %d characters %q, want ≤ 400 around the mention", len([]rune(c)), c)
	}
}

func (s *suite) testClaims(t *testing.T) {
	ctx := context.Background()
	st := s.open(t)
	res := MustIngest(t, *st, docISKP(t))
	MustIngest(t, *st, docDaesh())
	iskp := MustFind(t, *st, "ISKP")
	pk := MustFind(t, *st, "Pakistan")
	kug := MustFind(t, *st, "Michael Kugelman")
	forces := MustFind(t, *st, "Pakistani forces")
	mastung := MustFind(t, *st, "Mastung")

	all, err := (*st).Claims(ctx, faultline.ClaimFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 {
		t.Fatalf("claims = %d, want 3", len(all))
	}
	byKey := map[string]faultline.Claim{}
	for _, c := range all {
		if c.ID == "" || c.SourceID != res.SourceID || c.Status != faultline.StatusMachine || len(c.Evidence) != 1 || c.Rule == "" {
			t.Errorf("claim %+v: want id, source %d, status machine, one evidence span and a rule", c, res.SourceID)
		}
		byKey[string(c.Kind)+":"+string(c.Predicate)+string(c.EventType)] = c
	}
	sup := byKey["relation:supports"]
	if sup.Subject != pk.ID || sup.Object != iskp.ID || sup.Modality != faultline.Reported || sup.AttributedTo != kug.ID || sup.SupportKind != "tacit" {
		t.Errorf("supports claim = %+v, want Pakistan supports ISKP, reported, attributed to Kugelman, kind tacit", sup)
	}
	based := byKey["relation:based_in"]
	if based.ValidFrom != "2025" || based.Evidence[0].Text != "The Islamic State Khorasan Province (ISKP) has moved to Balochistan." {
		t.Errorf("based_in claim = %+v", based)
	}
	raid := byKey["event:raid"]
	wantParts := []faultline.Participant{{Entity: forces.ID, Role: faultline.RoleAgent}, {Entity: iskp.ID, Role: faultline.RoleTarget}}
	if raid.EventDate != "2025-03" || raid.Location != mastung.ID || raid.Fatalities == nil || *raid.Fatalities != 30 || !slices.Equal(raid.Participants, wantParts) {
		t.Errorf("raid claim = %+v, want 2025-03 in Mastung, 30 killed, participants %v", raid, wantParts)
	}

	filters := []struct {
		name string
		f    faultline.ClaimFilter
		want int
	}{
		{"by entity subject or object", faultline.ClaimFilter{EntityID: iskp.ID}, 3},
		{"by entity as participant", faultline.ClaimFilter{EntityID: forces.ID}, 1},
		{"by location", faultline.ClaimFilter{EntityID: mastung.ID}, 1},
		{"by kind relation", faultline.ClaimFilter{Kind: faultline.RelationClaim}, 2},
		{"by kind event", faultline.ClaimFilter{Kind: faultline.EventClaim}, 1},
		{"by source", faultline.ClaimFilter{SourceID: res.SourceID}, 3},
		{"by other source", faultline.ClaimFilter{SourceID: res.SourceID + 1}, 0},
		{"limit", faultline.ClaimFilter{Limit: 2}, 2},
		{"status machine", faultline.ClaimFilter{Status: faultline.StatusMachine}, 3},
		{"status rejected", faultline.ClaimFilter{Status: faultline.StatusRejected}, 0},
	}
	for _, tt := range filters {
		t.Run(tt.name, func(t *testing.T) {
			cs, err := (*st).Claims(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(cs) != tt.want {
				t.Errorf("Claims(%+v) = %d, want %d", tt.f, len(cs), tt.want)
			}
		})
	}

	wantCode(t, "SetClaimStatus(unknown)", (*st).SetClaimStatus(ctx, "no-such-claim", faultline.StatusAccepted, "ana"), faultline.ENOTFOUND)
	wantCode(t, "SetClaimStatus(bad status)", (*st).SetClaimStatus(ctx, sup.ID, "maybe", "ana"), faultline.EINVALID)
	if err := (*st).SetClaimStatus(ctx, sup.ID, faultline.StatusRejected, "ana"); err != nil {
		t.Fatal(err)
	}
	if err := (*st).SetClaimStatus(ctx, raid.ID, faultline.StatusAccepted, "ana"); err != nil {
		t.Fatal(err)
	}
	checkReviews := func(stage string) {
		t.Helper()
		for id, want := range map[string]faultline.ReviewStatus{sup.ID: faultline.StatusRejected, raid.ID: faultline.StatusAccepted, based.ID: faultline.StatusMachine} {
			cs, err := (*st).Claims(ctx, faultline.ClaimFilter{Status: want})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(cs, func(c faultline.Claim) bool { return c.ID == id && c.Status == want }) {
				t.Errorf("%s: claim %s not listed with status %s in %+v", stage, id, want, cs)
			}
		}
	}
	checkReviews("after review")
	s.reopen(t, st)
	checkReviews("after reopen")

	// Claims follow merges: after merging ISKP into a new name, its claims
	// name the final entity.
	if err := (*st).Merge(ctx, "ISKP", "Daesh Khorasan", "ana"); err != nil {
		t.Fatal(err)
	}
	daesh := MustFind(t, *st, "Daesh Khorasan")
	cs, err := (*st).Claims(ctx, faultline.ClaimFilter{EntityID: daesh.ID, Kind: faultline.RelationClaim})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || !slices.ContainsFunc(cs, func(c faultline.Claim) bool { return c.Object == daesh.ID }) {
		t.Errorf("claims after merge = %+v, want 2 naming %s", cs, daesh.ID)
	}
	if err := (*st).Unmerge(ctx, "ISKP", "ana"); err != nil {
		t.Fatal(err)
	}

	del, ok := (*st).(SourceDeleter)
	if !ok {
		t.Log("store has no DeleteSource; skipping the re-ingest check")
		return
	}
	if err := del.DeleteSource(ctx, res.SourceID); err != nil {
		t.Fatalf("DeleteSource: %v", err)
	}
	wantCode(t, "DeleteSource(again)", del.DeleteSource(ctx, res.SourceID), faultline.ENOTFOUND)
	if cs, err := (*st).Claims(ctx, faultline.ClaimFilter{}); err != nil || len(cs) != 0 {
		t.Errorf("claims after delete = %d, %v; want 0", len(cs), err)
	}
	if got := MustFind(t, *st, "ISKP").ID; got != iskp.ID {
		t.Errorf("ISKP after delete = %s, want the entity kept (%s)", got, iskp.ID)
	}
	res2 := MustIngest(t, *st, docISKP(t))
	if res2.NewEntities != 0 || res2.Claims != 3 {
		t.Errorf("re-ingest = %+v, want 0 new entities and 3 claims", res2)
	}
	checkReviews("after re-ingest")
}

func (s *suite) testStats(t *testing.T) {
	ctx := context.Background()
	st := s.open(t)
	empty, err := (*st).Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if empty.Sources != 0 || empty.Entities != 0 || empty.Claims != 0 {
		t.Errorf("empty stats = %+v", empty)
	}
	d := docISKP(t)
	MustIngest(t, *st, d)
	MustIngest(t, *st, docDaesh())
	if err := (*st).Merge(ctx, "Daesh Khorasan", "ISKP", "ana"); err != nil {
		t.Fatal(err)
	}
	got, err := (*st).Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := faultline.Stats{
		Sources:        2,
		Chars:          int64(len([]rune(d.Text)) + len([]rune(docDaesh().Text))),
		Entities:       11, // 12 created, one merged
		EntitiesByType: map[string]int{"armed_group": 5, "location": 3, "person": 1, "country": 1, "government_body": 1},
		Mentions:       mentionCount(t, d) + mentionCount(t, docDaesh()),
		Aliases:        1, // ISKP
		Claims:         3,
		ClaimsByKind:   map[string]int{"relation": 2, "event": 1},
		Merges:         1,
	}
	if got.Sources != want.Sources || got.Chars != want.Chars || got.Entities != want.Entities || got.Mentions != want.Mentions ||
		got.Aliases != want.Aliases || got.Claims != want.Claims || got.Merges != want.Merges {
		t.Errorf("stats = %+v, want %+v", got, want)
	}
	for k, n := range want.EntitiesByType {
		if got.EntitiesByType[k] != n {
			t.Errorf("EntitiesByType[%s] = %d, want %d", k, got.EntitiesByType[k], n)
		}
	}
	for k, n := range want.ClaimsByKind {
		if got.ClaimsByKind[k] != n {
			t.Errorf("ClaimsByKind[%s] = %d, want %d", k, got.ClaimsByKind[k], n)
		}
	}
}

// testFullName: an entity first stored under its acronym takes the full
// name a later document gives, and keeps the acronym as an alias.
func (s *suite) testFullName(t *testing.T) {
	st := s.open(t)
	ctx := context.Background()
	MustIngest(t, *st, Doc{Title: "a", Text: "The JNIM struck a convoy.",
		Ents: []Ent{{ID: "e1", Name: "JNIM", Type: faultline.ArmedGroup, Key: "actor:jnim"}}})
	MustIngest(t, *st, Doc{Title: "b", Text: "Jama'at Nusrat al-Islam wal-Muslimin (JNIM) denied it.",
		Ents: []Ent{{ID: "e1", Name: "Jama'at Nusrat al-Islam wal-Muslimin", Type: faultline.ArmedGroup, Key: "actor:jnim", Aliases: []string{"JNIM"}}}})
	e := MustFind(t, *st, "JNIM")
	if e.Name != "Jama'at Nusrat al-Islam wal-Muslimin" {
		t.Errorf("name got %q, want the full name", e.Name)
	}
	found := false
	for _, a := range e.Aliases {
		found = found || a == "JNIM"
	}
	if !found {
		t.Errorf("aliases %v lack the acronym", e.Aliases)
	}
	if got, err := (*st).FindEntity(ctx, "Jama'at Nusrat al-Islam wal-Muslimin"); err != nil || got.ID != e.ID {
		t.Errorf("find by full name: %v, %v", got, err)
	}
}
