package pathfind_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/pathfind"
	"github.com/faultline-osint/faultline/sqlite"
)

// The synthetic database: FAULTLINE_BENCH_TIES relation claims (default
// 200,000; the target is 1,000,000) among a tenth as many
// entities, 500 claims per document, entities drawn with a skew so that
// some are hubs. FAULTLINE_BENCH_DB names a file to keep it in between
// runs, since writing a million claims takes a while.
const claimsPerDoc = 500

func benchTies() int {
	if n, err := strconv.Atoi(os.Getenv("FAULTLINE_BENCH_TIES")); err == nil && n > 0 {
		return n
	}
	return 200_000
}

// synthDB returns a database holding the synthetic claims, creating it if
// needed.
func synthDB(b *testing.B, claims int) *sqlite.DB {
	ctx := context.Background()
	path := os.Getenv("FAULTLINE_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "bench.db")
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	st, err := db.Stats(ctx)
	if err != nil {
		b.Fatal(err)
	}
	docs := (claims + claimsPerDoc - 1) / claimsPerDoc
	if st.Sources == docs {
		return db
	}
	if st.Sources > 0 {
		b.Fatalf("%s holds %d documents, not the %d of %d claims: remove it", path, st.Sources, docs, claims)
	}
	start := time.Now()
	entities := max(claims/10, 100)
	r := rand.New(rand.NewPCG(1, 2))
	// Skewed draw: squaring a uniform variate puts low ids in more ties.
	pick := func() int { f := r.Float64(); return int(f * f * float64(entities)) }
	preds := []faultline.Predicate{faultline.Supports, faultline.AlliedWith, faultline.HostileTo, faultline.AffiliatedWith, faultline.PartOf}
	mods := []faultline.Modality{faultline.Asserted, faultline.Asserted, faultline.Asserted, faultline.Reported, faultline.Alleged, faultline.Possible, faultline.Denied}
	for d := 0; d*claimsPerDoc < claims; d++ {
		text := fmt.Sprintf("Synthetic report %d: the groups named here cooperate and fight.", d)
		sum := sha256.Sum256([]byte(text))
		sha := hex.EncodeToString(sum[:])
		src := &faultline.Source{SHA256: sha, Title: fmt.Sprintf("Report %d", d), Format: "txt", Reliability: "C", TLP: faultline.TLPClear, Text: text, Published: "2025"}
		ext := faultline.NewExtraction(faultline.ExtractionDocument{SHA256: sha, Chars: len(text)})
		ev := []faultline.Span{{Start: 0, End: len(text), Text: text}}
		local := map[int]string{}
		ent := func(k int) string {
			if id, ok := local[k]; ok {
				return id
			}
			id := "e" + strconv.Itoa(k)
			local[k] = id
			ext.Entities = append(ext.Entities, faultline.ExtractedEntity{ID: id, Name: fmt.Sprintf("Group %d", k), Type: faultline.ArmedGroup,
				Key: "bench:" + strconv.Itoa(k), Aliases: []string{}, Mentions: []faultline.Mention{}})
			return id
		}
		for i := 0; i < claimsPerDoc && d*claimsPerDoc+i < claims; i++ {
			s, o := pick(), pick()
			if s == o {
				o = (o + 1) % entities
			}
			ext.Relations = append(ext.Relations, faultline.ExtractedRelation{Subject: ent(s), Predicate: preds[r.IntN(len(preds))], Object: ent(o),
				Modality: mods[r.IntN(len(mods))], Evidence: ev})
		}
		if _, err := db.IngestDocument(ctx, src, ext); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("wrote %d claims among %d entities in %s", claims, entities, time.Since(start).Round(time.Millisecond))
	return db
}

// BenchmarkLoad measures streaming every tie out of SQLite and building
// the graph.
func BenchmarkLoad(b *testing.B) {
	ctx := context.Background()
	db := synthDB(b, benchTies())
	b.ResetTimer()
	var net *pathfind.Network
	for b.Loop() {
		var err error
		if net, err = pathfind.Load(ctx, db, faultline.TieFilter{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(net.Ties()), "ties")
	b.ReportMetric(float64(net.Nodes()), "entities")
}

// BenchmarkPaths measures one path query (k=3, at most 4 hops) between
// random entities on a loaded network: the search alone, and with the
// evidence of every hop read from the store.
func BenchmarkPaths(b *testing.B) {
	ctx := context.Background()
	db := synthDB(b, benchTies())
	start := time.Now()
	net, err := pathfind.Load(ctx, db, faultline.TieFilter{})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded %d ties among %d entities in %s", net.Ties(), net.Nodes(), time.Since(start).Round(time.Millisecond))
	entities := max(benchTies()/10, 100)
	for _, bc := range []struct {
		name     string
		evidence int
	}{{"search", -1}, {"evidence", 1}} {
		b.Run(bc.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(3, 4))
			found, hops := 0, 0
			for b.Loop() {
				from, to := r.IntN(entities), r.IntN(entities)
				if from == to {
					to = (to + 1) % entities
				}
				res, err := net.Paths(ctx, pathfind.Query{From: "bench:" + strconv.Itoa(from), To: "bench:" + strconv.Itoa(to), Evidence: bc.evidence})
				if err != nil && faultline.ErrorCode(err) != faultline.ENOTFOUND {
					b.Fatal(err)
				}
				if res != nil && len(res.Paths) > 0 {
					found++
					hops += len(res.Paths[0].Hops)
				}
			}
			b.ReportMetric(float64(found)/float64(b.N), "found/op")
			if found > 0 {
				b.ReportMetric(float64(hops)/float64(found), "hops")
			}
		})
	}
}
