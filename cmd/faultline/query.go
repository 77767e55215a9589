package main

import (
	"fmt"
	"sort"
	"text/tabwriter"

	"github.com/spf13/cobra"

	faultline "github.com/faultline-osint/faultline"
)

func (a *app) searchCommand() *cobra.Command {
	var limit int
	cmd := &cobra.Command{
		Use:   "search QUERY",
		Short: "Ranked full-text search over entity names, aliases and source text",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.existingStore(cmd.Context())
			if err != nil {
				return err
			}
			hits, err := st.Search(cmd.Context(), args[0], limit)
			if err != nil {
				return err
			}
			if a.asJSON {
				return a.printJSON(hits)
			}
			if len(hits) == 0 {
				fmt.Fprintln(a.stdout, "no hits")
				return nil
			}
			for _, h := range hits {
				if h.Kind == "entity" {
					fmt.Fprintf(a.stdout, "entity  %s (%s)  %s\n", h.Title, h.Type, h.Snippet)
				} else {
					fmt.Fprintf(a.stdout, "source  #%d %s\n        %s\n", h.SourceID, h.Title, h.Snippet)
				}
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 20, "at most this many hits")
	a.jsonFlag(cmd)
	return cmd
}

func (a *app) sourcesCommand() *cobra.Command {
	var publisher string
	cmd := &cobra.Command{
		Use:   "sources",
		Short: "List the documents in the database",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.existingStore(cmd.Context())
			if err != nil {
				return err
			}
			ss, err := st.Sources(cmd.Context(), faultline.SourceFilter{Publisher: publisher})
			if err != nil {
				return err
			}
			if a.asJSON {
				return a.printJSON(ss)
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tTITLE\tPUBLISHER\tREL\tTLP\tCHARS\tSHA256")
			for _, s := range ss {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\n", s.ID, clip(s.Title, 50), s.Publisher, s.Reliability, s.TLP, s.Chars, s.SHA256[:12])
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&publisher, "publisher", "", "only this publisher")
	a.jsonFlag(cmd)
	return cmd
}

func (a *app) statsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Count what the database holds",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.existingStore(cmd.Context())
			if err != nil {
				return err
			}
			s, err := st.Stats(cmd.Context())
			if err != nil {
				return err
			}
			if a.asJSON {
				return a.printJSON(s)
			}
			w := a.stdout
			fmt.Fprintf(w, "sources   %d (%d characters)\n", s.Sources, s.Chars)
			fmt.Fprintf(w, "entities  %d\n", s.Entities)
			for _, k := range sortedKeys(s.EntitiesByType) {
				fmt.Fprintf(w, "  %-16s %d\n", k, s.EntitiesByType[k])
			}
			fmt.Fprintf(w, "mentions  %d\naliases   %d\nclaims    %d\n", s.Mentions, s.Aliases, s.Claims)
			for _, k := range sortedKeys(s.ClaimsByKind) {
				fmt.Fprintf(w, "  %-16s %d\n", k, s.ClaimsByKind[k])
			}
			// Dataset records are events of their own, not claims: counted
			// apart.
			fmt.Fprintf(w, "dataset events %d\n", s.DatasetEvents)
			for _, k := range sortedKeys(s.DatasetEventsByFormat) {
				fmt.Fprintf(w, "  %-16s %d\n", k, s.DatasetEventsByFormat[k])
			}
			fmt.Fprintf(w, "merges    %d\n", s.Merges)
			return nil
		},
	}
	a.jsonFlag(cmd)
	return cmd
}

func sortedKeys(m map[string]int) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
