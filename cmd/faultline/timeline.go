package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	faultline "github.com/faultline-osint/faultline"
)

func (a *app) timelineCommand() *cobra.Command {
	var f faultline.EventFilter
	var types []string
	cmd := &cobra.Command{
		Use:   "timeline",
		Short: "Events aggregated over every source, by date",
		Long: `Events aggregated over every source, by date (undated last): claims of the
same type on compatible dates ("2025-03" and "2025-03-11") at the same place or
with a shared participant are one event. --from and --to take partial dates
and include the whole period: --from 2024 --to 2025 is 2024-01-01 to
2025-12-31; an event is shown when its date overlaps the range. --place also
finds events at places that located_in relations put within it. The records
of imported event datasets (UCDP GED, ACLED) are events of their own, each
shown with its record id and its line in the file.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			for _, v := range types {
				for _, s := range strings.Split(v, ",") {
					t := faultline.EventType(strings.TrimSpace(s))
					if !t.Valid() {
						return faultline.Errorf(faultline.EINVALID, "--type %q: want one of %s", s, eventTypeList())
					}
					f.Types = append(f.Types, t)
				}
			}
			for _, d := range []struct{ flag, value string }{{"from", f.From}, {"to", f.To}} {
				if _, err := faultline.ParseDate(d.value); d.value != "" && err != nil {
					return faultline.Errorf(faultline.EINVALID, "--%s %q: want a date YYYY, YYYY-MM or YYYY-MM-DD", d.flag, d.value)
				}
			}
			if _, _, err := faultline.ParseDateRange(f.From, f.To); err != nil {
				return err
			}
			st, err := a.existingStore(ctx)
			if err != nil {
				return err
			}
			es, err := st.Events(ctx, f)
			if err != nil {
				return err
			}
			if a.asJSON {
				return a.printJSON(es)
			}
			if len(es) == 0 {
				fmt.Fprintln(a.stdout, "no events")
				return nil
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "DATE\tTYPE\tPLACE\tPARTICIPANTS\tKILLED\tMODALITY\tSOURCES")
			for _, e := range es {
				date := e.Date
				if date == "" {
					date = "undated"
				}
				place := ""
				if e.Location != nil {
					place = e.Location.Name
				}
				var parts []string
				for _, p := range e.Participants {
					parts = append(parts, p.Name+" ("+string(p.Role)+")")
				}
				modality := string(e.Modality)
				if e.Denials > 0 {
					modality += ", " + plural(e.Denials, "denial")
				}
				sources := fmt.Sprint(e.Sources)
				if r := e.Record; r != nil {
					// A dataset record: its id and line in the file.
					sources += fmt.Sprintf(" (%s, line %d)", r.ID, r.Line)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", date, e.Type, clip(place, 30), clip(strings.Join(parts, ", "), 80),
					fatalities(e.Fatalities, e.FatalitiesLow), modality, sources)
			}
			return tw.Flush()
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.Actor, "actor", "", "only events this entity takes part in")
	fl.StringVar(&f.Place, "place", "", "only events at this place or within it")
	fl.StringVar(&f.From, "from", "", "only events on or after this date (YYYY, YYYY-MM or YYYY-MM-DD)")
	fl.StringVar(&f.To, "to", "", "only events on or before the end of this date")
	fl.StringArrayVar(&types, "type", nil, "only this event type (repeatable, or comma-separated): "+eventTypeList())
	fl.IntVar(&f.Limit, "limit", 0, "at most this many (0: all)")
	a.jsonFlag(cmd)
	return cmd
}

func eventTypeList() string {
	var s []string
	for _, t := range faultline.EventTypes {
		s = append(s, string(t))
	}
	return strings.Join(s, ", ")
}
