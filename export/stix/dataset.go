package stix

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/faultline-osint/faultline"
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

// planRecord plans a dataset record's event and its relationships to its
// sides and place, all listed by its file's report.
func (x *Export) planRecord(i int32) error {
	e := &x.s.Events[i]
	r := e.Record
	src := x.ix.Source[r.SourceID]
	if src == nil {
		return fmt.Errorf("stix: dataset record %s: its file (source %d) is not in the snapshot", r.ID, r.SourceID)
	}
	if !finite(r.Lat) || !finite(r.Lon) {
		return fmt.Errorf("stix: dataset record %s has coordinates that are not numbers", r.ID)
	}
	links := numLinks(e)
	for k := range links {
		if x.link(e, k).target < 0 {
			return fmt.Errorf("stix: dataset record %s names an entity outside the snapshot", r.ID)
		}
	}
	sp := newSpan()
	sp.add(src)
	x.ref(src.ID, x.addID(withSpan(entry{kind: kEvent, typ: tEvent, idx: i}, &sp, true), e.ID))
	// The same relationships, with the same ids, as an event from claims.
	for k := range links {
		key := x.linkKey(e, x.link(e, k))
		x.ref(src.ID, x.add(withSpan(entry{kind: kEventLink, typ: tRelationship, idx: i, sub: int32(k), key: key}, &sp, true)))
	}
	return nil
}

// record adds to an event's object what only a dataset record has: the
// reference to the dataset and dataset_record.
func (x *Export) record(e *faultline.Event, v *recordEvent) {
	r := e.Record
	name, extID := DatasetReference(r.ID)
	v.ExternalReferences = append(v.ExternalReferences, externalRef{SourceName: name, ExternalID: extID,
		Description: x.ix.Source[r.SourceID].Title + ", line " + strconv.Itoa(r.Line)})
	v.Record = datasetRecord{ID: r.ID, Line: r.Line, SubType: r.SubType, DatePrec: r.DatePrec, DateStart: r.DateStart, DateEnd: r.DateEnd,
		Place: r.Place, PlacePrec: r.PlacePrec, Latitude: r.Lat, Longitude: r.Lon, DeathsLow: r.DeathsLow, DeathsHigh: r.DeathsHigh,
		SourceText: r.SourceText, Notes: r.Notes}
}

// orDate is bound, or date when the record gives no bound.
func orDate(bound, date string) string {
	if bound == "" {
		return date
	}
	return bound
}
