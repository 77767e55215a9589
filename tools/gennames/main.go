// Command gennames regenerates the given-name list,
// dictionary/data/given-names.txt, from the individual records of the UN
// Security Council consolidated list and the OFAC SDN list in the shared
// data folder. Run it from the repository root:
//
//	go run ./tools/gennames [-shared ../shared] [-v]
//
// The output is deterministic: running it twice gives identical bytes.
// The hand-written dictionary/data/given-names-curated.txt is not an input;
// package dictionary loads both files. dictionary/data/SOURCES.md says how
// names are chosen.
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
		fmt.Fprintln(os.Stderr, "gennames:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("gennames", flag.ContinueOnError)
	shared := fs.String("shared", "../shared", "shared folder holding data/ (relative to the repository root)")
	out := fs.String("out", "dictionary/data/given-names.txt", "output file")
	verbose := fs.Bool("v", false, "log every candidate left out and why")
	if err := fs.Parse(args); err != nil {
		return err
	}
	opts := dictgen.NamesOptions{Shared: *shared}
	if *verbose {
		opts.Log = stderr
	}
	data, st, err := dictgen.BuildGivenNames(opts)
	if err != nil {
		return err
	}
	if err := dictgen.WriteFile(*out, data); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %s: %d given names from %d candidate tokens\n", *out, st.Names, st.Candidates)
	fmt.Fprintf(stderr, "  individual records read: %s\n", dictgen.FormatCounts(st.Records))
	fmt.Fprintf(stderr, "  candidates left out: %s\n", dictgen.FormatCounts(st.Dropped))
	return nil
}
