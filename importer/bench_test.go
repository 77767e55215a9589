package importer_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/faultline-osint/faultline/importer"
	"github.com/faultline-osint/faultline/internal/gedgen"
	"github.com/faultline-osint/faultline/sqlite"
)

// benchRows is the size of the generated GED file: the target is
// 50,000 rows/s on 400,000 rows. FAULTLINE_BENCH_ROWS overrides it, and
// FAULTLINE_BENCH_BATCH the batch size, for profiling.
var benchRows = 400_000

func init() {
	if n, err := strconv.Atoi(os.Getenv("FAULTLINE_BENCH_ROWS")); err == nil && n > 0 {
		benchRows = n
	}
}

// BenchmarkImportUCDP imports a generated GED file of benchRows rows
// (modelled on the real Pakistan sample) into an empty database, then
// loads the same file with the sqlite3 shell's .import for comparison, and
// prints both rates and their ratio, and the CPU time each took: on a
// machine shared with other jobs the rates move with the load, the CPU
// times much less.
func BenchmarkImportUCDP(b *testing.B) {
	sample, err := os.ReadFile(shared(b, "data/ucdp-ged/conflict_data_pak.csv"))
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	csvPath := filepath.Join(dir, "ged-synthetic.csv")
	f, err := os.Create(csvPath)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := gedgen.Generate(w, sample, benchRows, 2024); err != nil {
		b.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	ctx := context.Background()
	// Actors and places resolve against the bundled dictionary and
	// gazetteer, as faultline import does.
	o := options(b)
	b.ResetTimer()
	var rate float64
	var cpu time.Duration
	for i := range b.N {
		db, err := sqlite.Open(ctx, filepath.Join(dir, fmt.Sprintf("bench-%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		start, cpu0 := time.Now(), cpuTime()
		bs, _ := strconv.Atoi(os.Getenv("FAULTLINE_BENCH_BATCH"))
		o.BatchSize = bs
		sum, err := importer.Import(ctx, db, "ucdp", csvPath, o)
		if err != nil {
			b.Fatal(err)
		}
		el := time.Since(start)
		cpu = cpuTime() - cpu0
		db.Close()
		if sum.Imported != benchRows || sum.Malformed != 0 || sum.Events != benchRows {
			b.Fatalf("imported %d of %d rows as %d dataset events, %d malformed", sum.Imported, benchRows, sum.Events, sum.Malformed)
		}
		rate = float64(benchRows) / el.Seconds()
	}
	b.StopTimer()
	b.ReportMetric(rate, "rows/s")
	// CPU time says what the import costs whatever else the machine is
	// doing; rows/s depends on it.
	fmt.Printf("faultline import --format ucdp: %d rows at %.0f rows/s (%.1f s CPU)\n", benchRows, rate, cpu.Seconds())
	shell, err := exec.LookPath("sqlite3")
	if err != nil {
		fmt.Println("sqlite3 shell not found (apt-get install -y sqlite3): no .import comparison")
		return
	}
	dbPath := filepath.Join(dir, "shell.db")
	start := time.Now()
	cmd := exec.Command(shell, dbPath, "-cmd", ".mode csv", ".import "+csvPath+" ged")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("sqlite3 .import: %v\n%s", err, out)
	}
	shellRate := float64(benchRows) / time.Since(start).Seconds()
	shellCPU := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	b.ReportMetric(shellRate, "sqlite3-rows/s")
	fmt.Printf("sqlite3 .import (one table, no indexes): %d rows at %.0f rows/s (%.1f s CPU)\n", benchRows, shellRate, shellCPU.Seconds())
	fmt.Printf("ratio faultline/sqlite3: %.2f", rate/shellRate)
	if cpu > 0 {
		fmt.Printf(" (CPU time %.2f)", shellCPU.Seconds()/cpu.Seconds())
	}
	fmt.Println()
}
