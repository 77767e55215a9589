package export_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/export"
	"github.com/faultline-osint/faultline/export/exporttest"
	"github.com/faultline-osint/faultline/export/gexf"
	"github.com/faultline-osint/faultline/export/graphml"
	"github.com/faultline-osint/faultline/export/stix"
)

// datasetRows is the size of the generated GED file of
// BenchmarkDatasetExport: the large dataset is 400,000 rows.
// FAULTLINE_BENCH_ROWS overrides it.
var datasetRows = 400_000

func init() {
	if n, err := strconv.Atoi(os.Getenv("FAULTLINE_BENCH_ROWS")); err == nil && n > 0 {
		datasetRows = n
	}
}

// countingWriter counts the bytes an export writes.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

// resetPeakRSS resets the process's peak resident set to its current one
// (Linux; elsewhere peakRSS reports 0). The current one includes memory
// the runtime kept from earlier work, so a peak is an upper bound.
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS is the process's peak resident set since resetPeakRSS, in MB.
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

// measure runs fn once after a collection and reports its time (wall and
// CPU), the bytes it allocated, the heap in use after it (what it returns
// and garbage not yet collected) and the peak resident set, as metrics and
// on stdout.
func measure(b *testing.B, what string, fn func() int64) {
	b.Helper()
	runtime.GC()
	resetPeakRSS()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start, cpu0 := time.Now(), cpuTime()
	size := fn()
	el, cpu := time.Since(start), cpuTime()-cpu0
	runtime.ReadMemStats(&after)
	alloc := float64(after.TotalAlloc-before.TotalAlloc) / (1 << 20)
	b.ReportMetric(el.Seconds(), "s")
	b.ReportMetric(cpu.Seconds(), "s-CPU")
	b.ReportMetric(alloc, "MB-allocated")
	if size > 0 {
		b.ReportMetric(float64(size)/(1<<20), "MB-written")
	}
	peak := peakRSS()
	if peak > 0 {
		b.ReportMetric(peak, "MB-peak-RSS")
	}
	fmt.Printf("%-9s %d dataset rows: %.2f s (%.2f s CPU), %.0f MB allocated, heap after %.0f MB, peak RSS %.0f MB, %.1f MB written\n",
		what, datasetRows, el.Seconds(), cpu.Seconds(), alloc, float64(after.HeapAlloc)/(1<<20), peak, float64(size)/(1<<20))
}

// BenchmarkDatasetExport imports a generated GED file of datasetRows rows
// (modelled on the real Pakistan sample in ../shared, skipped without it)
// and measures the snapshot of the whole database and each format's export
// of it: time, bytes allocated and bytes written. Each sub-benchmark runs
// once, as a 400,000-row export is too slow to repeat.
func BenchmarkDatasetExport(b *testing.B) {
	start := time.Now()
	db := exporttest.GED(b, datasetRows)
	fmt.Printf("%d GED rows generated and imported in %s\n", datasetRows, time.Since(start).Round(time.Millisecond))
	ctx := context.Background()
	var snap *faultline.Snapshot
	b.Run("snapshot", func(b *testing.B) {
		measure(b, "snapshot", func() int64 {
			var err error
			if snap, err = db.Snapshot(ctx, faultline.SnapshotFilter{IncludeUnsourced: true}); err != nil {
				b.Fatal(err)
			}
			return 0
		})
		records := 0
		for _, e := range snap.Events {
			if e.Record != nil {
				records++
			}
		}
		if records != datasetRows {
			b.Fatalf("snapshot holds %d records, want %d", records, datasetRows)
		}
	})
	if snap == nil { // the snapshot sub-benchmark was not selected
		var err error
		if snap, err = db.Snapshot(ctx, faultline.SnapshotFilter{IncludeUnsourced: true}); err != nil {
			b.Fatal(err)
		}
	}
	formats := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"stix", func(w io.Writer) error { return stix.Write(w, snap, stix.Options{}) }},
		{"graphml", func(w io.Writer) error { return graphml.Write(w, export.NewNetwork(snap)) }},
		{"gexf", func(w io.Writer) error { return gexf.Write(w, export.NewNetwork(snap)) }},
		{"geojson", func(w io.Writer) error { return export.WriteGeoJSON(w, snap) }},
		{"csv", func(w io.Writer) error { return export.WriteCSV(w, "events", snap) }},
	}
	for _, f := range formats {
		b.Run(f.name, func(b *testing.B) {
			measure(b, f.name, func() int64 {
				var w countingWriter
				if err := f.write(&w); err != nil {
					b.Fatal(err)
				}
				return w.n
			})
		})
	}
}
