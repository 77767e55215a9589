package sqlite_test

import (
	"context"
	"testing"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/storetest"
)

// An analyst's correction of a claim survives the claim being deleted and
// recreated by a re-ingest of its source, as a review does.
func TestClaimEditSurvivesReingest(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	defer db.Close()
	doc := synthDoc(t, 3)
	res := storetest.MustIngest(t, db, doc)
	claims, err := db.Claims(ctx, faultline.ClaimFilter{SourceID: res.SourceID, Kind: faultline.RelationClaim})
	if err != nil {
		t.Fatal(err)
	}
	events, err := db.Claims(ctx, faultline.ClaimFilter{SourceID: res.SourceID, Kind: faultline.EventClaim})
	if err != nil {
		t.Fatal(err)
	}
	if len(claims) < 2 || len(events) == 0 {
		t.Fatalf("%d relation claims, %d event claims: want at least 2 and 1", len(claims), len(events))
	}
	from, date := "2019", "2024-11-02"
	edits := map[string]faultline.ClaimEdit{
		claims[0].ID: {Modality: faultline.Alleged, ValidFrom: &from},
		// Two edits of one field: the later one holds.
		claims[1].ID: {Modality: faultline.Denied},
		events[0].ID: {EventDate: &date},
	}
	for id, e := range edits {
		if err := db.EditClaim(ctx, id, e, "ana"); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.EditClaim(ctx, claims[1].ID, faultline.ClaimEdit{Modality: faultline.Possible}, "bo"); err != nil {
		t.Fatal(err)
	}
	before := claimsByID(t, db, res.SourceID)

	if err := db.DeleteSource(ctx, res.SourceID); err != nil {
		t.Fatal(err)
	}
	res2 := storetest.MustIngest(t, db, doc)
	after := claimsByID(t, db, res2.SourceID)
	for id := range edits {
		b, a := before[id], after[id]
		if a == nil {
			t.Fatalf("claim %s not recreated by the re-ingest", id)
		}
		if a.Modality != b.Modality || a.ValidFrom != b.ValidFrom || a.EventDate != b.EventDate || a.Analyst != b.Analyst || a.Status != faultline.StatusEdited {
			t.Errorf("claim %s after re-ingest: modality %s valid_from %q date %q analyst %q status %s; before: %s %q %q %q",
				id, a.Modality, a.ValidFrom, a.EventDate, a.Analyst, a.Status, b.Modality, b.ValidFrom, b.EventDate, b.Analyst)
		}
	}
	if c := after[claims[1].ID]; c.Modality != faultline.Possible || c.Analyst != "bo" {
		t.Errorf("twice-edited claim: modality %s by %q, want possible by bo", c.Modality, c.Analyst)
	}
	// Claims nobody edited come back as the machine made them.
	for _, c := range claims[2:] {
		if a := after[c.ID]; a == nil || a.Status != faultline.StatusMachine || a.Modality != c.Modality {
			t.Errorf("unedited claim %s: %+v", c.ID, a)
		}
	}
}

func claimsByID(t *testing.T, db faultline.Store, source int64) map[string]*faultline.Claim {
	t.Helper()
	cs, err := db.Claims(context.Background(), faultline.ClaimFilter{SourceID: source})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*faultline.Claim{}
	for i := range cs {
		out[cs[i].ID] = &cs[i]
	}
	return out
}
