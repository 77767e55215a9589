package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	faultline "github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/ingest"
)

func (a *app) ingestCommand() *cobra.Command {
	var (
		meta                      ingest.SourceMeta
		reliability, tlp, maxSize string
		jobs                      int
	)
	cmd := &cobra.Command{
		Use:   "ingest PATH...",
		Short: "Read reports (files, directories, - for stdin) into the database",
		Long: `Read reports into the database: .txt, .md, .html and .pdf files, directories
recursively, or - for standard input. Each document is extracted and stored in
one transaction; a document already stored (same sha256) is left as it is.
A bad file is reported on one line and the batch goes on; the exit status is
1 if any file failed.`,
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, paths []string) error {
			ctx := cmd.Context()
			var err error
			if reliability = pick(reliability, a.cfg.Ingest.Reliability); reliability != "" {
				if meta.Reliability, err = faultline.ParseReliability(reliability); err != nil {
					return err
				}
			}
			if tlp = pick(tlp, a.cfg.Ingest.TLP); tlp != "" {
				if meta.TLP, err = faultline.ParseTLP(tlp); err != nil {
					return err
				}
			}
			meta.Publisher = pick(meta.Publisher, a.cfg.Ingest.Publisher)
			max, err := parseSize(pick(maxSize, a.cfg.Ingest.MaxSize))
			if err != nil {
				return err
			}
			if jobs == 0 {
				jobs = a.cfg.Ingest.Jobs
			}
			ex, err := a.extractor()
			if err != nil {
				return err
			}
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			sum, err := ingest.Run(ctx, st, ex, paths, ingest.Options{
				Jobs: jobs, Read: ingest.ReadOptions{MaxBytes: max}, Meta: meta,
				Progress: a.stderr, Log: a.log, Stdin: a.stdin,
			})
			for _, fe := range sum.Errors {
				fmt.Fprintf(a.stderr, "faultline: %s\n", fe.Error())
			}
			if a.asJSON {
				if jerr := a.printJSON(sum); jerr != nil {
					return jerr
				}
			} else {
				fmt.Fprintf(a.stdout, "%d files: %d ingested, %d already stored, %d failed; %d new entities, %d mentions, %d claims\n",
					sum.Files, sum.Ingested, sum.Duplicates, sum.Failed, sum.Entities, sum.Mentions, sum.Claims)
			}
			if err != nil {
				return fmt.Errorf("ingest: %w", err)
			}
			if sum.Failed > 0 {
				return &silentError{code: 1}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&meta.Publisher, "publisher", "", "publisher of the documents (e.g. \"ORF\")")
	f.StringVar(&meta.Author, "author", "", "author, overriding what the document says")
	f.StringVar(&meta.URL, "url", "", "source URL, overriding what the document says")
	f.StringVar(&meta.Published, "published", "", "publication date (YYYY, YYYY-MM or YYYY-MM-DD)")
	f.StringVar(&reliability, "reliability", "", "source reliability, Admiralty grade A–F (default F, cannot be judged)")
	f.StringVar(&tlp, "tlp", "", "TLP marking: clear, green, amber, amber+strict, red (default clear)")
	f.IntVar(&jobs, "jobs", 0, "parallel extraction workers (default: number of CPUs)")
	f.StringVar(&maxSize, "max-size", "", "largest file accepted, e.g. 50MB (default 50MB)")
	a.jsonFlag(cmd)
	return cmd
}

func pick(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// parseSize reads "50MB", "512KB", "1GB" or a byte count.
func parseSize(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	u := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, suf := range []struct {
		s string
		m int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(u, suf.s) {
			u, mult = strings.TrimSpace(strings.TrimSuffix(u, suf.s)), suf.m
			break
		}
	}
	n, err := strconv.ParseInt(u, 10, 64)
	if err != nil || n <= 0 {
		return 0, faultline.Errorf(faultline.EINVALID, "--max-size %q: want a size such as 50MB", s)
	}
	return n * mult, nil
}
