package stix

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/export"
	"github.com/faultline-osint/faultline/gazetteer"
)

// extension is one entry of an object's extensions.
type extension struct {
	ExtensionType string `json:"extension_type"`
	TLP           string `json:"tlp_2_0,omitempty"`
}

// common holds the properties every SDO and SRO shares.
type common struct {
	Type               string               `json:"type"`
	SpecVersion        string               `json:"spec_version"`
	ID                 string               `json:"id"`
	CreatedByRef       string               `json:"created_by_ref,omitempty"`
	Created            string               `json:"created"`
	Modified           string               `json:"modified"`
	Confidence         *int                 `json:"confidence,omitempty"`
	ExternalReferences []externalRef        `json:"external_references,omitempty"`
	ObjectMarkingRefs  []string             `json:"object_marking_refs,omitempty"`
	Extensions         map[string]extension `json:"extensions,omitempty"`
}

type externalRef struct {
	SourceName  string            `json:"source_name"`
	Description string            `json:"description,omitempty"`
	URL         string            `json:"url,omitempty"`
	Hashes      map[string]string `json:"hashes,omitempty"`
	ExternalID  string            `json:"external_id,omitempty"`
}

type markingDefinition struct {
	Type        string               `json:"type"`
	SpecVersion string               `json:"spec_version"`
	ID          string               `json:"id"`
	Created     string               `json:"created"`
	Name        string               `json:"name"`
	Extensions  map[string]extension `json:"extensions"`
}

type extensionDefinition struct {
	common
	Name                string   `json:"name"`
	Description         string   `json:"description"`
	Schema              string   `json:"schema"`
	Version             string   `json:"version"`
	ExtensionTypes      []string `json:"extension_types"`
	ExtensionProperties []string `json:"extension_properties,omitempty"`
}

type identity struct {
	common
	Name          string   `json:"name"`
	Description   string   `json:"description,omitempty"`
	IdentityClass string   `json:"identity_class"`
	Sectors       []string `json:"sectors,omitempty"`
	XEntityType   string   `json:"x_faultline_entity_type,omitempty"`
	XAliases      []string `json:"x_faultline_aliases,omitempty"`
	XSources      *int     `json:"x_faultline_sources,omitempty"`
}

type threatActor struct {
	common
	Name             string   `json:"name"`
	ThreatActorTypes []string `json:"threat_actor_types"`
	Aliases          []string `json:"aliases,omitempty"`
	Roles            []string `json:"roles,omitempty"`
	XEntityType      string   `json:"x_faultline_entity_type"`
	XSources         int      `json:"x_faultline_sources"`
}

type location struct {
	common
	Name               string   `json:"name"`
	Latitude           *float64 `json:"latitude,omitempty"`
	Longitude          *float64 `json:"longitude,omitempty"`
	Precision          *float64 `json:"precision,omitempty"`
	Region             string   `json:"region,omitempty"`
	Country            string   `json:"country,omitempty"`
	AdministrativeArea string   `json:"administrative_area,omitempty"`
	City               string   `json:"city,omitempty"`
	XEntityType        string   `json:"x_faultline_entity_type"`
	XAliases           []string `json:"x_faultline_aliases,omitempty"`
	XSources           int      `json:"x_faultline_sources"`
}

type relationship struct {
	common
	RelationshipType string   `json:"relationship_type"`
	Description      string   `json:"description,omitempty"`
	SourceRef        string   `json:"source_ref"`
	TargetRef        string   `json:"target_ref"`
	StartTime        string   `json:"start_time,omitempty"`
	StopTime         string   `json:"stop_time,omitempty"`
	XPredicate       string   `json:"x_faultline_predicate,omitempty"`
	XEventRole       string   `json:"x_faultline_event_role,omitempty"`
	XModality        string   `json:"x_faultline_modality"`
	XSources         int      `json:"x_faultline_sources"`
	XDenials         int      `json:"x_faultline_denials,omitempty"`
	XSupportKinds    []string `json:"x_faultline_support_kinds,omitempty"`
	XRoles           []string `json:"x_faultline_roles,omitempty"`
	XFirstReported   string   `json:"x_faultline_first_reported,omitempty"`
	XLastReported    string   `json:"x_faultline_last_reported,omitempty"`
}

type participant struct {
	Ref  string `json:"ref"`
	Role string `json:"role"`
}

type event struct {
	common
	Name            string        `json:"name"`
	EventTypes      []string      `json:"event_types"`
	Date            string        `json:"date,omitempty"`
	DatePrecision   string        `json:"date_precision,omitempty"`
	StartTime       string        `json:"start_time,omitempty"`
	StopTime        string        `json:"stop_time,omitempty"`
	LocationRef     string        `json:"location_ref,omitempty"`
	Participants    []participant `json:"participants,omitempty"`
	Fatalities      *int          `json:"fatalities,omitempty"`
	FatalitiesLower bool          `json:"fatalities_is_lower_bound,omitempty"`
	Modality        string        `json:"modality"`
	Sources         int           `json:"sources"`
	Denials         int           `json:"denials,omitempty"`
}

// A report is written in three parts, its properties before object_refs,
// object_refs, and those after, so that the object_refs of a dataset's
// file (millions of ids) go out one by one rather than as one slice.
type reportHead struct {
	common
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	ReportTypes []string `json:"report_types"`
	Published   string   `json:"published"`
}

type reportTail struct {
	XReliability string `json:"x_faultline_reliability"`
	XAuthor      string `json:"x_faultline_author,omitempty"`
	XSHA256      string `json:"x_faultline_sha256"`
}

type note struct {
	common
	Abstract         string   `json:"abstract,omitempty"`
	Content          string   `json:"content"`
	Authors          []string `json:"authors,omitempty"`
	ObjectRefs       []string `json:"object_refs"`
	XClaimID         string   `json:"x_faultline_claim_id"`
	XModality        string   `json:"x_faultline_modality"`
	XAttributedToRef string   `json:"x_faultline_attributed_to_ref,omitempty"`
	XCredibility     int      `json:"x_faultline_credibility,omitempty"`
	XRule            string   `json:"x_faultline_rule,omitempty"`
	XStatus          string   `json:"x_faultline_status"`
	// The claim's own details, which the relationship or event it
	// supports folds with those of other claims, so that an import can
	// give each claim back its own.
	XRole          string        `json:"x_faultline_role,omitempty"`
	XSupportKind   string        `json:"x_faultline_support_kind,omitempty"`
	XValidFrom     string        `json:"x_faultline_valid_from,omitempty"`
	XValidTo       string        `json:"x_faultline_valid_to,omitempty"`
	XEventDate     string        `json:"x_faultline_event_date,omitempty"`
	XLocationRef   string        `json:"x_faultline_location_ref,omitempty"`
	XParticipants  []participant `json:"x_faultline_participants,omitempty"`
	XFatalities    *int          `json:"x_faultline_fatalities,omitempty"`
	XFatalitiesLow bool          `json:"x_faultline_fatalities_is_lower_bound,omitempty"`
}

// extensionProperties lists the custom properties the property extension
// declares.
var extensionProperties = []string{
	"x_faultline_aliases", "x_faultline_attributed_to_ref", "x_faultline_author", "x_faultline_claim_id",
	"x_faultline_credibility", "x_faultline_denials", "x_faultline_entity_type", "x_faultline_event_date",
	"x_faultline_event_role", "x_faultline_fatalities", "x_faultline_fatalities_is_lower_bound",
	"x_faultline_first_reported", "x_faultline_last_reported", "x_faultline_location_ref", "x_faultline_modality",
	"x_faultline_participants", "x_faultline_predicate", "x_faultline_reliability", "x_faultline_role",
	"x_faultline_roles", "x_faultline_rule", "x_faultline_sha256", "x_faultline_sources", "x_faultline_status",
	"x_faultline_support_kind", "x_faultline_support_kinds", "x_faultline_valid_from", "x_faultline_valid_to",
}

// span is the ingest times of the sources behind an object and their
// markings.
type span struct {
	first, last time.Time
	lo, hi      int // TLP levels; lo = -1 while empty
}

func newSpan() span { return span{lo: -1, hi: -1} }

func (s *span) add(src *faultline.Source) {
	if src == nil {
		return
	}
	t := src.IngestedAt
	if s.first.IsZero() || t.Before(s.first) {
		s.first = t
	}
	if t.After(s.last) {
		s.last = t
	}
	l := src.TLP.Level()
	if s.lo < 0 || l < s.lo {
		s.lo = l
	}
	s.hi = max(s.hi, l)
}

var tlpByLevel = []faultline.TLP{faultline.TLPClear, faultline.TLPGreen, faultline.TLPAmber, faultline.TLPAmberStrict, faultline.TLPRed}

// The object_marking_refs and extensions objects share; the encoder only
// reads them.
var (
	markingRefs = func() [][]string {
		refs := make([][]string, len(tlpByLevel))
		for l, t := range tlpByLevel {
			refs[l] = []string{tlpIDs[t]}
		}
		return refs
	}()
	propertyExtensions = map[string]extension{PropertyExtensionID: {ExtensionType: "toplevel-property-extension"}}
	eventExtensions    = map[string]extension{EventExtensionID: {ExtensionType: "new-sdo"}}
)

// sink is where an object's JSON goes: the bundle's buffered writer or a
// buffer.
type sink interface {
	io.Writer
	io.StringWriter
}

// encoder encodes objects one at a time, reusing its buffers and the
// structs of the most numerous objects, a dataset's events and their
// relationships.
type encoder struct {
	x   *Export
	buf bytes.Buffer
	enc *json.Encoder
	id  []byte
	ev  recordEvent
	rel relationship
}

func (x *Export) newEncoder() *encoder {
	e := &encoder{x: x}
	e.enc = json.NewEncoder(&e.buf)
	// Evidence reads as written: no \u003c for <.
	e.enc.SetEscapeHTML(false)
	return e
}

// marshal encodes v without the encoder's newline; the bytes are valid
// until the next call.
func (e *encoder) marshal(v any) ([]byte, error) {
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encode stix: %w", err)
	}
	return bytes.TrimSuffix(e.buf.Bytes(), []byte{'\n'}), nil
}

// object writes entry i's object to w.
func (e *encoder) object(w sink, i int32) error {
	x := e.x
	var v any
	switch x.entries[i].kind {
	case kReport:
		return e.report(w, i)
	case kProducer, kEventExtension, kPropertyExtension:
		v = x.fixed(i)
	case kMarking:
		t := tlpByLevel[x.entries[i].idx]
		v = &markingDefinition{Type: "marking-definition", SpecVersion: "2.1", ID: tlpIDs[t], Created: markingCreated,
			Name: "TLP:" + strings.ToUpper(string(t)), Extensions: map[string]extension{tlpExtension: {ExtensionType: "property-extension", TLP: string(t)}}}
	case kEntity:
		v = x.entityObject(i)
	case kRelation:
		v = x.relation(i)
	case kEvent:
		v = x.event(i, &e.ev)
	case kEventLink:
		x.eventLink(i, &e.rel)
		v = &e.rel
	case kNote:
		v = x.note(i)
	case kPublisher:
		v = &identity{common: x.common(i), Name: x.s.Sources[x.entries[i].idx].Publisher, IdentityClass: "organization",
			Description: "Publisher of analysed reports"}
	}
	data, err := e.marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// common returns the properties of entry i's object that every SDO and
// SRO has, created by Faultline.
func (x *Export) common(i int32) common {
	e := &x.entries[i]
	return common{Type: typeNames[e.typ], SpecVersion: "2.1", ID: x.id(i), CreatedByRef: ProducerID,
		Created: timestamp(e.created), Modified: timestamp(e.modified), ObjectMarkingRefs: markingRefs[e.level]}
}

// fixed returns the producer identity or an extension definition. An
// extension definition's modified is when its current version came out:
// a consumer that holds an older version replaces it only for a later
// modified.
func (x *Export) fixed(i int32) any {
	c := x.common(i)
	switch x.entries[i].kind {
	case kEventExtension:
		return &extensionDefinition{common: c,
			Name:        "Faultline event",
			Description: "x-faultline-event: an event aggregated from the claims of one or more sources, or a record of an event dataset (attack, raid, strike, clash, arrest, extradition, killing, declaration, statement, designation, founding, relocation, withdrawal, seizure_of_power, agreement).",
			Schema: "x-faultline-event (new SDO), modelled on OpenCTI's event. Properties: name (string, required); event_types (list of Faultline event types, required); " +
				"date (ISO 8601 partial date: YYYY, YYYY-MM or YYYY-MM-DD) and date_precision (year, month, day); start_time and stop_time (timestamps bounding the date); " +
				"location_ref (id of a location); participants (list of {ref: id, role: agent|target|destination|other}); fatalities (integer) and " +
				"fatalities_is_lower_bound (boolean); modality (asserted, reported, alleged, possible, denied: the firmest of the claims); " +
				"sources (integer: independent sources) and denials (integer); dataset_record, on a record of an event dataset (UCDP GED, ACLED): " +
				"{id, line, sub_type, date_prec, date_start, date_end, place, place_prec, latitude, longitude, deaths_low, deaths_high, source_text, notes}. " +
				"JSON schema: export/stix/schema/x-faultline-event.json in the Faultline source.",
			Version: eventVersion, ExtensionTypes: []string{"new-sdo"}}
	case kPropertyExtension:
		return &extensionDefinition{common: c,
			Name:        "Faultline properties",
			Description: "Provenance properties Faultline adds to STIX objects: modality, source counts, predicates, claim ids, review status.",
			Schema: "Top-level properties. x_faultline_modality: how firmly the source states the claim (asserted, reported, alleged, possible, denied). " +
				"x_faultline_predicate: the Faultline predicate of a relationship. x_faultline_sources, x_faultline_denials: independent supporting sources and denials. " +
				"x_faultline_entity_type: the Faultline entity type. x_faultline_aliases: other names. x_faultline_claim_id, x_faultline_rule, x_faultline_status, " +
				"x_faultline_credibility, x_faultline_attributed_to_ref: a note's claim, the extractor rule, the analyst review, the Admiralty credibility, and whom the source attributes it to. " +
				"x_faultline_reliability, x_faultline_sha256, x_faultline_author: a report's Admiralty source grade, document hash and author. " +
				"x_faultline_support_kinds, x_faultline_roles, x_faultline_first_reported, x_faultline_last_reported, x_faultline_event_role: relation details. " +
				"On a note, the details of its one claim that the relationship or event folds with other claims': x_faultline_role, x_faultline_support_kind, " +
				"x_faultline_valid_from and x_faultline_valid_to (partial dates); for an event's claim x_faultline_event_date (partial date), x_faultline_location_ref, " +
				"x_faultline_participants (list of {ref, role}), x_faultline_fatalities and x_faultline_fatalities_is_lower_bound.",
			Version: propertiesVersion, ExtensionTypes: []string{"toplevel-property-extension"}, ExtensionProperties: extensionProperties}
	}
	c.CreatedByRef = "" // the producer is its own creator
	return &identity{common: c, Name: "Faultline", IdentityClass: "system",
		Description: "Faultline conflict-intelligence workbench: objects derived from analysed reports, each claim with its evidence."}
}

// stixType chooses an entity's object type.
func stixType(e *faultline.Entity, militant map[string][]string) string {
	switch e.Type {
	case faultline.ArmedGroup:
		return "threat-actor"
	case faultline.Person:
		if len(militant[e.ID]) > 0 {
			return "threat-actor"
		}
		return "identity"
	case faultline.Country, faultline.Location:
		return "location"
	}
	return "identity"
}

// claimEntities lists the entities a claim names.
func claimEntities(c *faultline.Claim) []string {
	var ids []string
	for _, id := range []string{c.Subject, c.Object, c.Location, c.AttributedTo} {
		if id != "" {
			ids = append(ids, id)
		}
	}
	for _, p := range c.Participants {
		ids = append(ids, p.Entity)
	}
	return ids
}

func externalRefs(e *faultline.Entity) []externalRef {
	var out []externalRef
	for _, x := range e.ExternalIDs {
		out = append(out, externalRef{SourceName: x.Scheme, ExternalID: x.Value})
	}
	return out
}

// entityObject returns an entity's threat-actor, location or identity.
func (x *Export) entityObject(i int32) any {
	e := &x.s.Entities[x.entries[i].idx]
	c := x.common(i)
	c.ExternalReferences = externalRefs(e)
	c.Extensions = propertyExtensions
	sources := len(x.s.Mentions[e.ID])
	var aliases []string
	if len(e.Aliases) > 0 {
		aliases = e.Aliases
	}
	switch x.entries[i].typ {
	case tThreatActor:
		types := []string{"unknown"}
		for _, r := range e.ExternalIDs {
			if r.Scheme == "un" || r.Scheme == "ofac" {
				types = []string{"terrorist"}
			}
		}
		return &threatActor{common: c, Name: e.Name, ThreatActorTypes: types, Aliases: aliases, Roles: x.militant[e.ID],
			XEntityType: string(e.Type), XSources: sources}
	case tLocation:
		v := &location{common: c, Name: e.Name, Latitude: e.Lat, Longitude: e.Lon, XEntityType: string(e.Type), XAliases: aliases, XSources: sources}
		x.place(e, v)
		return v
	}
	v := &identity{common: c, Name: e.Name, IdentityClass: "organization", XEntityType: string(e.Type), XAliases: aliases, XSources: &sources}
	switch e.Type {
	case faultline.Person:
		v.IdentityClass = "individual"
	case faultline.GovernmentBody:
		v.Sectors = []string{"government"}
	}
	return v
}

// place fills a location's country, area, city and precision.
func (x *Export) place(e *faultline.Entity, v *location) {
	for _, r := range e.ExternalIDs {
		switch {
		case r.Scheme == "iso3166" && v.Country == "":
			v.Country = strings.ToUpper(r.Value)
		case r.Scheme == "geonames" && x.o.Gazetteer != nil:
			p, ok := x.o.Gazetteer.ByID("geonames:" + r.Value)
			if !ok {
				continue
			}
			if v.Country == "" {
				v.Country = p.CountryCode
			}
			switch p.Kind {
			case gazetteer.KindAdmin1:
				v.AdministrativeArea = p.Name
			case gazetteer.KindCity:
				v.City = p.Name
				if parent, ok := x.o.Gazetteer.Parent(p); ok && parent.Kind == gazetteer.KindAdmin1 {
					v.AdministrativeArea = parent.Name
				}
				if p.Precision == gazetteer.PrecisionPoint && v.Latitude != nil && v.Longitude != nil {
					m := 5000.0
					v.Precision = &m
				}
			}
		}
	}
	if v.Latitude == nil || v.Longitude == nil {
		v.Latitude, v.Longitude = nil, nil
	}
	if v.Country == "" {
		v.Country = x.countryOf(e.ID)
	}
	if v.Country == "" && v.Latitude == nil {
		v.Region = "unknown"
	}
}

// countryOf returns the ISO code of the country an exported located_in
// chain puts a place in, "" when none does.
func (x *Export) countryOf(id string) string {
	seen := map[string]bool{id: true}
	for cur := x.within[id]; cur != "" && !seen[cur]; cur = x.within[cur] {
		seen[cur] = true
		if p := x.ix.Entity[cur]; p != nil {
			for _, r := range p.ExternalIDs {
				if r.Scheme == "iso3166" {
					return strings.ToUpper(r.Value)
				}
			}
		}
	}
	return ""
}

// relation returns a relation's relationship.
func (x *Export) relation(i int32) any {
	r := &x.s.Relations[x.entries[i].idx]
	conf := Confidence(r.Modality)
	c := x.common(i)
	c.Confidence, c.Extensions = &conf, propertyExtensions
	v := &relationship{common: c, RelationshipType: RelationshipType(r.Predicate),
		Description: fmt.Sprintf("%s %s %s (%s; %s)", r.Subject.Name, strings.ReplaceAll(string(r.Predicate), "_", " "), r.Object.Name, r.Modality, plural(r.Sources, "source")),
		SourceRef:   x.entityID(r.Subject.ID), TargetRef: x.entityID(r.Object.ID),
		StartTime: dateStart(r.ValidFrom), StopTime: dateStop(r.ValidTo),
		XPredicate: string(r.Predicate), XModality: string(r.Modality), XSources: r.Sources, XDenials: r.Denials,
		XSupportKinds: r.SupportKinds, XRoles: r.Roles, XFirstReported: r.FirstReported, XLastReported: r.LastReported}
	if v.StartTime != "" && v.StopTime != "" && v.StopTime <= v.StartTime {
		v.StopTime = ""
	}
	return v
}

// eventTimes returns an event's start_time and stop_time: the period a
// dataset record allows, else the days its date covers.
func eventTimes(e *faultline.Event) (string, string) {
	if r := e.Record; r != nil {
		start, stop := dateStart(orDate(r.DateStart, e.Date)), dateStop(orDate(r.DateEnd, e.Date))
		if start == "" || stop == "" || stop > start {
			return start, stop
		}
		// A period that ends before it starts says nothing: the date's.
	}
	return dateStart(e.Date), dateStop(e.Date)
}

// event fills v with an event's x-faultline-event and returns what to
// encode: v, or v's event without dataset_record for an event from
// claims. v's slices are reused.
func (x *Export) event(i int32, v *recordEvent) any {
	e := &x.s.Events[x.entries[i].idx]
	conf := Confidence(e.Modality)
	c := x.common(i)
	c.Confidence, c.Extensions = &conf, eventExtensions
	c.ExternalReferences = v.ExternalReferences[:0]
	*v = recordEvent{event: event{common: c, Name: export.EventLabel(e), EventTypes: append(v.EventTypes[:0], string(e.Type)), Date: e.Date,
		Participants: v.Participants[:0], Fatalities: e.Fatalities, FatalitiesLower: e.FatalitiesLow, Modality: string(e.Modality),
		Sources: e.Sources, Denials: e.Denials}}
	v.StartTime, v.StopTime = eventTimes(e)
	if d, err := faultline.ParseDate(e.Date); err == nil {
		v.DatePrecision = []string{"", "year", "month", "day"}[d.Precision()]
	}
	if e.Location != nil {
		v.LocationRef = x.entityID(e.Location.ID)
	}
	for _, p := range e.Participants {
		v.Participants = append(v.Participants, participant{Ref: x.entityID(p.ID), Role: string(p.Role)})
	}
	if e.Record == nil {
		return &v.event
	}
	x.record(e, v) // see dataset.go
	return v
}

// eventLink fills v with the relationship of an event to its place or one of
// its participants: attributed-to its agents, targets its targets,
// located-at its place, related-to the others.
func (x *Export) eventLink(i int32, v *relationship) {
	en := &x.entries[i]
	e := &x.s.Events[en.idx]
	l := x.link(e, int(en.sub))
	conf := Confidence(e.Modality)
	c := x.common(i)
	c.Confidence, c.Extensions = &conf, propertyExtensions
	start, stop := eventTimes(e)
	*v = relationship{common: c, RelationshipType: l.typ, SourceRef: EventID(e.ID), TargetRef: x.id(l.target),
		StartTime: start, StopTime: stop, XEventRole: l.role, XModality: string(e.Modality), XSources: e.Sources, XDenials: e.Denials}
}

// note returns a claim's evidence.
func (x *Export) note(i int32) any {
	c := &x.s.Claims[x.entries[i].idx]
	conf := Confidence(c.Modality)
	cm := x.common(i)
	cm.Confidence, cm.Extensions = &conf, propertyExtensions
	var ev []string
	for _, s := range c.Evidence {
		ev = append(ev, s.Text)
	}
	v := &note{common: cm, Abstract: x.claimText(c), Content: strings.Join(ev, " … "), ObjectRefs: []string{x.id(x.noteTarget[c.ID])},
		XClaimID: c.ID, XModality: string(c.Modality), XAttributedToRef: x.entityID(c.AttributedTo), XCredibility: c.Credibility,
		XRule: c.Rule, XStatus: string(c.Status)}
	if v.Content == "" {
		v.Content = v.Abstract
	}
	if c.Analyst != "" {
		v.Authors = []string{c.Analyst}
	}
	x.claimDetails(c, v)
	return v
}

// claimDetails copies to a note what its claim says on its own: the
// relationship or event folds roles, dates, places, participants and
// counts over all its claims, so that without them an import could only
// give every claim the folded values. The plan checked that the entities
// are in the snapshot.
func (x *Export) claimDetails(c *faultline.Claim, v *note) {
	v.XRole, v.XSupportKind, v.XValidFrom, v.XValidTo = c.Role, c.SupportKind, c.ValidFrom, c.ValidTo
	if c.Kind != faultline.EventClaim {
		return
	}
	v.XEventDate, v.XFatalities, v.XFatalitiesLow = c.EventDate, c.Fatalities, c.FatalitiesLow
	if c.Location != "" {
		v.XLocationRef = x.entityID(c.Location)
	}
	for _, p := range c.Participants {
		v.XParticipants = append(v.XParticipants, participant{Ref: x.entityID(p.Entity), Role: string(p.Role)})
	}
}

// claimText says a claim in words: "Pakistan supports ISKP (reported,
// according to Michael Kugelman)".
func (x *Export) claimText(c *faultline.Claim) string {
	name := func(id string) string {
		if e := x.ix.Entity[id]; e != nil {
			return e.Name
		}
		return id
	}
	var s string
	if c.Kind == faultline.RelationClaim {
		s = name(c.Subject) + " " + strings.ReplaceAll(string(c.Predicate), "_", " ") + " " + name(c.Object)
	} else {
		s = strings.ReplaceAll(string(c.EventType), "_", " ")
		if c.Location != "" {
			s += " at " + name(c.Location)
		}
		if c.EventDate != "" {
			s += ", " + c.EventDate
		}
	}
	s += " (" + string(c.Modality)
	if c.AttributedTo != "" {
		s += ", according to " + name(c.AttributedTo)
	}
	return s + ")"
}

// report writes a source's report: what comes before object_refs, the
// refs one by one, then the rest.
func (e *encoder) report(w sink, i int32) error {
	x := e.x
	src := &x.s.Sources[x.entries[i].idx]
	c := x.common(i)
	if src.Publisher != "" {
		c.CreatedByRef = publisherID(src.Publisher)
	}
	ref := externalRef{SourceName: "faultline-source", Description: src.Path, Hashes: map[string]string{"SHA-256": src.SHA256}}
	if src.Publisher != "" {
		ref.SourceName = src.Publisher
	}
	if src.URL != "" && (strings.HasPrefix(src.URL, "http://") || strings.HasPrefix(src.URL, "https://")) {
		ref.URL = src.URL
	}
	c.ExternalReferences = []externalRef{ref}
	c.Extensions = propertyExtensions
	published := dateStart(src.Published)
	if published == "" {
		published = c.Created
	}
	name := src.Title
	if name == "" {
		name = src.Path
	}
	if name == "" {
		name = "Source " + src.SHA256[:12]
	}
	head, err := e.marshal(&reportHead{common: c, Name: name, ReportTypes: []string{"threat-report"}, Published: published})
	if err != nil {
		return err
	}
	w.Write(head[:len(head)-1]) // without its closing brace
	w.WriteString(`,"object_refs":[`)
	refs := x.refs[src.ID]
	if len(refs) == 0 {
		w.WriteString(`"` + ProducerID + `"`) // STIX wants at least one
	}
	for k, r := range refs {
		if k > 0 {
			w.WriteString(",")
		}
		var id []byte
		if x.entries[r].odd {
			// An id from elsewhere may need escaping.
			if id, err = e.marshal(x.id(r)); err != nil {
				return err
			}
		} else {
			e.id = append(x.appendID(append(e.id[:0], '"'), r), '"')
			id = e.id
		}
		if _, err := w.Write(id); err != nil {
			return err
		}
	}
	w.WriteString("]")
	tail, err := e.marshal(&reportTail{XReliability: string(src.Reliability), XAuthor: src.Author, XSHA256: src.SHA256})
	if err != nil {
		return err
	}
	w.WriteString(",")
	_, err = w.Write(tail[1:]) // without its opening brace
	return err
}

func publisherID(name string) string {
	return "identity--" + uuid.NewSHA1(namespace, []byte("publisher:"+faultline.NormalizeName(name))).String()
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
