package stix

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/export"
)

// Dataset records (UCDP GED, ACLED rows; faultline.Event with Record set)
// are x-faultline-event objects like the events aggregated from claims, so
// that a consumer reads both alike, with what only a record has in
// dataset_record (see the schema): the record's id and line in its file,
// the dataset's own precision codes for date and place, the period the
// record allows, its coordinates, the range of deaths, and its words (the
// sources it was coded from, its notes). An external reference names the
// dataset and the record's id there. The record's source is its file: the
// file's report lists it, it takes the file's marking and times, and it
// has no notes, since the record itself is the evidence.

// recordEvent is an x-faultline-event for a dataset record.
type recordEvent struct {
	event
	Record datasetRecord `json:"dataset_record"`
}

// datasetRecord is the dataset_record property.
type datasetRecord struct {
	ID         string   `json:"id"`
	Line       int      `json:"line"`
	SubType    string   `json:"sub_type,omitempty"`
	DatePrec   int      `json:"date_prec,omitempty"`
	DateStart  string   `json:"date_start,omitempty"`
	DateEnd    string   `json:"date_end,omitempty"`
	Place      string   `json:"place,omitempty"`
	PlacePrec  int      `json:"place_prec,omitempty"`
	Latitude   *float64 `json:"latitude,omitempty"`
	Longitude  *float64 `json:"longitude,omitempty"`
	DeathsLow  *int     `json:"deaths_low,omitempty"`
	DeathsHigh *int     `json:"deaths_high,omitempty"`
	SourceText string   `json:"source_text,omitempty"`
	Notes      string   `json:"notes,omitempty"`
}

// datasetNames are the external reference source names of the datasets, by
// the prefix of their record ids; another prefix is its own name.
var datasetNames = map[string]string{"ucdp": "ucdp-ged", "acled": "acled"}

// DatasetReference returns the source name and external id of a dataset
// record's external reference: "ucdp:59553" is ucdp-ged 59553.
func DatasetReference(recordID string) (name, id string) {
	prefix, id, ok := strings.Cut(recordID, ":")
	if !ok {
		return "dataset", recordID
	}
	if n, ok := datasetNames[prefix]; ok {
		return n, id
	}
	return prefix, id
}

// record emits a dataset record's event and its relationships to its sides
// and place.
func (b *builder) record(e *faultline.Event) error {
	r := e.Record
	src := b.ix.Source[r.SourceID]
	if src == nil {
		return fmt.Errorf("stix: dataset record %s: its file (source %d) is not in the snapshot", r.ID, r.SourceID)
	}
	id := EventID(e.ID)
	sp := newSpan()
	sp.add(src)
	b.ref(src.ID, id)
	created, modified := sp.times()
	conf := Confidence(e.Modality)
	name, extID := DatasetReference(r.ID)
	c := common{Type: EventType, ID: id, CreatedByRef: ProducerID, Created: created, Modified: modified, Confidence: &conf,
		ExternalReferences: []externalRef{{SourceName: name, ExternalID: extID,
			Description: src.Title + ", line " + strconv.Itoa(r.Line)}},
		Extensions: map[string]extension{EventExtensionID: {ExtensionType: "new-sdo"}}}
	v := recordEvent{
		event: event{common: c, Name: export.EventLabel(e), EventTypes: []string{string(e.Type)}, Date: e.Date,
			StartTime: dateStart(orDate(r.DateStart, e.Date)), StopTime: dateStop(orDate(r.DateEnd, e.Date)),
			Fatalities: e.Fatalities, FatalitiesLower: e.FatalitiesLow, Modality: string(e.Modality), Sources: e.Sources, Denials: e.Denials},
		Record: datasetRecord{ID: r.ID, Line: r.Line, SubType: r.SubType, DatePrec: r.DatePrec, DateStart: r.DateStart, DateEnd: r.DateEnd,
			Place: r.Place, PlacePrec: r.PlacePrec, Latitude: r.Lat, Longitude: r.Lon, DeathsLow: r.DeathsLow, DeathsHigh: r.DeathsHigh,
			SourceText: r.SourceText, Notes: r.Notes},
	}
	if d, err := faultline.ParseDate(e.Date); err == nil {
		v.DatePrecision = []string{"", "year", "month", "day"}[d.Precision()]
	}
	if v.StartTime != "" && v.StopTime != "" && v.StopTime <= v.StartTime {
		// A period that ends before it starts says nothing: the date's.
		v.StartTime, v.StopTime = dateStart(e.Date), dateStop(e.Date)
	}
	type link struct{ typ, role, target string }
	var links []link
	if e.Location != nil {
		v.LocationRef = b.stixID[e.Location.ID]
		links = append(links, link{"located-at", "location", v.LocationRef})
	}
	for _, p := range e.Participants {
		ref := b.stixID[p.ID]
		v.Participants = append(v.Participants, participant{Ref: ref, Role: string(p.Role)})
		typ := "related-to"
		switch p.Role {
		case faultline.RoleAgent:
			typ = "attributed-to"
		case faultline.RoleTarget:
			typ = "targets"
		}
		links = append(links, link{typ, string(p.Role), ref})
	}
	for _, l := range links {
		if l.target == "" {
			return fmt.Errorf("stix: dataset record %s names an entity outside the snapshot", r.ID)
		}
	}
	if err := b.emit(&v.common, sp.hi, &v); err != nil {
		return err
	}
	// The same relationships, with the same ids, as an event from claims.
	for _, l := range links {
		rid := "relationship--" + uuid.NewSHA1(namespace, []byte("event:"+e.ID+":"+l.role+":"+l.target)).String()
		rc := common{Type: "relationship", ID: rid, CreatedByRef: ProducerID, Created: created, Modified: modified, Confidence: &conf}
		withProps(&rc)
		rel := relationship{common: rc, RelationshipType: l.typ, SourceRef: id, TargetRef: l.target,
			StartTime: v.StartTime, StopTime: v.StopTime, XEventRole: l.role, XModality: v.Modality, XSources: e.Sources, XDenials: e.Denials}
		if err := b.emit(&rel.common, sp.hi, &rel); err != nil {
			return err
		}
		b.ref(src.ID, rid)
	}
	return nil
}

// orDate is bound, or date when the record gives no bound.
func orDate(bound, date string) string {
	if bound == "" {
		return date
	}
	return bound
}
