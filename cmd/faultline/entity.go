package main

import (
	"fmt"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	faultline "github.com/faultline-osint/faultline"
)

func (a *app) entityCommand() *cobra.Command {
	var mentions int
	cmd := &cobra.Command{
		Use:   "entity NAME|ID",
		Short: "Profile of an entity: type, aliases, sources, mentions in context",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.existingStore(cmd.Context())
			if err != nil {
				return err
			}
			if mentions == 0 {
				mentions = math.MaxInt32
			}
			p, err := st.EntityProfile(cmd.Context(), args[0], mentions)
			if err != nil {
				return err
			}
			if a.asJSON {
				return a.printJSON(p)
			}
			w := a.stdout
			fmt.Fprintf(w, "%s  (%s)\n", p.Name, p.Type)
			fmt.Fprintf(w, "id       %s\n", p.ID)
			if len(p.Aliases) > 0 {
				fmt.Fprintf(w, "aliases  %s\n", strings.Join(p.Aliases, "; "))
			}
			for _, x := range p.ExternalIDs {
				fmt.Fprintf(w, "ref      %s:%s\n", x.Scheme, x.Value)
			}
			if p.Lat != nil && p.Lon != nil {
				fmt.Fprintf(w, "coords   %.4f, %.4f\n", *p.Lat, *p.Lon)
			}
			for _, m := range p.Merged {
				fmt.Fprintf(w, "merged   %s (%s)\n", m.Name, m.ID)
			}
			fmt.Fprintf(w, "\nsources (%d)\n", len(p.Sources))
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			for _, s := range p.Sources {
				fmt.Fprintf(tw, "  #%d\t%s\t%s\t%s/%s\t%d mentions\n", s.ID, clip(s.Title, 60), s.Publisher, s.Reliability, s.TLP, s.Mentions)
			}
			tw.Flush()
			fmt.Fprintf(w, "\nmentions\n")
			for _, m := range p.Mentions {
				fmt.Fprintf(w, "  [#%d %d-%d %s] %s\n", m.SourceID, m.Start, m.End, m.Rule, highlight(m.Context, m.Text))
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&mentions, "mentions", 10, "how many mentions to show in context (0: all)")
	a.jsonFlag(cmd)
	return cmd
}

func (a *app) entitiesCommand() *cobra.Command {
	var typ, name string
	var limit int
	cmd := &cobra.Command{
		Use:   "entities",
		Short: "List entities, optionally by type or name prefix",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := faultline.EntityFilter{Type: faultline.EntityType(typ), Name: name, Limit: limit}
			if typ != "" && !f.Type.Valid() {
				return faultline.Errorf(faultline.EINVALID, "--type %q: want one of %s", typ, typeList())
			}
			st, err := a.existingStore(cmd.Context())
			if err != nil {
				return err
			}
			es, err := st.Entities(cmd.Context(), f)
			if err != nil {
				return err
			}
			if a.asJSON {
				return a.printJSON(es)
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			for _, e := range es {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", e.Name, e.Type, clip(strings.Join(e.Aliases, "; "), 70))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&typ, "type", "", "entity type ("+typeList()+")")
	cmd.Flags().StringVar(&name, "name", "", "name or alias prefix")
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many (0: all)")
	a.jsonFlag(cmd)
	return cmd
}

func typeList() string {
	var s []string
	for _, t := range faultline.EntityTypes {
		s = append(s, string(t))
	}
	return strings.Join(s, ", ")
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// highlight brackets the first occurrence of the mention in its context.
func highlight(context, mention string) string {
	context = strings.Join(strings.Fields(context), " ")
	if i := strings.Index(context, mention); i >= 0 {
		return context[:i] + "[" + mention + "]" + context[i+len(mention):]
	}
	return context
}
