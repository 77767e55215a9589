package importer

import (
	"context"
	"strconv"
	"strings"

	"github.com/faultline-osint/faultline"
)

// UCDP GED (the Georeferenced Event Dataset): one row per event, either the
// canonical layout of 49 columns or the HDX variant, which adds an iso3
// column and a row of HXL hashtags under the header. Columns are found by
// name, so either layout (and later versions that add columns) reads.
//
// Each row becomes one dataset event (faultline.DatasetEvent, id
// "ucdp:<id>") whose source is the file: its line, the kind of violence,
// the sides, the date at the precision date_prec gives (day for 1–3, month
// for 4, year for 5) with date_start and date_end as its period, the place
// and where_prec, the coordinates, best/low/high deaths, the articles UCDP
// coded it from (source_article, source_original) and, in its notes, the
// dyad, the conflict, the place description and the deaths by side.
// side_a is the agent and side_b the target, except "Civilians"
// (one-sided violence), which is no actor. The location is the gazetteer
// place named by where_coordinates when one lies within 30 km (or the
// admin region or country for coarser where_prec), else a place of that
// name at the row's coordinates; rows of where_prec 7 (international
// waters) have none.

// ucdpBatch is the number of GED rows per batch (one transaction). Large
// batches pay off: every commit writes the pages it touched, and the fewer
// commits, the fewer times each page is written; 50,000 rows of about
// 500 bytes keep a batch near 30 MB in memory.
const ucdpBatch = 50000

// ucdpRequired are the columns a GED file must have.
var ucdpRequired = []string{"id", "type_of_violence", "side_a", "side_b", "date_start", "best"}

// ucdpViolence maps type_of_violence to an event type and its name.
var ucdpViolence = map[string]struct {
	typ  faultline.EventType
	name string
}{
	"1": {faultline.Clash, "state-based conflict"},
	"2": {faultline.Clash, "non-state conflict"},
	"3": {faultline.Attack, "one-sided violence"},
}

// ucdpPlaceWords are the generic words GED appends to place names
// ("Peshawar town", "Kurram district").
var ucdpPlaceWords = []string{" town", " village", " city", " district", " province", " area", " region", " tehsil", " agency", " state"}

func readUCDP(ctx context.Context, in *input, res *resolver, o *Options, sum *Summary, emit func(*faultline.ImportBatch) error) error {
	t, bt, err := openTable("ucdp", in, ucdpRequired, ucdpBatch, o, emit)
	if err != nil {
		return err
	}
	bt.dataset = datasetSource(in, o, "ucdp", "UCDP GED", "UCDP",
		"UCDP Georeferenced Event Dataset (GED) file "+in.name+". Each row is stored as a dataset event with the line it starts on, "+
			"its dates and their precision (date_prec), place and where_prec, coordinates, best, low and high deaths, "+
			"the sides as actors and the source articles UCDP coded it from.")
	col := func(name string) int { return t.col(name) }
	c := struct {
		id, tov, sideA, sideAID, sideADset, sideB, sideBID, sideBDset, dateStart, dateEnd, datePrec, wherePrec,
		where, whereDesc, adm1, adm2, lat, lon, country, iso3, best, low, high, deathsA, deathsB, deathsCiv, deathsUnk,
		article, original, dyad, conflict int
	}{
		col("id"), col("type_of_violence"), col("side_a"), col("side_a_new_id"), col("side_a_dset_id"),
		col("side_b"), col("side_b_new_id"), col("side_b_dset_id"), col("date_start"), col("date_end"), col("date_prec"),
		col("where_prec"), col("where_coordinates"), col("where_description"), col("adm_1"), col("adm_2"), col("latitude"),
		col("longitude"), col("country"), col("iso3"), col("best"), col("low"), col("high"), col("deaths_a"), col("deaths_b"),
		col("deaths_civilians"), col("deaths_unknown"), col("source_article"), col("source_original"),
		col("dyad_name"), col("conflict_name"),
	}
	var notes strings.Builder
	return readRows(ctx, t, sum, bt, func(rec []string, line int) error {
		get := func(i int) string {
			if i < 0 {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		id := get(c.id)
		if id == "" {
			return bad("id is empty")
		}
		viol, ok := ucdpViolence[get(c.tov)]
		if !ok {
			return bad("type_of_violence %q: want 1, 2 or 3", get(c.tov))
		}
		first, err := gedDay(get(c.dateStart))
		if err != nil {
			return bad("date_start %q: want YYYY-MM-DD", get(c.dateStart))
		}
		last := first
		if s := get(c.dateEnd); s != "" {
			if last, err = gedDay(s); err != nil {
				return bad("date_end %q: want YYYY-MM-DD", s)
			}
		}
		prec := 1
		if s := get(c.datePrec); s != "" {
			if prec, err = strconv.Atoi(s); err != nil || prec < 1 || prec > 5 {
				return bad("date_prec %q: want 1–5", s)
			}
		}
		wherePrec := 1
		if s := get(c.wherePrec); s != "" {
			if wherePrec, err = strconv.Atoi(s); err != nil || wherePrec < 1 || wherePrec > 7 {
				return bad("where_prec %q: want 1–7", s)
			}
		}
		best, err := count(get(c.best))
		if err != nil {
			return bad("best %q: want a count of deaths", get(c.best))
		}
		var low, high *int
		for _, f := range []struct {
			name string
			col  int
			p    **int
		}{{"low", c.low, &low}, {"high", c.high, &high}} {
			if s := get(f.col); s != "" {
				n, err := count(s)
				if err != nil {
					return bad("%s %q: want a count of deaths", f.name, s)
				}
				*f.p = &n
			}
		}
		lat, lon, err := coords(get(c.lat), get(c.lon))
		if err != nil {
			return err
		}

		date := first // YYYY-MM-DD
		switch prec {
		case 4:
			date = first[:7]
		case 5:
			date = first[:4]
		}
		ev := faultline.DatasetEvent{
			ID: "ucdp:" + id, Line: line, Type: viol.typ, SubType: viol.name,
			Date: date, DatePrec: prec, DateStart: first, DateEnd: last,
			PlacePrec: wherePrec, Lat: lat, Lon: lon, Deaths: &best, DeathsLow: low, DeathsHigh: high,
		}

		// Actors.
		sideA, sideB := get(c.sideA), get(c.sideB)
		for i, side := range []struct{ name, id, dset string }{
			{sideA, get(c.sideAID), get(c.sideADset)},
			{sideB, get(c.sideBID), get(c.sideBDset)},
		} {
			if side.name == "" || strings.EqualFold(side.name, "Civilians") {
				continue
			}
			if res.norm(side.name) == "" {
				return bad("side %q has no letters or digits", side.name)
			}
			ref := ucdpActorRef(res, side.name, side.id, side.dset)
			if !bt.ents[ref] {
				bt.entity(res.actor(ucdpActor(ref, side.name, pick(side.id, side.dset))))
			}
			if i == 0 {
				ev.Agent = ref
			} else {
				ev.Target = ref
			}
		}

		// Place.
		country := pick(get(c.iso3), res.countryCode(get(c.country)))
		if wherePrec < 7 {
			name := ""
			switch {
			case wherePrec >= 6:
				name = get(c.country)
			case wherePrec >= 4 && get(c.adm1) != "":
				name = gedPlaceName(get(c.adm1))
			}
			if name == "" {
				name = gedPlaceName(pick(get(c.where), get(c.adm2), get(c.adm1), get(c.country)))
			}
			ev.Location = bt.place(res, "ucdp-place:", name, country, lat, lon, wherePrec <= 3)
		}
		ev.Place = strings.Join(nonEmpty(get(c.where), get(c.adm2), get(c.adm1), get(c.country)), ", ")

		// The record's words: its sources, and in the notes what the
		// columns above do not carry.
		ev.SourceText = clean(get(c.article))
		if s := clean(get(c.original)); s != "" {
			ev.SourceText = strings.TrimSpace(ev.SourceText + " Original source: " + s + ".")
		}
		// The dyad names both sides as UCDP does, "Civilians" included.
		notes.Reset()
		if d := get(c.dyad); d != "" {
			notes.WriteString("Dyad: " + d + ".")
		} else {
			notes.WriteString("Sides: " + pick(sideA, "unknown") + " v. " + pick(sideB, "unknown") + ".")
		}
		if cn := get(c.conflict); cn != "" {
			notes.WriteString(" Conflict: " + cn + ".")
		}
		if d := clean(get(c.whereDesc)); d != "" {
			notes.WriteString(" Where: " + d + ".")
		}
		if a, b, civ, unk := get(c.deathsA), get(c.deathsB), get(c.deathsCiv), get(c.deathsUnk); a != "" || b != "" || civ != "" || unk != "" {
			notes.WriteString(" Deaths: side a " + pick(a, "?") + ", side b " + pick(b, "?") + ", civilians " + pick(civ, "?") + ", unknown " + pick(unk, "?") + ".")
		}
		ev.Notes = notes.String()
		bt.event(ev)
		sum.Imported++
		return nil
	})
}

// ucdpActorRef is the batch ref of a GED side: its UCDP actor id when the
// row gives one.
func ucdpActorRef(res *resolver, name, newID, dsetID string) string {
	if id := pick(newID, dsetID); id != "" && id != "-1" {
		return "ucdp:" + id
	}
	return "ucdp-name:" + res.norm(name)
}

// ucdpActor is the entity of a GED side before dictionary resolution:
// "Government of X" is a state, anything else an armed group.
func ucdpActor(ref, name, id string) faultline.ImportEntity {
	e := faultline.ImportEntity{Ref: ref, Name: name, Type: faultline.ArmedGroup}
	if strings.HasPrefix(name, "Government of ") {
		e.Type = faultline.Country
	}
	if id != "" && id != "-1" {
		e.ExternalIDs = []faultline.ExternalID{{Scheme: "ucdp", Value: id}}
	}
	return e
}

// gedDay reads a GED date, "2020-03-01" or with a time as the canonical
// CSV gives it ("2020-03-01 00:00:00.000"), and returns the day as
// YYYY-MM-DD.
func gedDay(s string) (string, error) {
	if len(s) > 10 && (s[10] == ' ' || s[10] == 'T') {
		s = s[:10]
	}
	d, err := faultline.ParseDate(s)
	if err != nil || d.Precision() != faultline.DayPrecise || len(s) != 10 {
		return "", faultline.Errorf(faultline.EINVALID, "date %q: want YYYY-MM-DD", s)
	}
	return s, nil
}

// gedPlaceName drops the generic word GED appends to a place name.
func gedPlaceName(s string) string {
	s = clean(s)
	low := strings.ToLower(s)
	for _, w := range ucdpPlaceWords {
		if strings.HasSuffix(low, w) && len(s) > len(w) {
			return strings.TrimSpace(s[:len(s)-len(w)])
		}
	}
	return s
}

// count reads a non-negative count.
func count(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, faultline.Errorf(faultline.EINVALID, "count %q", s)
	}
	return n, nil
}

// coords reads a latitude and a longitude; both empty is no coordinates.
func coords(la, lo string) (lat, lon *float64, err error) {
	if la == "" && lo == "" {
		return nil, nil, nil
	}
	a, err1 := strconv.ParseFloat(la, 64)
	b, err2 := strconv.ParseFloat(lo, 64)
	if err1 != nil || err2 != nil || !(a >= -90 && a <= 90 && b >= -180 && b <= 180) { // NaN fails too
		return nil, nil, bad("coordinates %q, %q: want a latitude and a longitude in degrees", la, lo)
	}
	return &a, &b, nil
}

// pick returns the first non-empty string.
func pick(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = clean(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
