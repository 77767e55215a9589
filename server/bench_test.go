package server_test

import (
	"context"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/server"
	"github.com/faultline-osint/faultline/sqlite"
)

// BenchmarkAPI measures the profile and neighbourhood handlers in
// process, without the network, on the database $FAULTLINE_BENCH_DB (a
// faultline synth database); it skips without one. make bench runs the
// HTTP load test (tools/httpload) against a real server as well.
func BenchmarkAPI(b *testing.B) {
	path := os.Getenv("FAULTLINE_BENCH_DB")
	if path == "" {
		b.Skip("set FAULTLINE_BENCH_DB to a database made by faultline synth")
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	srv, err := server.New(db, server.Config{ModelPoll: -1})
	if err != nil {
		b.Fatal(err)
	}
	if err := srv.Warm(ctx); err != nil {
		b.Fatal(err)
	}
	var ids []string
	f := faultline.EntityPageFilter{Limit: 1000}
	for len(ids) < 20000 {
		pg, err := db.EntityPage(ctx, f)
		if err != nil {
			b.Fatal(err)
		}
		for _, e := range pg.Entities {
			ids = append(ids, e.ID)
		}
		if pg.Next == "" {
			break
		}
		f.After = pg.Next
	}
	h := srv.Handler()
	for _, c := range []struct{ name, suffix string }{{"profile", ""}, {"neighbourhood", "/neighbourhood?hops=1&max_nodes=200"}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				rng := rand.New(rand.NewPCG(rand.Uint64(), 1))
				for pb.Next() {
					req := httptest.NewRequest("GET", "http://127.0.0.1/api/v1/entities/"+ids[rng.IntN(len(ids))]+c.suffix, nil)
					w := httptest.NewRecorder()
					h.ServeHTTP(w, req)
					if w.Code != 200 {
						b.Fatalf("status %d: %s", w.Code, w.Body)
					}
				}
			})
		})
	}
}
