package server_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/internal/synth"
	"github.com/faultline-osint/faultline/server"
	"github.com/faultline-osint/faultline/sqlite"
)

// BenchmarkModelBuild measures building the read model: the time of a
// build (and the CPU time, steadier on a busy machine), the heap it keeps
// (live-MB), the most heap in use at any moment of it (peak-MB, sampled,
// garbage not yet collected included: what the process's resident size
// follows) and what it allocates in all. It
// builds from $FAULTLINE_BENCH_DB when set (make bench passes the
// synthetic database bench-http uses), else from a synthetic database of
// $FAULTLINE_BENCH_ENTITIES entities (default 2,000) made in a temporary
// directory.
func BenchmarkModelBuild(b *testing.B) {
	ctx := context.Background()
	path := os.Getenv("FAULTLINE_BENCH_DB")
	if path == "" {
		synthOnce.Do(func() { synthPath, synthErr = synthDB(ctx) })
		if synthErr != nil {
			b.Fatal(synthErr)
		}
		path = synthPath
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	st, err := db.Stats(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: %d entities, %d claims, %d sources", path, st.Entities, st.Claims, st.Sources)
	var live, peak, took, cpu float64
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		runtime.GC()
		base := heapObjects()
		// -v shows the build's phases.
		cfg := server.Config{ModelPoll: -1}
		if testing.Verbose() {
			cfg.Log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		}
		srv, err := server.New(db, cfg)
		if err != nil {
			b.Fatal(err)
		}
		stop := samplePeak(base)
		start, cpu0 := time.Now(), cpuTime()
		b.StartTimer()
		if err := srv.Warm(ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		took += time.Since(start).Seconds()
		cpu += cpuTime() - cpu0
		peak = max(peak, stop())
		runtime.GC()
		live = max(live, float64(heapObjects()-base))
		runtime.KeepAlive(srv)
		b.StartTimer()
	}
	b.ReportMetric(took/float64(b.N), "s/build")
	b.ReportMetric(cpu/float64(b.N), "cpu-s/build")
	b.ReportMetric(live/(1<<20), "live-MB")
	b.ReportMetric(peak/(1<<20), "peak-MB")
}

// The synthetic database of BenchmarkModelBuild, made once per run (a
// benchmark function runs more than once) and removed by TestMain.
var (
	synthOnce sync.Once
	synthDir  string
	synthPath string
	synthErr  error
)

// synthDB makes a synthetic database of $FAULTLINE_BENCH_ENTITIES
// entities (default 2,000) in a temporary directory.
func synthDB(ctx context.Context) (string, error) {
	n := 2000
	if v := os.Getenv("FAULTLINE_BENCH_ENTITIES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			return "", fmt.Errorf("FAULTLINE_BENCH_ENTITIES: %w", err)
		}
	}
	var err error
	if synthDir, err = os.MkdirTemp("", "faultline-bench-"); err != nil {
		return "", err
	}
	path := filepath.Join(synthDir, "synth.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := synth.Build(ctx, db, synth.Options{Entities: n, Seed: 1}); err != nil {
		return "", fmt.Errorf("synthetic database: %w", err)
	}
	return path, nil
}

func TestMain(m *testing.M) {
	code := m.Run()
	if synthDir != "" {
		os.RemoveAll(synthDir)
	}
	os.Exit(code)
}

// heapObjects returns the bytes of heap objects, live or not yet swept.
func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// samplePeak samples the heap every few milliseconds until the function
// it returns is called, which returns the largest sample above base.
func samplePeak(base uint64) func() float64 {
	done := make(chan struct{})
	var wg sync.WaitGroup
	var peak uint64
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			peak = max(peak, heapObjects())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() float64 {
		close(done)
		wg.Wait()
		if peak < base {
			return 0
		}
		return float64(peak - base)
	}
}

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
