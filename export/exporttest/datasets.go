package exporttest

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/dictionary"
	"github.com/faultline-osint/faultline/gazetteer"
	"github.com/faultline-osint/faultline/importer"
	"github.com/faultline-osint/faultline/internal/gedgen"
	"github.com/faultline-osint/faultline/sqlite"
)

// The dataset fixture: the four reports of Fill, then a small UCDP GED file
// marked green and the synthetic ACLED file of the importer's tests marked
// amber, imported as faultline import does (bundled dictionary and
// gazetteer), on the same fixed clock, so that exports of it are
// reproducible too.

// UCDPTLP and ACLEDTLP mark the two dataset files.
const (
	UCDPTLP  = faultline.TLPGreen
	ACLEDTLP = faultline.TLPAmber
)

// UCDPSample is a GED file in the canonical 49-column layout: three rows
// written for the tests (not UCDP data) that exercise what a record
// carries: a state-based clash dated to the day at a point with a range of
// deaths, one-sided violence against civilians dated to a month at a
// province, and a non-state clash over a period of days.
const UCDPSample = `id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,source_date,source_headline,source_original,where_prec,where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob
900001,PAK-2024-1-209-1,2024,1,Clear,1,209,209,Pakistan: Government,764,764,Government of Pakistan - TTP,142,142,Government of Pakistan,356,356,TTP,2,"Dawn,2024-03-12,Four militants killed near Mir Ali",,,,Pakistani military,1,Mir Ali town,Mir Ali town,Khyber Pakhtunkhwa province,North Waziristan district,33.0215,70.2756,POINT (70.2756 33.0215),179781,Pakistan,770,Asia,1,1,2024-03-11 00:00:00.000,2024-03-11 00:00:00.000,1,4,0,0,5,7,4,770,
900002,PAK-2024-3-356-2,2024,1,Clear,3,,,,,,TTP - Civilians,356,356,TTP,1,1,Civilians,1,"Reuters,2024-05-20,Bus attacked in Khyber Pakhtunkhwa",,,,Local police,4,Khyber Pakhtunkhwa province,Khyber Pakhtunkhwa province,Khyber Pakhtunkhwa province,,34.5,72.0,POINT (72.0 34.5),180502,Pakistan,770,Asia,1,4,2024-05-01 00:00:00.000,2024-05-31 00:00:00.000,0,0,9,0,9,9,9,770,
900003,PAK-2024-2-5-3,2024,1,Clear,2,,,,,,BLA - IS,287,287,BLA,234,234,IS,1,"The News,2024-07-09,Clashes between BLA and IS near Mastung",,,,Residents,2,Mastung town,Mastung town,Balochistan province,Mastung district,29.7997,66.8455,POINT (66.8455 29.7997),173990,Pakistan,770,Asia,2,2,2024-07-05 00:00:00.000,2024-07-08 00:00:00.000,3,5,0,0,8,12,8,,
`

// UCDPIDs are the record ids of UCDPSample, as the import stores them;
// ACLEDIDs those of the ACLED sample's rows that are events (its protest
// has no Faultline event type, and four rows are malformed on purpose).
var (
	UCDPIDs  = []string{"ucdp:900001", "ucdp:900002", "ucdp:900003"}
	ACLEDIDs = []string{"acled:SYN0001", "acled:SYN0002", "acled:SYN0003", "acled:SYN0005", "acled:SYN0006"}
)

// Root is the module's root directory, found from this file, so that the
// fixture finds the importer's test data from whatever package runs it.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// ACLEDSample is the path of the synthetic ACLED file.
func ACLEDSample() string {
	return filepath.Join(Root(), "importer", "testdata", "acled-synthetic.csv")
}

// ImportOptions are the options faultline import uses: the bundled
// dictionary and gazetteer.
func ImportOptions(tb testing.TB, tlp faultline.TLP) importer.Options {
	tb.Helper()
	d, err := dictionary.Default()
	if err != nil {
		tb.Fatal(err)
	}
	g, err := gazetteer.Default()
	if err != nil {
		tb.Fatal(err)
	}
	return importer.Options{Dictionary: d, Gazetteer: g, TLP: tlp}
}

// OpenDatasets creates the dataset fixture database in a temporary
// directory.
func OpenDatasets(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db := Open(tb)
	FillDatasets(tb, db)
	return db
}

// CreateDatasets builds the dataset fixture, closes it and returns its
// path, for tests that open it themselves (the CLI).
func CreateDatasets(tb testing.TB) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "datasets.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	Fill(tb, db)
	FillDatasets(tb, db)
	if err := db.Close(); err != nil {
		tb.Fatalf("close %s: %v", path, err)
	}
	return path
}

// FillDatasets imports UCDPSample (green) and the ACLED sample (amber)
// into a database Fill filled, on its clock.
func FillDatasets(tb testing.TB, db *sqlite.DB) {
	tb.Helper()
	ctx := context.Background()
	ucdp := filepath.Join(tb.TempDir(), "ged-sample.csv")
	if err := os.WriteFile(ucdp, []byte(UCDPSample), 0o644); err != nil {
		tb.Fatal(err)
	}
	// The ACLED file has malformed rows on purpose (see the importer's
	// testdata README); five of its rows are events.
	for _, f := range []struct {
		format, path string
		tlp          faultline.TLP
		events       int
	}{{"ucdp", ucdp, UCDPTLP, len(UCDPIDs)}, {"acled", ACLEDSample(), ACLEDTLP, len(ACLEDIDs)}} {
		sum, err := importer.Import(ctx, db, f.format, f.path, ImportOptions(tb, f.tlp))
		if err != nil {
			tb.Fatalf("import %s %s: %v", f.format, f.path, err)
		}
		if sum.Events != f.events {
			tb.Fatalf("import %s: %d dataset events, want %d (%d malformed: %v)", f.path, sum.Events, f.events, sum.Malformed, sum.Errors)
		}
	}
}

// GED builds a database holding a generated GED file of rows rows, modelled
// on the real Pakistan sample in ../shared (the test is skipped without
// it), imported as faultline import does; for the benchmarks of exports of
// large datasets. With FAULTLINE_BENCH_DB set, the database is built at
// that path once and reused by later runs (for profiling: building 400,000
// rows takes a minute).
func GED(tb testing.TB, rows int) *sqlite.DB {
	tb.Helper()
	if keep := os.Getenv("FAULTLINE_BENCH_DB"); keep != "" {
		if _, err := os.Stat(keep); err == nil {
			db, err := sqlite.Open(context.Background(), keep)
			if err != nil {
				tb.Fatal(err)
			}
			tb.Cleanup(func() { db.Close() })
			return db
		}
	}
	var sample string
	for _, base := range []string{"../shared", "../../shared"} {
		p := filepath.Join(Root(), base, "data", "ucdp-ged", "conflict_data_pak.csv")
		if _, err := os.Stat(p); err == nil {
			sample = p
			break
		}
	}
	if sample == "" {
		tb.Skip("../shared/data/ucdp-ged/conflict_data_pak.csv is absent (CI has it beside the checkout); skipping")
	}
	data, err := os.ReadFile(sample)
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	csvPath := filepath.Join(dir, "ged-synthetic.csv")
	f, err := os.Create(csvPath)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := gedgen.Generate(w, data, rows, 2024); err != nil {
		tb.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	dbPath := filepath.Join(dir, "ged.db")
	if keep := os.Getenv("FAULTLINE_BENCH_DB"); keep != "" {
		dbPath = keep
	}
	db, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	sum, err := importer.Import(context.Background(), db, "ucdp", csvPath, ImportOptions(tb, faultline.TLPClear))
	if err != nil {
		tb.Fatalf("import: %v", err)
	}
	if sum.Events != rows {
		tb.Fatalf("imported %d dataset events of %d rows (%d malformed)", sum.Events, rows, sum.Malformed)
	}
	return db
}
