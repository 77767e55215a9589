package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	faultline "github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/ingest"
)

func (a *app) extractCommand() *cobra.Command {
	var jsonl bool
	var maxSize string
	cmd := &cobra.Command{
		Use:   "extract FILE...",
		Short: "Print the extraction-v1 JSON of documents; no database involved",
		Long: `Print what the extractor finds in each document, in the faultline.extraction/v1
format: one JSON object for one file, a JSON array for several, or one object
per line with --jsonl. Use - for standard input.`,
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, paths []string) error {
			max, err := parseSize(maxSize)
			if err != nil {
				return err
			}
			ex, err := a.extractor()
			if err != nil {
				return err
			}
			var out []*faultline.Extraction
			failed := 0
			for _, p := range paths {
				doc, err := ingest.ReadFile(cmd.Context(), p, ingest.ReadOptions{MaxBytes: max})
				if err != nil {
					fmt.Fprintf(a.stderr, "faultline: %s\n", faultline.ErrorMessage(err))
					failed++
					continue
				}
				ext := ex.Extract(doc)
				if jsonl {
					b, err := json.Marshal(ext)
					if err != nil {
						return fmt.Errorf("extract %s: %w", p, err)
					}
					fmt.Fprintf(a.stdout, "%s\n", b)
					continue
				}
				out = append(out, ext)
			}
			if !jsonl {
				var err error
				switch {
				case len(paths) == 1 && len(out) == 1:
					err = a.printJSON(out[0])
				case len(paths) > 1:
					if out == nil {
						out = []*faultline.Extraction{}
					}
					err = a.printJSON(out)
				}
				if err != nil {
					return err
				}
			}
			if failed > 0 {
				return &silentError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&jsonl, "jsonl", false, "print one JSON object per line")
	cmd.Flags().StringVar(&maxSize, "max-size", "", "largest file accepted (default 50MB)")
	return cmd
}
