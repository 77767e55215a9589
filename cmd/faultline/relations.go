package main

import (
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	faultline "github.com/faultline-osint/faultline"
)

func (a *app) relationsCommand() *cobra.Command {
	var preds []string
	var minModality string
	var limit int
	cmd := &cobra.Command{
		Use:   "relations ENTITY",
		Short: "Relations of an entity, aggregated over every source, by predicate",
		Long: `Relations of an entity, aggregated over every source: one line per relation
with the other entity, the strongest modality of the claims, how many
independent sources support it, denials counted apart, and the time span the
claims give (or the dates of the sources that report it). → marks a relation
from the entity, ← one to it, — a symmetric one.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			f := faultline.RelationFilter{Limit: limit, MinModality: faultline.Modality(minModality)}
			var err error
			if f.Predicates, err = parsePredicates(preds); err != nil {
				return err
			}
			if minModality != "" && !f.MinModality.Valid() {
				return faultline.Errorf(faultline.EINVALID, "--min-modality %q: want asserted, reported, alleged, possible or denied", minModality)
			}
			st, err := a.existingStore(ctx)
			if err != nil {
				return err
			}
			e, err := st.FindEntity(ctx, args[0])
			if err != nil {
				return err
			}
			f.EntityID = e.ID
			rs, err := st.Relations(ctx, f)
			if err != nil {
				return err
			}
			if a.asJSON {
				return a.printJSON(rs)
			}
			w := a.stdout
			fmt.Fprintf(w, "%s  (%s)\n", e.Name, e.Type)
			if len(rs) == 0 {
				fmt.Fprintln(w, "no relations")
				return nil
			}
			var tw *tabwriter.Writer
			var current faultline.Predicate
			for _, r := range rs {
				if r.Predicate != current {
					if tw != nil {
						tw.Flush()
					}
					current = r.Predicate
					fmt.Fprintf(w, "\n%s\n", current)
					tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				}
				arrow, other := "→", r.Object
				switch {
				case r.Predicate.Symmetric():
					arrow = "—"
					if r.Object.ID == e.ID {
						other = r.Subject
					}
				case r.Object.ID == e.ID && r.Subject.ID != e.ID:
					arrow, other = "←", r.Subject
				}
				var notes []string
				if r.Denials > 0 {
					notes = append(notes, plural(r.Denials, "denial"))
				}
				if r.Accepted {
					notes = append(notes, "accepted")
				}
				if len(r.SupportKinds) > 0 {
					notes = append(notes, strings.Join(r.SupportKinds, ", "))
				}
				if len(r.Roles) > 0 {
					notes = append(notes, "as "+strings.Join(r.Roles, ", "))
				}
				span := timeSpan(r.ValidFrom, r.ValidTo)
				if span == "" && r.FirstReported != "" {
					span = "reported " + dateSpan(r.FirstReported, r.LastReported)
				}
				if span != "" {
					notes = append([]string{span}, notes...)
				}
				line := fmt.Sprintf("  %s %s (%s)\t%s\t%s", arrow, other.Name, other.Type, r.Modality, plural(r.Sources, "source"))
				if len(notes) > 0 {
					line += "\t" + strings.Join(notes, "; ")
				}
				fmt.Fprintln(tw, line)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringArrayVar(&preds, "predicate", nil, "only this predicate (repeatable, or comma-separated): "+predicateList())
	cmd.Flags().StringVar(&minModality, "min-modality", "", "only relations at least this firm: asserted, reported, alleged, possible")
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many (0: all)")
	a.jsonFlag(cmd)
	return cmd
}

// parsePredicates reads --predicate values, each one or several
// comma-separated predicates.
func parsePredicates(values []string) ([]faultline.Predicate, error) {
	var out []faultline.Predicate
	for _, v := range values {
		for _, s := range strings.Split(v, ",") {
			p := faultline.Predicate(strings.TrimSpace(s))
			if !p.Valid() {
				return nil, faultline.Errorf(faultline.EINVALID, "--predicate %q: want one of %s", s, predicateList())
			}
			out = append(out, p)
		}
	}
	return out, nil
}

func predicateList() string {
	var s []string
	for _, p := range faultline.Predicates {
		s = append(s, string(p))
	}
	return strings.Join(s, ", ")
}

// timeSpan describes a claim's validity: "2001–2019", "since 2001",
// "until 2019", or "".
func timeSpan(from, to string) string {
	switch {
	case from != "" && to != "":
		return dateSpan(from, to)
	case from != "":
		return "since " + from
	case to != "":
		return "until " + to
	}
	return ""
}

// dateSpan is "a–b", or "a" when both are the same.
func dateSpan(a, b string) string {
	if a == b || b == "" {
		return a
	}
	return a + "–" + b
}

// plural is "1 source", "2 sources".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// fatalities prints a count, ">= n" for a lower bound.
func fatalities(n *int, low bool) string {
	if n == nil {
		return ""
	}
	if low {
		return ">= " + strconv.Itoa(*n)
	}
	return strconv.Itoa(*n)
}
