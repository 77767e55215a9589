package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/faultline-osint/faultline"
)

// Tables lists the CSV tables in the order WriteCSVDir writes them.
var Tables = []string{"sources", "entities", "relations", "events", "claims"}

// WriteCSVDir writes every table as NAME.csv into dir, creating it if
// needed. Each file is written to a temporary name and renamed, so a
// failure never leaves a half-written table behind a complete-looking one.
func WriteCSVDir(dir string, s *faultline.Snapshot) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return faultline.Errorf(faultline.EINVALID, "csv output %s: %w", dir, err)
	}
	for _, t := range Tables {
		path := filepath.Join(dir, t+".csv")
		f, err := os.CreateTemp(dir, "."+t+"-*.csv")
		if err != nil {
			return faultline.Errorf(faultline.EINTERNAL, "write %s: %w", path, err)
		}
		err = WriteCSV(f, t, s)
		if cerr := f.Close(); err == nil && cerr != nil {
			err = faultline.Errorf(faultline.EINTERNAL, "write %s: %w", path, cerr)
		}
		if err == nil {
			err = os.Rename(f.Name(), path)
		}
		if err != nil {
			os.Remove(f.Name())
			return err
		}
	}
	return nil
}

// WriteCSV writes one table: sources, entities, relations, events or
// claims. Lists inside a cell are joined with "; "; entity references are
// given by id and by name in separate columns. The events table holds the
// records of event datasets too, each an event of its own: the record_
// columns, empty for events from claims, give the record whole (its id and
// file, by source id, and line; the dataset's kind of event and precision
// codes; the period it allows; its place in words and its coordinates; low
// and high deaths, the best estimate being fatalities; its sources and
// notes in words). Text that a spreadsheet
// would read as a formula (starting with =, +, -, @, a tab or a carriage
// return) is prefixed with an apostrophe: evidence sentences come from
// documents nobody vetted.
func WriteCSV(w io.Writer, table string, s *faultline.Snapshot) error {
	cw := csv.NewWriter(w)
	ix := s.Index()
	name := func(id string) string {
		if e := ix.Entity[id]; e != nil {
			return e.Name
		}
		return ""
	}
	var err error
	write := func(rec ...string) {
		if err == nil {
			err = cw.Write(rec)
		}
	}
	switch table {
	case "sources":
		write("id", "sha256", "title", "url", "publisher", "author", "published", "format", "reliability", "tlp", "chars", "ingested_at")
		for _, src := range s.Sources {
			write(itoa64(src.ID), src.SHA256, text(src.Title), text(src.URL), text(src.Publisher), text(src.Author), src.Published,
				src.Format, string(src.Reliability), string(src.TLP), strconv.Itoa(src.Chars), src.IngestedAt.UTC().Format(time.RFC3339Nano))
		}
	case "entities":
		write("id", "name", "type", "aliases", "lat", "lon", "external_ids", "sources")
		for _, e := range s.Entities {
			var ext []string
			for _, x := range e.ExternalIDs {
				ext = append(ext, x.Scheme+":"+x.Value)
			}
			write(e.ID, text(e.Name), string(e.Type), text(strings.Join(e.Aliases, "; ")), float(e.Lat), float(e.Lon),
				text(strings.Join(ext, "; ")), strconv.Itoa(len(s.Mentions[e.ID])))
		}
	case "relations":
		write("subject_id", "subject", "predicate", "object_id", "object", "modality", "sources", "claims", "denials", "accepted",
			"valid_from", "valid_to", "first_reported", "last_reported", "support_kinds", "roles", "claim_ids")
		for _, r := range s.Relations {
			write(r.Subject.ID, text(r.Subject.Name), string(r.Predicate), r.Object.ID, text(r.Object.Name), string(r.Modality),
				strconv.Itoa(r.Sources), strconv.Itoa(r.Claims), strconv.Itoa(r.Denials), strconv.FormatBool(r.Accepted),
				r.ValidFrom, r.ValidTo, r.FirstReported, r.LastReported, text(strings.Join(r.SupportKinds, "; ")),
				text(strings.Join(r.Roles, "; ")), strings.Join(r.ClaimIDs, "; "))
		}
	case "events":
		write("id", "type", "date", "location_id", "location", "lat", "lon", "participants", "fatalities", "fatalities_is_lower_bound",
			"modality", "sources", "denials", "accepted", "claim_ids",
			"record_id", "record_source_id", "record_line", "record_sub_type", "record_date_prec", "record_date_start", "record_date_end",
			"record_place", "record_place_prec", "record_lat", "record_lon", "record_deaths_low", "record_deaths_high",
			"record_source_text", "record_notes")
		rec := make([]string, 15)
		for _, e := range s.Events {
			var locID, loc string
			var lat, lon *float64
			if e.Location != nil {
				locID, loc, lat, lon = e.Location.ID, e.Location.Name, e.Location.Lat, e.Location.Lon
			}
			var parts []string
			for _, p := range e.Participants {
				parts = append(parts, p.Name+" ("+string(p.Role)+")")
			}
			clear(rec)
			if r := e.Record; r != nil {
				rec = append(rec[:0], text(r.ID), itoa64(r.SourceID), strconv.Itoa(r.Line), text(r.SubType), code(r.DatePrec), r.DateStart, r.DateEnd,
					text(r.Place), code(r.PlacePrec), float(r.Lat), float(r.Lon), intp(r.DeathsLow), intp(r.DeathsHigh),
					text(r.SourceText), text(r.Notes))
			}
			write(append([]string{e.ID, string(e.Type), e.Date, locID, text(loc), float(lat), float(lon), text(strings.Join(parts, "; ")),
				intp(e.Fatalities), strconv.FormatBool(e.FatalitiesLow), string(e.Modality), strconv.Itoa(e.Sources),
				strconv.Itoa(e.Denials), strconv.FormatBool(e.Accepted), strings.Join(e.ClaimIDs, "; ")}, rec...)...)
		}
	case "claims":
		write("id", "source_id", "source_title", "tlp", "reliability", "kind", "subject_id", "subject", "predicate", "object_id", "object",
			"event_type", "event_date", "location", "participants", "fatalities", "modality", "attributed_to", "credibility",
			"valid_from", "valid_to", "evidence", "rule", "analyst", "status")
		for _, c := range s.Claims {
			var title, tlp, rel string
			if src := ix.Source[c.SourceID]; src != nil {
				title, tlp, rel = src.Title, string(src.TLP), string(src.Reliability)
			}
			var parts, ev []string
			for _, p := range c.Participants {
				parts = append(parts, name(p.Entity)+" ("+string(p.Role)+")")
			}
			for _, sp := range c.Evidence {
				ev = append(ev, sp.Text)
			}
			cred := ""
			if c.Credibility > 0 {
				cred = strconv.Itoa(c.Credibility)
			}
			write(c.ID, itoa64(c.SourceID), text(title), tlp, rel, string(c.Kind), c.Subject, text(name(c.Subject)), string(c.Predicate),
				c.Object, text(name(c.Object)), string(c.EventType), c.EventDate, text(name(c.Location)), text(strings.Join(parts, "; ")),
				intp(c.Fatalities), string(c.Modality), text(name(c.AttributedTo)), cred, c.ValidFrom, c.ValidTo,
				text(strings.Join(ev, " … ")), c.Rule, text(c.Analyst), string(c.Status))
		}
	default:
		return faultline.Errorf(faultline.EINVALID, "csv table %q: want one of %s", table, strings.Join(Tables, ", "))
	}
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	if err != nil {
		return fmt.Errorf("write %s.csv: %w", table, err)
	}
	return nil
}

// text guards a free-text cell against formula injection.
func text(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func float(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// code is a dataset's precision code, empty when it gives none (0).
func code(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func intp(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}
