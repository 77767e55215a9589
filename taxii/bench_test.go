package taxii_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faultline-osint/faultline/export/exporttest"
	"github.com/faultline-osint/faultline/taxii"
)

// benchRows is the size of the generated GED file of BenchmarkServeDataset,
// as in export's BenchmarkDatasetExport; FAULTLINE_BENCH_ROWS overrides it
// and FAULTLINE_BENCH_DB keeps the database between runs.
func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv("FAULTLINE_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 400_000
}

// peakRSS is the process's peak resident set since the last reset
// (writing 5 to /proc/self/clear_refs), in MB; 0 off Linux.
func peakRSS() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}

// BenchmarkServeDataset serves a database holding a generated GED file
// (all TLP:CLEAR, so every TLP collection holds everything) and fetches
// the first page of each TLP collection, one after the other and all at
// once, as a client polling them does. It reports the bytes allocated, the
// heap the handler holds afterwards (live after a collection, measured
// from before the handler existed) and the peak resident set. Each case
// runs once: building a 400,000-record collection takes seconds.
func BenchmarkServeDataset(b *testing.B) {
	rows := benchRows()
	start := time.Now()
	db := exporttest.GED(b, rows)
	fmt.Printf("%d GED rows ready in %s\n", rows, time.Since(start).Round(time.Millisecond))
	names := []string{"tlp-clear", "tlp-green", "tlp-amber", "tlp-amber+strict", "tlp-red"}
	for _, together := range []bool{false, true} {
		name := "sequential"
		if together {
			name = "together"
		}
		b.Run(name, func(b *testing.B) {
			runtime.GC()
			os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			t0 := time.Now()
			// Long enough that nothing expires while it is measured.
			h, err := taxii.NewHandler(db, taxii.Options{CacheFor: time.Hour})
			if err != nil {
				b.Fatal(err)
			}
			get := func(col string) int {
				rec := httptest.NewRecorder()
				req := httptest.NewRequest(http.MethodGet, "/taxii2/api/collections/"+taxii.CollectionID(col)+"/objects/", nil)
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Errorf("%s: %d %.200s", col, rec.Code, rec.Body)
				}
				return rec.Body.Len()
			}
			if together {
				var wg sync.WaitGroup
				for _, col := range names {
					wg.Go(func() { get(col) })
				}
				wg.Wait()
			} else {
				for _, col := range names {
					get(col)
				}
			}
			first := time.Since(t0)
			// A page of a collection already built.
			t1 := time.Now()
			size := get("tlp-red")
			page := time.Since(t1)
			runtime.ReadMemStats(&after)
			alloc := float64(after.TotalAlloc-before.TotalAlloc) / (1 << 20)
			runtime.GC()
			runtime.ReadMemStats(&after)
			held := (float64(after.HeapAlloc) - float64(before.HeapAlloc)) / (1 << 20)
			runtime.KeepAlive(h)
			peak := peakRSS()
			b.ReportMetric(first.Seconds(), "s-first-pages")
			b.ReportMetric(page.Seconds()*1000, "ms-next-page")
			b.ReportMetric(alloc, "MB-allocated")
			b.ReportMetric(held, "MB-held")
			b.ReportMetric(peak, "MB-peak-RSS")
			fmt.Printf("%-10s %d rows, 5 collections: first pages in %.1f s, a cached page (%d KB) in %.0f ms; %.0f MB allocated, %.0f MB held, peak RSS %.0f MB\n",
				name, rows, first.Seconds(), size>>10, page.Seconds()*1000, alloc, held, peak)
		})
	}
}
