package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	faultline "github.com/faultline-osint/faultline"
)

func (a *app) claimCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "claim",
		Short: "Review a claim: accept or reject it (decisions survive re-ingest)",
	}
	for _, v := range []struct {
		verb   string
		status faultline.ReviewStatus
		short  string
	}{
		{"accept", faultline.StatusAccepted, "Accept a claim: its relation or event is flagged as reviewed"},
		{"reject", faultline.StatusRejected, "Reject a claim: it leaves every relation, event and path"},
		{"reset", faultline.StatusMachine, "Forget the review of a claim"},
	} {
		var who string
		sub := &cobra.Command{
			Use:   v.verb + " ID",
			Short: v.short,
			Args:  exactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				st, err := a.existingStore(cmd.Context())
				if err != nil {
					return err
				}
				if who == "" {
					who = analyst()
				}
				if err := st.SetClaimStatus(cmd.Context(), args[0], v.status, who); err != nil {
					return err
				}
				if a.asJSON {
					return a.printJSON(map[string]string{"claim": args[0], "status": string(v.status), "analyst": who})
				}
				fmt.Fprintf(a.stdout, "claim %s: %s by %s\n", args[0], v.status, who)
				return nil
			},
		}
		sub.Flags().StringVar(&who, "analyst", "", "who decides (default: the current user)")
		a.jsonFlag(sub)
		cmd.AddCommand(sub)
	}
	return cmd
}

func (a *app) claimsCommand() *cobra.Command {
	var entity, status, kind string
	var source int64
	var limit int
	cmd := &cobra.Command{
		Use:   "claims",
		Short: "List claims with their evidence, for review",
		Long: `List claims, each with its review status, source and evidence: the
sentence it was read from. Review them with faultline claim accept|reject ID.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			f := faultline.ClaimFilter{Status: faultline.ReviewStatus(status), Kind: faultline.ClaimKind(kind), SourceID: source, Limit: limit}
			switch f.Status {
			case "", faultline.StatusMachine, faultline.StatusAccepted, faultline.StatusRejected, faultline.StatusEdited:
			default:
				return faultline.Errorf(faultline.EINVALID, "--status %q: want machine, accepted, rejected or edited", status)
			}
			if f.Kind != "" && f.Kind != faultline.RelationClaim && f.Kind != faultline.EventClaim {
				return faultline.Errorf(faultline.EINVALID, "--kind %q: want relation or event", kind)
			}
			st, err := a.existingStore(ctx)
			if err != nil {
				return err
			}
			if entity != "" {
				e, err := st.FindEntity(ctx, entity)
				if err != nil {
					return err
				}
				f.EntityID = e.ID
			}
			cs, err := st.Claims(ctx, f)
			if err != nil {
				return err
			}
			if a.asJSON {
				return a.printJSON(cs)
			}
			if len(cs) == 0 {
				fmt.Fprintln(a.stdout, "no claims")
				return nil
			}
			ids := make([]string, len(cs))
			for i, c := range cs {
				ids[i] = c.ID
			}
			evs, err := st.Evidence(ctx, ids)
			if err != nil {
				return err
			}
			titles := map[string]string{}
			for _, e := range evs {
				titles[e.ClaimID] = e.SourceTitle
			}
			names := nameCache{st: st, ctx: ctx, names: map[string]string{}}
			w := a.stdout
			for i, c := range cs {
				if i > 0 {
					fmt.Fprintln(w)
				}
				fmt.Fprintf(w, "%s  %s  source #%d %s\n", c.ID, c.Status, c.SourceID, clip(titles[c.ID], 60))
				var what string
				switch c.Kind {
				case faultline.RelationClaim:
					what = fmt.Sprintf("%s —%s→ %s", names.of(c.Subject), c.Predicate, names.of(c.Object))
					if c.Role != "" {
						what += " as " + c.Role
					}
					if c.SupportKind != "" {
						what += " (" + c.SupportKind + ")"
					}
					if span := timeSpan(c.ValidFrom, c.ValidTo); span != "" {
						what += ", " + span
					}
				default:
					what = eventSummary(c, names.of)
				}
				fmt.Fprintf(w, "  %s  [%s", what, c.Modality)
				if c.AttributedTo != "" {
					fmt.Fprintf(w, ", according to %s", names.of(c.AttributedTo))
				}
				if c.Rule != "" {
					fmt.Fprintf(w, ", rule %s", c.Rule)
				}
				if c.Analyst != "" {
					fmt.Fprintf(w, ", analyst %s", c.Analyst)
				}
				fmt.Fprintln(w, "]")
				for _, s := range c.Evidence {
					fmt.Fprintf(w, "  %q\n", clip(oneLine(s.Text), 200))
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&entity, "entity", "", "only claims involving this entity (name, alias or id)")
	cmd.Flags().StringVar(&status, "status", "", "only claims with this review status: machine, accepted, rejected, edited")
	cmd.Flags().StringVar(&kind, "kind", "", "only relation or event claims")
	cmd.Flags().Int64Var(&source, "source", 0, "only claims from this source id")
	cmd.Flags().IntVar(&limit, "limit", 100, "at most this many (0: all)")
	a.jsonFlag(cmd)
	return cmd
}

// eventSummary describes an event claim on one line.
func eventSummary(c faultline.Claim, name func(string) string) string {
	var b strings.Builder
	b.WriteString(string(c.EventType))
	if c.EventDate != "" {
		b.WriteString(" " + c.EventDate)
	}
	if c.Location != "" {
		b.WriteString(" in " + name(c.Location))
	}
	var parts []string
	for _, p := range c.Participants {
		parts = append(parts, name(p.Entity)+" ("+string(p.Role)+")")
	}
	if len(parts) > 0 {
		b.WriteString(": " + strings.Join(parts, ", "))
	}
	if c.Fatalities != nil {
		b.WriteString(", " + fatalities(c.Fatalities, c.FatalitiesLow) + " killed")
	}
	return b.String()
}

// nameCache names entities by id for display, one lookup per entity.
type nameCache struct {
	st interface {
		FindEntity(ctx context.Context, ref string) (*faultline.Entity, error)
	}
	ctx   context.Context
	names map[string]string
}

func (n *nameCache) of(id string) string {
	if id == "" {
		return ""
	}
	if s, ok := n.names[id]; ok {
		return s
	}
	s := id
	if e, err := n.st.FindEntity(n.ctx, id); err == nil {
		s = e.Name
	}
	n.names[id] = s
	return s
}

// oneLine folds runs of white space, newlines included, to one space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
