package importer

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/faultline-osint/faultline"
)

// ACLED (the Armed Conflict Location & Event Data project): one row per
// event, in the documented export columns. Each row becomes one dataset
// event (faultline.DatasetEvent, id "acled:<event_id_cnty>") whose source
// is the file: its line, type and sub-event type, date and time_precision,
// place and geo_precision, coordinates, actors, fatalities, ACLED's
// sources (source_text) and its notes, ACLED's description of the event,
// with the associated actors and the sides that are no actors.
//
// event_type and sub_event_type map to Faultline's event types (battles and
// riots are clashes, air and drone strikes and shelling are strikes, other
// remote violence and violence against civilians are attacks, strategic
// developments map by sub-event: agreement, arrest, …); protests have no
// Faultline event type and are counted as left out. actor1 is the agent and
// actor2 the target; the inter codes give their types (state forces are
// government bodies, rebel groups and militias armed groups, external
// forces organisations), and rioters, protesters and civilians are no
// actors. time_precision 1 dates the event to the day, 2 to the day with a
// week's valid range, 3 to the month; geo_precision 1–2 keep the row's
// coordinates for a place the gazetteer does not know.
//
// ACLED's terms forbid redistributing its rows: the tests run on rows the
// project wrote itself under the real header (testdata/acled-synthetic.csv).

// acledBatch is the number of ACLED rows per batch.
const acledBatch = 50000

var acledRequired = []string{"event_id_cnty", "event_date", "event_type", "actor1", "fatalities"}

// acledSub maps sub-event types that decide the Faultline type.
var acledSub = map[string]faultline.EventType{
	"air/drone strike":                  faultline.Strike,
	"shelling/artillery/missile attack": faultline.Strike,
	"agreement":                         faultline.Agreement,
	"arrests":                           faultline.Arrest,
	"change to group/activity":          faultline.Declaration,
	"headquarters or base established":  faultline.Relocation,
	"looting/property destruction":      faultline.Attack,
	"non-violent transfer of territory": faultline.Withdrawal,
	"disrupted weapons use":             faultline.Raid,
	"other":                             faultline.Statement,
}

// acledType maps an event and sub-event type to a Faultline event type;
// ok is false for the types Faultline has no word for (protests).
func acledType(event, sub string) (faultline.EventType, bool) {
	e, s := strings.ToLower(event), strings.ToLower(sub)
	switch e {
	case "battles", "riots":
		return faultline.Clash, true
	case "explosions/remote violence":
		if t, ok := acledSub[s]; ok && t == faultline.Strike {
			return t, true
		}
		return faultline.Attack, true
	case "violence against civilians":
		return faultline.Attack, true
	case "strategic developments":
		if t, ok := acledSub[s]; ok {
			return t, true
		}
		return faultline.Statement, true
	}
	return "", false
}

// acledInter maps an inter code (numeric in older exports, words in newer
// ones) to an entity type; "" for rioters, protesters and civilians.
func acledInter(code string) (faultline.EntityType, bool) {
	switch strings.ToLower(strings.TrimSpace(code)) {
	case "1", "state forces":
		return faultline.GovernmentBody, true
	case "2", "rebel group", "rebel groups", "3", "political militia", "political militias", "4", "identity militia", "identity militias":
		return faultline.ArmedGroup, true
	case "5", "rioters", "6", "protesters", "7", "civilians":
		return "", true
	case "8", "external/other forces", "external/other force":
		return faultline.Organization, true
	case "", "0":
		return faultline.ArmedGroup, true
	}
	return "", false
}

// acledPeriod matches the period ACLED appends to state forces
// ("Military Forces of Pakistan (2018-)").
var acledPeriod = regexp.MustCompile(`\s*\((\d{4})-(\d{4})?\)$`)

func readACLED(ctx context.Context, in *input, res *resolver, o *Options, sum *Summary, emit func(*faultline.ImportBatch) error) error {
	t, bt, err := openTable("acled", in, acledRequired, acledBatch, o, emit)
	if err != nil {
		return err
	}
	bt.dataset = datasetSource(in, o, "acled", "ACLED", "ACLED",
		"ACLED export "+in.name+". Each row is stored as a dataset event with the line it starts on, its date and "+
			"time_precision, place and geo_precision, coordinates, fatalities, the actors, ACLED's sources and notes.")
	c := struct {
		id, date, prec, event, sub, actor1, assoc1, inter1, actor2, assoc2, inter2, country, admin1, admin2, admin3,
		location, lat, lon, geoPrec, source, notes, fatalities int
	}{
		t.col("event_id_cnty"), t.col("event_date"), t.col("time_precision"), t.col("event_type"), t.col("sub_event_type"),
		t.col("actor1"), t.col("assoc_actor_1"), t.col("inter1"), t.col("actor2"), t.col("assoc_actor_2"), t.col("inter2"),
		t.col("country"), t.col("admin1"), t.col("admin2"), t.col("admin3"), t.col("location"), t.col("latitude"),
		t.col("longitude"), t.col("geo_precision"), t.col("source"), t.col("notes"), t.col("fatalities"),
	}
	return readRows(ctx, t, sum, bt, func(rec []string, line int) error {
		get := func(i int) string {
			if i < 0 {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		id := get(c.id)
		if id == "" {
			return bad("event_id_cnty is empty")
		}
		day, err := acledDate(get(c.date))
		if err != nil {
			return bad("event_date %q: want YYYY-MM-DD or 31 January 2023", get(c.date))
		}
		prec := 1
		if s := get(c.prec); s != "" {
			if prec, err = strconv.Atoi(s); err != nil || prec < 1 || prec > 3 {
				return bad("time_precision %q: want 1, 2 or 3", s)
			}
		}
		fat, err := count(get(c.fatalities))
		if err != nil {
			return bad("fatalities %q: want a count", get(c.fatalities))
		}
		lat, lon, err := coords(get(c.lat), get(c.lon))
		if err != nil {
			return err
		}
		geoPrec := 1
		if s := get(c.geoPrec); s != "" {
			if geoPrec, err = strconv.Atoi(s); err != nil || geoPrec < 1 || geoPrec > 3 {
				return bad("geo_precision %q: want 1, 2 or 3", s)
			}
		}
		typ, ok := acledType(get(c.event), get(c.sub))
		if !ok {
			sum.exclude("acled " + strings.ToLower(pick(get(c.event), "event type missing")) + ": no Faultline event type")
			return nil
		}
		d := faultline.Date{Year: day.Year(), Month: int(day.Month()), Day: day.Day()}
		date, from, to := d.String(), d.String(), d.String()
		switch prec {
		case 2:
			from, to = day.AddDate(0, 0, -3).Format("2006-01-02"), day.AddDate(0, 0, 3).Format("2006-01-02")
		case 3:
			date = faultline.Date{Year: d.Year, Month: d.Month}.String()
			from, to = date, date
		}

		country := res.countryCode(get(c.country))

		ev := faultline.DatasetEvent{
			ID: "acled:" + id, Line: line, Type: typ, SubType: pick(get(c.sub), get(c.event)),
			Date: date, DatePrec: prec, DateStart: from, DateEnd: to,
			PlacePrec: geoPrec, Lat: lat, Lon: lon, Deaths: &fat,
		}
		var others []string // sides that are no actors
		for i, side := range []struct{ name, inter string }{{get(c.actor1), get(c.inter1)}, {get(c.actor2), get(c.inter2)}} {
			if side.name == "" {
				continue
			}
			et, ok := acledInter(side.inter)
			if !ok {
				return bad("inter%d %q: want an ACLED inter code", i+1, side.inter)
			}
			if et == "" {
				others = append(others, side.name)
				continue
			}
			ref := "acled-actor:" + res.norm(side.name)
			if !bt.ents[ref] {
				name := acledPeriod.ReplaceAllString(side.name, "")
				if res.norm(name) == "" {
					return bad("actor%d %q has no letters or digits", i+1, side.name)
				}
				e := faultline.ImportEntity{Ref: ref, Name: name, Type: et}
				e.Aliases = addAlias(e.Aliases, name, side.name)
				bt.entity(res.named(e))
			}
			if i == 0 {
				ev.Agent = ref
			} else {
				ev.Target = ref
			}
		}

		name := get(c.location)
		if geoPrec == 3 && get(c.admin1) != "" {
			name = get(c.admin1)
		}
		ev.Location = bt.place(res, "acled-place:", pick(name, get(c.admin2), get(c.admin1)), country, lat, lon, geoPrec <= 2)
		ev.Place = strings.Join(nonEmpty(get(c.location), get(c.admin3), get(c.admin2), get(c.admin1), get(c.country)), ", ")

		ev.SourceText = clean(get(c.source))
		notes := clean(get(c.notes))
		if len(others) > 0 {
			notes = strings.TrimSpace(notes + " Sides that are no actors: " + strings.Join(others, "; ") + ".")
		}
		if a := strings.Trim(clean(get(c.assoc1)+"; "+get(c.assoc2)), "; "); a != "" {
			notes = strings.TrimSpace(notes + " Associated actors: " + a + ".")
		}
		ev.Notes = notes
		bt.event(ev)
		sum.Imported++
		return nil
	})
}

// acledDate reads an ACLED event date: ISO ("2023-01-31") as current
// exports give it, or "31 January 2023" as older ones did.
func acledDate(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", "2 January 2006", "02 January 2006", "2-January-2006"} {
		if t, err := time.Parse(layout, s); err == nil && t.Year() >= 1 { // year 0 is no date
			return t, nil
		}
	}
	return time.Time{}, faultline.Errorf(faultline.EINVALID, "date %q", s)
}
