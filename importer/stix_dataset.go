package importer

import (
	"encoding/json"
	"strings"

	"github.com/faultline-osint/faultline"
)

// Dataset records in STIX. Faultline's exporter writes each record of an
// event dataset (a UCDP GED or ACLED row) as an x-faultline-event carrying
// dataset_record (see export/stix). Such an event is read back as a
// dataset record under its own id ("ucdp:59553"), not as an event claim,
// so that a round trip gives the same record: the same event id, its line,
// precision codes, period, coordinates, range of deaths and words. Its
// source is the report that lists it (its file), which becomes a dataset
// source of the record's format. The records go in batches of their own
// after the bundle's batch, one per file, since a batch holds the records
// of one dataset source; each lists again the entities its records name,
// which resolve to those the first batch stored.

// stixRecord is the dataset_record property.
type stixRecord struct {
	ID         string   `json:"id"`
	Line       int      `json:"line"`
	SubType    string   `json:"sub_type"`
	DatePrec   int      `json:"date_prec"`
	DateStart  string   `json:"date_start"`
	DateEnd    string   `json:"date_end"`
	Place      string   `json:"place"`
	PlacePrec  int      `json:"place_prec"`
	Latitude   *float64 `json:"latitude"`
	Longitude  *float64 `json:"longitude"`
	DeathsLow  *int     `json:"deaths_low"`
	DeathsHigh *int     `json:"deaths_high"`
	SourceText string   `json:"source_text"`
	Notes      string   `json:"notes"`
}

// stixDatasets collects the records of a bundle by their file, in the
// order the files first appear.
type stixDatasets struct {
	order   []*stixSource
	batches map[*stixSource]*datasetBatch
}

// datasetBatch is a file's batch and the refs of the entities it lists.
type datasetBatch struct {
	b    faultline.ImportBatch
	ents map[string]bool
}

// record maps an x-faultline-event that carries dataset_record to a
// dataset event of the file whose report lists it; false when the object
// is no valid record (it is then read as any other event).
func (st *stixImport) record(ob *stixObject, reportOf map[string]*stixObject) bool {
	var raw struct {
		Record *stixRecord `json:"dataset_record"`
	}
	if err := json.Unmarshal(ob.raw, &raw); err != nil || raw.Record == nil {
		return false
	}
	rec := raw.Record
	prefix, _, ok := strings.Cut(rec.ID, ":")
	if !ok || prefix == "" || rec.Line < 0 {
		return false
	}
	var typ faultline.EventType
	for _, t := range ob.EventTypes {
		if faultline.EventType(t).Valid() {
			typ = faultline.EventType(t)
			break
		}
	}
	if typ == "" {
		return false
	}
	if _, err := faultline.ParseDate(ob.Date); err != nil {
		return false // a record is dated
	}
	for _, n := range []*int{ob.Fatalities, rec.DeathsLow, rec.DeathsHigh} {
		if n != nil && *n < 0 {
			return false
		}
	}
	ev := faultline.DatasetEvent{ID: rec.ID, Line: rec.Line, Type: typ, SubType: rec.SubType,
		Date: ob.Date, DatePrec: rec.DatePrec, DateStart: rec.DateStart, DateEnd: rec.DateEnd,
		Place: rec.Place, PlacePrec: rec.PlacePrec, Deaths: ob.Fatalities, DeathsLow: rec.DeathsLow, DeathsHigh: rec.DeathsHigh,
		FatalitiesLow: ob.FatalitiesLower, SourceText: rec.SourceText, Notes: rec.Notes}
	if la, lo := rec.Latitude, rec.Longitude; la != nil && lo != nil && *la >= -90 && *la <= 90 && *lo >= -180 && *lo <= 180 {
		ev.Lat, ev.Lon = la, lo
	}
	var refs []string
	if _, ok := st.entities[ob.LocationRef]; ok {
		ev.Location = ob.LocationRef
		refs = append(refs, ob.LocationRef)
	}
	for _, p := range ob.Participants {
		if _, ok := st.entities[p.Ref]; !ok {
			continue
		}
		// A record has one agent and one target; other roles are no part
		// of it (the exporter writes none).
		switch faultline.ParticipantRole(p.Role) {
		case faultline.RoleAgent:
			if ev.Agent == "" {
				ev.Agent = p.Ref
				refs = append(refs, p.Ref)
			}
		case faultline.RoleTarget:
			if ev.Target == "" {
				ev.Target = p.Ref
				refs = append(refs, p.Ref)
			}
		}
	}

	// The file is stored by the bundle's batch, as a dataset source of
	// the record's format.
	file := st.source(reportOf[ob.ID])
	file.src.Format = prefix
	if st.datasets == nil {
		st.datasets = &stixDatasets{batches: map[*stixSource]*datasetBatch{}}
	}
	db := st.datasets.batches[file]
	if db == nil {
		db = &datasetBatch{ents: map[string]bool{}}
		st.datasets.batches[file] = db
		st.datasets.order = append(st.datasets.order, file)
		if file.text.Len() == 0 {
			file.text.WriteString("Records of " + file.src.Title + ", read from the STIX bundle " + st.in.name + ".")
		}
	}
	for _, ref := range refs {
		if !db.ents[ref] {
			db.ents[ref] = true
			db.b.Entities = append(db.b.Entities, st.entities[ref])
		}
	}
	db.b.Events = append(db.b.Events, ev)
	return true
}

// emitRecords emits the dataset records' batches, after the bundle's
// batch (index 0) that stores their files and entities: their input
// records were counted there.
func (st *stixImport) emitRecords(emit func(*faultline.ImportBatch) error) error {
	if st.datasets == nil {
		return nil
	}
	for i, file := range st.datasets.order {
		b := &st.datasets.batches[file].b
		b.Index = 1 + i
		src := file.src
		src.Text = file.text.String()
		b.Dataset = &src
		if err := emit(b); err != nil {
			return err
		}
	}
	return nil
}

// exportedUnmatched reports whether a location object comes from
// Faultline's own export (x_faultline_entity_type) without a gazetteer
// reference: a place the gazetteer did not know where it was exported
// (most often a dataset record's place, at the record's coordinates). It
// is kept as exported rather than matched by name again, which could
// take it for a namesake elsewhere: an admin region has no coordinates to
// check a match against (UCDP's "Safi" in Kunar matched Safi in Malta).
func exportedUnmatched(ob *stixObject) bool {
	if ob.XEntityType == "" {
		return false
	}
	for _, x := range ob.ExternalRefs {
		switch strings.ToLower(strings.TrimSpace(x.SourceName)) {
		case "faultline", "geonames", "iso3166":
			return false
		}
	}
	return true
}
