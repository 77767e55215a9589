package main

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	faultline "github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/dictionary"
	"github.com/faultline-osint/faultline/gazetteer"
	"github.com/faultline-osint/faultline/importer"
)

func (a *app) importCommand() *cobra.Command {
	var (
		format, reliability, tlp, alt, add string
		batch                              int
	)
	cmd := &cobra.Command{
		Use:   "import --format stix|ucdp|acled|unsc|ofac FILE",
		Short: "Import a STIX bundle, a UCDP GED or ACLED table, or a sanctions list",
		Long: `Import records from the exchange formats analysts already use:

  stix   a STIX 2.1 bundle (threat actors, intrusion sets, identities,
         locations, relationships, reports, notes; other types are kept
         as raw objects and listed in the summary)
  ucdp   a UCDP GED CSV (the canonical layout or the HDX variant)
  acled  an ACLED CSV export
  unsc   the UN Security Council consolidated list (XML)
  ofac   the OFAC SDN legacy CSV (sdn.csv; alt.csv and add.csv are read
         from beside it, or from --alt and --add)

UCDP and ACLED rows are stored as dataset events: one record each, with its
line in the file, which is their one source (with --reliability and --tlp);
the timeline shows each as an event of its own.

Each batch of records is stored in one transaction; running the same import
again skips the batches already stored, so an interrupted import resumes.
A malformed CSV row is reported with its line number and skipped. Invalid
JSON, STIX objects with dangling references and XML that declares entities
are refused before anything is written.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if !slices.Contains(importer.Formats, format) {
				return &usageError{fmt.Errorf("--format %q: want one of %s", format, strings.Join(importer.Formats, ", "))}
			}
			o := importer.Options{BatchSize: batch, Files: map[string]string{}}
			var err error
			if reliability != "" {
				if o.Reliability, err = faultline.ParseReliability(reliability); err != nil {
					return err
				}
			}
			if tlp != "" {
				if o.TLP, err = faultline.ParseTLP(tlp); err != nil {
					return err
				}
			}
			if alt != "" {
				o.Files["alt"] = alt
			}
			if add != "" {
				o.Files["add"] = add
			}
			if o.Dictionary, err = a.dictionary(); err != nil {
				return err
			}
			if o.Gazetteer, err = gazetteer.Default(); err != nil {
				return err
			}
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			tty, _ := a.stderr.(*os.File)
			if tty != nil && !isatty.IsTerminal(tty.Fd()) && !isatty.IsCygwinTerminal(tty.Fd()) {
				tty = nil
			}
			if tty != nil {
				// Progress on a terminal only: a line rewritten per batch.
				o.Progress = func(n int) { fmt.Fprintf(tty, "\rimported %d records…", n) }
			}
			sum, err := importer.Import(ctx, st, format, args[0], o)
			if tty != nil {
				fmt.Fprint(tty, "\r\033[K")
			}
			if sum != nil {
				for _, e := range sum.Errors {
					fmt.Fprintf(a.stderr, "faultline: %s: %s\n", sum.File, e)
				}
				if n := sum.Malformed - len(sum.Errors); n > 0 {
					fmt.Fprintf(a.stderr, "faultline: %s: and %d more malformed records\n", sum.File, n)
				}
				if a.asJSON {
					if jerr := a.printJSON(sum); jerr != nil {
						return jerr
					}
				} else {
					fmt.Fprintln(a.stdout, sum.String())
				}
			}
			if err != nil {
				return fmt.Errorf("import %s: %w", args[0], err)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "", "input format: "+strings.Join(importer.Formats, ", ")+" (required)")
	f.StringVar(&reliability, "reliability", "", "reliability of the sources the import creates, A–F (default B)")
	f.StringVar(&tlp, "tlp", "", "TLP marking of the sources the import creates (default clear)")
	f.StringVar(&alt, "alt", "", "ofac: the SDN alias table (default alt.csv beside the file)")
	f.StringVar(&add, "add", "", "ofac: the SDN address table (default add.csv beside the file)")
	f.IntVar(&batch, "batch", 0, "records per batch (default per format); a resumed import must use the same value")
	a.jsonFlag(cmd)
	return cmd
}

// dictionary returns the bundled dictionary with the user's layers.
func (a *app) dictionary() (*dictionary.Dictionary, error) {
	d, err := dictionary.Default()
	if err != nil {
		return nil, err
	}
	for _, p := range append(append([]string{}, a.cfg.Dictionaries...), a.dicts...) {
		entries, err := dictionary.LoadFile(p)
		if err != nil {
			return nil, faultline.Errorf(faultline.EINVALID, "%w", err)
		}
		d = d.With(entries...)
	}
	return d, nil
}
