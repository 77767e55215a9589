package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	faultline "github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/pathfind"
)

func (a *app) pathCommand() *cobra.Command {
	var q pathfind.Query
	var preds []string
	cmd := &cobra.Command{
		Use:   "path FROM TO",
		Short: "The k shortest chains of ties between two entities, with evidence",
		Long: `The k shortest chains of ties between two entities, each hop with its
strongest evidence. Ties are relations aggregated over every source; a chain
may run against a tie's direction, and each hop shows the real one:
A —supports→ B, A ←supports— B, or A —allied_with— B. An asserted tie counts
1, a reported one 1.2, an alleged or possible one 1.5, a little less with more
sources; denied and rejected ties are left out.`,
		Args: exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			var err error
			if q.Predicates, err = parsePredicates(preds); err != nil {
				return err
			}
			switch {
			case q.K < 1 || q.K > pathfind.MaxK:
				return faultline.Errorf(faultline.EINVALID, "--k %d: want 1 to %d", q.K, pathfind.MaxK)
			case q.MaxHops < 1:
				return faultline.Errorf(faultline.EINVALID, "--max-hops %d: want 1 or more", q.MaxHops)
			}
			if q.Evidence <= 0 {
				q.Evidence = -1 // none
			}
			q.From, q.To = args[0], args[1]
			st, err := a.existingStore(ctx)
			if err != nil {
				return err
			}
			// Resolve both ends before loading every tie, so that a typo
			// fails at once.
			for _, ref := range []string{q.From, q.To} {
				if _, err := st.FindEntity(ctx, ref); err != nil {
					return err
				}
			}
			start := time.Now()
			net, err := pathfind.Load(ctx, st, faultline.TieFilter{Predicates: q.Predicates})
			if err != nil {
				return err
			}
			loaded := time.Since(start)
			res, err := net.Paths(ctx, q)
			if err != nil {
				return err
			}
			a.log.Info("path", "ties", net.Ties(), "entities", net.Nodes(), "load", loaded.Round(time.Millisecond),
				"search", (time.Since(start) - loaded).Round(time.Millisecond))
			if a.asJSON {
				return a.printJSON(res)
			}
			w := a.stdout
			if len(res.Paths) == 0 {
				fmt.Fprintf(w, "no chain of ties between %s and %s within %d hops\n", res.From.Name, res.To.Name, q.MaxHops)
				return nil
			}
			for i, p := range res.Paths {
				if i > 0 {
					fmt.Fprintln(w)
				}
				fmt.Fprintf(w, "path %d: %s, cost %.2f\n", i+1, plural(len(p.Hops), "hop"), p.Cost)
				for _, h := range p.Hops {
					fmt.Fprintf(w, "  %s\n", hopLine(h))
				}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&q.K, "k", pathfind.DefaultK, "how many chains to find")
	fl.IntVar(&q.MaxHops, "max-hops", pathfind.DefaultMaxHops, "longest chain, in ties")
	fl.StringArrayVar(&preds, "predicate", nil, "only ties of this predicate (repeatable, or comma-separated)")
	fl.IntVar(&q.Evidence, "evidence", 1, "evidence sentences per hop (0: none)")
	a.jsonFlag(cmd)
	return cmd
}

// hopLine prints a hop with the tie's real direction, its modality and
// sources, and its best evidence:
//
//	ISI —supports→ Lashkar-e-Taiba (asserted, 2 sources) "…" [source title]
func hopLine(h pathfind.Hop) string {
	var tie string
	switch {
	case h.Predicate.Symmetric():
		tie = fmt.Sprintf("%s —%s— %s", h.From.Name, h.Predicate, h.To.Name)
	case h.Forward:
		tie = fmt.Sprintf("%s —%s→ %s", h.From.Name, h.Predicate, h.To.Name)
	default:
		tie = fmt.Sprintf("%s ←%s— %s", h.From.Name, h.Predicate, h.To.Name)
	}
	s := fmt.Sprintf("%s (%s, %s)", tie, h.Modality, plural(h.Sources, "source"))
	for i, e := range h.Evidence {
		if i > 0 {
			s += "\n   "
		}
		s += fmt.Sprintf(" %q [%s]", clip(oneLine(e.Text()), 160), e.SourceTitle)
	}
	return s
}
