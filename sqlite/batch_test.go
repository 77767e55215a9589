package sqlite_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/storetest"
)

// IngestBatch applies IngestDocument's rules: a batch gives the same
// database as the same documents one by one, a document repeated within
// the batch is a duplicate, and a bad document keeps the whole batch out.
func TestIngestBatch(t *testing.T) {
	ctx := context.Background()
	const n = 12
	one, batch := MustOpenDB(t), MustOpenDB(t)
	defer one.Close()
	defer batch.Close()
	var docs []faultline.Ingestion
	for i := range n {
		storetest.MustIngest(t, one, synthDoc(t, i))
		src, ext := storetest.Build(t, synthDoc(t, i))
		docs = append(docs, faultline.Ingestion{Source: src, Extraction: ext})
	}
	// The first document again: a duplicate of one in the same batch.
	src, ext := storetest.Build(t, synthDoc(t, 0))
	docs = append(docs, faultline.Ingestion{Source: src, Extraction: ext})
	res, err := batch.IngestBatch(ctx, docs)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != n+1 {
		t.Fatalf("%d results for %d documents", len(res), n+1)
	}
	for i, r := range res[:n] {
		if r.Duplicate || r.SourceID == 0 || r.Mentions == 0 || r.Claims == 0 {
			t.Errorf("document %d: %+v", i, r)
		}
	}
	if last := res[n]; !last.Duplicate || last.SourceID != res[0].SourceID {
		t.Errorf("repeated document: %+v, want a duplicate of source %d", last, res[0].SourceID)
	}
	a, err := one.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := batch.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("one by one: %+v\nbatch: %+v", a, b)
	}
	// The search index covers what the batch stored.
	for _, q := range []string{"ZF5", "Zaranfa"} {
		x, err := one.Search(ctx, q, 50)
		if err != nil {
			t.Fatal(err)
		}
		y, err := batch.Search(ctx, q, 50)
		if err != nil {
			t.Fatal(err)
		}
		if len(x) == 0 || len(x) != len(y) {
			t.Errorf("search %q: %d hits one by one, %d after the batch", q, len(x), len(y))
		}
	}
	if err := batch.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}

	// A batch with one bad document stores nothing.
	bad := MustOpenDB(t)
	defer bad.Close()
	s2, e2 := storetest.Build(t, synthDoc(t, 99))
	s3, e3 := storetest.Build(t, synthDoc(t, 98))
	e3.Relations[0].Evidence[0].End = len(s3.Text) + 10
	if _, err := bad.IngestBatch(ctx, []faultline.Ingestion{{Source: s2, Extraction: e2}, {Source: s3, Extraction: e3}}); faultline.ErrorCode(err) != faultline.EINVALID {
		t.Fatalf("bad batch: %v, want EINVALID", err)
	}
	st, err := bad.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Sources != 0 || st.Entities != 0 {
		t.Errorf("after a failed batch: %+v, want nothing stored", st)
	}
}
