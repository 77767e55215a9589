// Command gendict regenerates the bundled actor dictionary,
// dictionary/data/actors.jsonl, from the UN, OFAC, UCDP and GeoNames files
// in the shared data folder and dictionary/data/curated.yaml. Run it from
// the repository root:
//
//	go run ./tools/gendict [-shared ../shared] [-v]
//
// The output is deterministic: running it twice gives identical bytes.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/faultline-osint/faultline/internal/dictgen"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gendict:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("gendict", flag.ContinueOnError)
	shared := fs.String("shared", "../shared", "shared folder holding data/ (relative to the repository root)")
	curated := fs.String("curated", "dictionary/data/curated.yaml", "curated entries")
	out := fs.String("out", "dictionary/data/actors.jsonl", "output file")
	verbose := fs.Bool("v", false, "log merges and skipped records")
	if err := fs.Parse(args); err != nil {
		return err
	}
	opts := dictgen.Options{Shared: *shared, Curated: *curated}
	if *verbose {
		opts.Log = stderr
	}
	data, st, err := dictgen.Build(opts)
	if err != nil {
		return err
	}
	if err := dictgen.WriteFile(*out, data); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %s: %d entries (%d merged across lists)\n", *out, st.Entries, st.Merged)
	fmt.Fprintf(stderr, "  read: %s\n", dictgen.FormatCounts(st.Read))
	fmt.Fprintf(stderr, "  entries by source: %s\n", dictgen.FormatCounts(st.BySource))
	byType := map[string]int{}
	for t, n := range st.ByType {
		byType[string(t)] = n
	}
	fmt.Fprintf(stderr, "  entries by type: %s\n", dictgen.FormatCounts(byType))
	return nil
}
