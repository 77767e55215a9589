package stix_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/export"
	"github.com/faultline-osint/faultline/export/exporttest"
	"github.com/faultline-osint/faultline/export/graphml"
	"github.com/faultline-osint/faultline/export/stix"
)

// BenchmarkExport exports a synthetic database of 5,000 reports (some
// 50,000 relation claims and 10,000 event claims) as STIX and as GraphML,
// snapshot included, and reports objects (STIX objects; GraphML nodes and
// edges) per second. make bench runs it.
func BenchmarkExport(b *testing.B) {
	start := time.Now()
	db := exporttest.Synthetic(b, 5000)
	b.Logf("synthetic database built in %s", time.Since(start).Round(time.Millisecond))
	ctx := context.Background()
	b.Run("snapshot", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.Snapshot(ctx, faultline.SnapshotFilter{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("stix", func(b *testing.B) {
		objects := 0
		for b.Loop() {
			snap, err := db.Snapshot(ctx, faultline.SnapshotFilter{})
			if err != nil {
				b.Fatal(err)
			}
			x, err := stix.New(snap, stix.Options{})
			if err != nil {
				b.Fatal(err)
			}
			if err := x.WriteBundle(io.Discard); err != nil {
				b.Fatal(err)
			}
			objects = x.Len()
		}
		b.ReportMetric(float64(objects), "objects")
		b.ReportMetric(float64(objects)*float64(b.N)/b.Elapsed().Seconds(), "objects/s")
	})
	b.Run("graphml", func(b *testing.B) {
		objects := 0
		for b.Loop() {
			snap, err := db.Snapshot(ctx, faultline.SnapshotFilter{})
			if err != nil {
				b.Fatal(err)
			}
			n := export.NewNetwork(snap)
			if err := graphml.Write(io.Discard, n); err != nil {
				b.Fatal(err)
			}
			objects = len(n.Nodes) + len(n.Edges)
		}
		b.ReportMetric(float64(objects), "objects")
		b.ReportMetric(float64(objects)*float64(b.N)/b.Elapsed().Seconds(), "objects/s")
	})
}
