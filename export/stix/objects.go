package stix

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
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

type report struct {
	common
	Name         string   `json:"name"`
	Description  string   `json:"description,omitempty"`
	ReportTypes  []string `json:"report_types"`
	Published    string   `json:"published"`
	ObjectRefs   []string `json:"object_refs"`
	XReliability string   `json:"x_faultline_reliability"`
	XAuthor      string   `json:"x_faultline_author,omitempty"`
	XSHA256      string   `json:"x_faultline_sha256"`
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

// times returns created and modified; the fixed date for an empty span.
func (s *span) times() (string, string) {
	if s.first.IsZero() {
		return fixedTime, fixedTime
	}
	return Timestamp(s.first), Timestamp(s.last)
}

// builder assembles the objects of one snapshot.
type builder struct {
	s    *faultline.Snapshot
	ix   faultline.Index
	o    Options
	out  []Object
	tlps map[faultline.TLP]bool
	// stixID maps entity ids to their objects' ids.
	stixID map[string]string
	// refs collects each source's report object_refs.
	refs map[int64]map[string]bool
	// within maps a place to the place a located_in relation puts it in.
	within map[string]string
}

var tlpByLevel = []faultline.TLP{faultline.TLPClear, faultline.TLPGreen, faultline.TLPAmber, faultline.TLPAmberStrict, faultline.TLPRed}

// emit encodes one object, marking it with the TLP of the given level.
func (b *builder) emit(c *common, level int, v any) error {
	t := faultline.TLPClear
	if level >= 0 {
		t = tlpByLevel[level]
	}
	b.tlps[t] = true
	c.SpecVersion = "2.1"
	c.ObjectMarkingRefs = []string{tlpIDs[t]}
	data, err := encode(v)
	if err != nil {
		return err
	}
	b.out = append(b.out, Object{ID: c.ID, Type: c.Type, Created: c.Created, Modified: c.Modified, TLP: t, JSON: data})
	return nil
}

// encode marshals v without HTML escaping, so that evidence reads as
// written.
func encode(v any) (json.RawMessage, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encode stix: %w", err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// withProps marks an object as using the property extension.
func withProps(c *common) {
	c.Extensions = map[string]extension{PropertyExtensionID: {ExtensionType: "toplevel-property-extension"}}
}

func (b *builder) build() error {
	b.stixID = map[string]string{}
	b.refs = map[int64]map[string]bool{}
	if err := b.fixed(); err != nil {
		return err
	}
	// Which people act as militants.
	militant := map[string][]string{}
	for _, r := range b.s.Relations {
		if r.Modality == faultline.Denied || r.Subject.Type != faultline.Person || r.Object.Type != faultline.ArmedGroup {
			continue
		}
		switch r.Predicate {
		case faultline.Leads:
			militant[r.Subject.ID] = append(militant[r.Subject.ID], "director")
		case faultline.MemberOf:
			militant[r.Subject.ID] = append(militant[r.Subject.ID], "agent")
		}
	}
	// Entity spans: the sources that mention or claim about each entity.
	spans := map[string]*span{}
	spanOf := func(id string) *span {
		sp := spans[id]
		if sp == nil {
			s := newSpan()
			sp = &s
			spans[id] = sp
		}
		return sp
	}
	for id, srcs := range b.s.Mentions {
		for _, sid := range srcs {
			spanOf(id).add(b.ix.Source[sid])
			b.ref(sid, id)
		}
	}
	for _, c := range b.s.Claims {
		src := b.ix.Source[c.SourceID]
		for _, id := range claimEntities(&c) {
			spanOf(id).add(src)
		}
	}
	for i := range b.s.Entities {
		e := &b.s.Entities[i]
		b.stixID[e.ID] = stixType(e, militant) + "--" + e.ID
	}
	for i := range b.s.Entities {
		if err := b.entity(&b.s.Entities[i], spanOf(b.s.Entities[i].ID), militant); err != nil {
			return err
		}
	}
	// Report refs to entities were collected by entity id; map them now.
	for sid, set := range b.refs {
		mapped := map[string]bool{}
		for id := range set {
			if sx, ok := b.stixID[id]; ok {
				mapped[sx] = true
			}
		}
		b.refs[sid] = mapped
	}
	noteTarget := map[string]string{}
	for i := range b.s.Relations {
		if err := b.relation(&b.s.Relations[i], noteTarget); err != nil {
			return err
		}
	}
	for i := range b.s.Events {
		if err := b.event(&b.s.Events[i], noteTarget); err != nil {
			return err
		}
	}
	for i := range b.s.Claims {
		if err := b.note(&b.s.Claims[i], noteTarget); err != nil {
			return err
		}
	}
	if err := b.reports(); err != nil {
		return err
	}
	for _, t := range tlpByLevel {
		if b.tlps[t] {
			m := markingDefinition{Type: "marking-definition", SpecVersion: "2.1", ID: tlpIDs[t], Created: "2022-10-01T00:00:00.000Z",
				Name: "TLP:" + strings.ToUpper(string(t)), Extensions: map[string]extension{tlpExtension: {ExtensionType: "property-extension", TLP: string(t)}}}
			data, err := encode(m)
			if err != nil {
				return err
			}
			b.out = append(b.out, Object{ID: m.ID, Type: m.Type, Created: m.Created, TLP: faultline.TLPClear, JSON: data})
		}
	}
	return nil
}

// ref records that a source supports a STIX object (or, before entities
// are mapped, an entity id).
func (b *builder) ref(sourceID int64, id string) {
	set := b.refs[sourceID]
	if set == nil {
		set = map[string]bool{}
		b.refs[sourceID] = set
	}
	set[id] = true
}

// propertiesModified is when the property extension last changed (1.1.0:
// the claim details of notes).
const propertiesModified = "2026-11-28T00:00:00.000Z"

// fixed emits the producer identity and the extension definitions.
func (b *builder) fixed() error {
	fixedCommon := func(typ, id string) common {
		return common{Type: typ, ID: id, CreatedByRef: ProducerID, Created: fixedTime, Modified: fixedTime}
	}
	producer := identity{common: fixedCommon("identity", ProducerID), Name: "Faultline", IdentityClass: "system",
		Description: "Faultline conflict-intelligence workbench: objects derived from analysed reports, each claim with its evidence."}
	producer.CreatedByRef = ""
	if err := b.emit(&producer.common, 0, &producer); err != nil {
		return err
	}
	ev := extensionDefinition{common: fixedCommon("extension-definition", EventExtensionID),
		Name:        "Faultline event",
		Description: "x-faultline-event: an event aggregated from the claims of one or more sources, or a record of an event dataset (attack, raid, strike, clash, arrest, extradition, killing, declaration, statement, designation, founding, relocation, withdrawal, seizure_of_power, agreement).",
		Schema: "x-faultline-event (new SDO), modelled on OpenCTI's event. Properties: name (string, required); event_types (list of Faultline event types, required); " +
			"date (ISO 8601 partial date: YYYY, YYYY-MM or YYYY-MM-DD) and date_precision (year, month, day); start_time and stop_time (timestamps bounding the date); " +
			"location_ref (id of a location); participants (list of {ref: id, role: agent|target|destination|other}); fatalities (integer) and " +
			"fatalities_is_lower_bound (boolean); modality (asserted, reported, alleged, possible, denied: the firmest of the claims); " +
			"sources (integer: independent sources) and denials (integer); dataset_record, on a record of an event dataset (UCDP GED, ACLED): " +
			"{id, line, sub_type, date_prec, date_start, date_end, place, place_prec, latitude, longitude, deaths_low, deaths_high, source_text, notes}. " +
			"JSON schema: export/stix/schema/x-faultline-event.json in the Faultline source.",
		Version: "1.1.0", ExtensionTypes: []string{"new-sdo"}}
	if err := b.emit(&ev.common, 0, &ev); err != nil {
		return err
	}
	props := extensionDefinition{common: fixedCommon("extension-definition", PropertyExtensionID),
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
		Version: "1.1.0", ExtensionTypes: []string{"toplevel-property-extension"}, ExtensionProperties: extensionProperties}
	// A changed definition needs a later modified time, or a consumer
	// holding version 1.0.0 keeps it.
	props.Modified = propertiesModified
	return b.emit(&props.common, 0, &props)
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

func (b *builder) entity(e *faultline.Entity, sp *span, militant map[string][]string) error {
	created, modified := sp.times()
	c := common{Type: "", ID: b.stixID[e.ID], CreatedByRef: ProducerID, Created: created, Modified: modified, ExternalReferences: externalRefs(e)}
	c.Type, _, _ = strings.Cut(c.ID, "--")
	withProps(&c)
	sources := len(b.s.Mentions[e.ID])
	level := sp.lo
	var aliases []string
	if len(e.Aliases) > 0 {
		aliases = e.Aliases
	}
	switch c.Type {
	case "threat-actor":
		types := []string{"unknown"}
		for _, x := range e.ExternalIDs {
			if x.Scheme == "un" || x.Scheme == "ofac" {
				types = []string{"terrorist"}
			}
		}
		roles := militant[e.ID]
		slices.Sort(roles)
		roles = slices.Compact(roles)
		v := threatActor{common: c, Name: e.Name, ThreatActorTypes: types, Aliases: aliases, Roles: roles, XEntityType: string(e.Type), XSources: sources}
		return b.emit(&v.common, level, &v)
	case "location":
		v := location{common: c, Name: e.Name, Latitude: e.Lat, Longitude: e.Lon, XEntityType: string(e.Type), XAliases: aliases, XSources: sources}
		b.place(e, &v)
		return b.emit(&v.common, level, &v)
	}
	v := identity{common: c, Name: e.Name, IdentityClass: "organization", XEntityType: string(e.Type), XAliases: aliases, XSources: &sources}
	switch e.Type {
	case faultline.Person:
		v.IdentityClass = "individual"
	case faultline.GovernmentBody:
		v.Sectors = []string{"government"}
	}
	return b.emit(&v.common, level, &v)
}

// place fills a location's country, area, city and precision.
func (b *builder) place(e *faultline.Entity, v *location) {
	for _, x := range e.ExternalIDs {
		switch {
		case x.Scheme == "iso3166" && v.Country == "":
			v.Country = strings.ToUpper(x.Value)
		case x.Scheme == "geonames" && b.o.Gazetteer != nil:
			p, ok := b.o.Gazetteer.ByID("geonames:" + x.Value)
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
				if parent, ok := b.o.Gazetteer.Parent(p); ok && parent.Kind == gazetteer.KindAdmin1 {
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
		v.Country = b.countryOf(e.ID)
	}
	if v.Country == "" && v.Latitude == nil {
		v.Region = "unknown"
	}
}

// countryOf returns the ISO code of the country an exported located_in
// chain puts a place in, "" when none does.
func (b *builder) countryOf(id string) string {
	if b.within == nil {
		b.within = map[string]string{}
		for _, r := range b.s.Relations {
			if r.Predicate == faultline.LocatedIn && r.Modality != faultline.Denied {
				if _, ok := b.within[r.Subject.ID]; !ok {
					b.within[r.Subject.ID] = r.Object.ID
				}
			}
		}
	}
	seen := map[string]bool{id: true}
	for cur := b.within[id]; cur != "" && !seen[cur]; cur = b.within[cur] {
		seen[cur] = true
		if p := b.ix.Entity[cur]; p != nil {
			for _, x := range p.ExternalIDs {
				if x.Scheme == "iso3166" {
					return strings.ToUpper(x.Value)
				}
			}
		}
	}
	return ""
}

// relation emits a relation's relationship.
func (b *builder) relation(r *faultline.Relation, noteTarget map[string]string) error {
	id := RelationshipID(r.Key())
	sp := newSpan()
	for _, cid := range r.ClaimIDs {
		if c := b.ix.Claim[cid]; c != nil {
			sp.add(b.ix.Source[c.SourceID])
			b.ref(c.SourceID, id)
			noteTarget[cid] = id
		}
	}
	created, modified := sp.times()
	conf := Confidence(r.Modality)
	c := common{Type: "relationship", ID: id, CreatedByRef: ProducerID, Created: created, Modified: modified, Confidence: &conf}
	withProps(&c)
	v := relationship{common: c, RelationshipType: RelationshipType(r.Predicate),
		Description: fmt.Sprintf("%s %s %s (%s; %s)", r.Subject.Name, strings.ReplaceAll(string(r.Predicate), "_", " "), r.Object.Name, r.Modality, plural(r.Sources, "source")),
		SourceRef:   b.stixID[r.Subject.ID], TargetRef: b.stixID[r.Object.ID],
		StartTime: dateStart(r.ValidFrom), StopTime: dateStop(r.ValidTo),
		XPredicate: string(r.Predicate), XModality: string(r.Modality), XSources: r.Sources, XDenials: r.Denials,
		XSupportKinds: r.SupportKinds, XRoles: r.Roles, XFirstReported: r.FirstReported, XLastReported: r.LastReported}
	if v.StartTime != "" && v.StopTime != "" && v.StopTime <= v.StartTime {
		v.StopTime = ""
	}
	if v.SourceRef == "" || v.TargetRef == "" {
		return fmt.Errorf("stix: relation %s %s %s names an entity outside the snapshot", r.Subject.ID, r.Predicate, r.Object.ID)
	}
	return b.emit(&v.common, sp.hi, &v)
}

// event emits an event and its relationships to participants and place.
func (b *builder) event(e *faultline.Event, noteTarget map[string]string) error {
	if e.Record != nil {
		return b.record(e) // see dataset.go
	}
	id := EventID(e.ID)
	sp := newSpan()
	for _, cid := range e.ClaimIDs {
		if c := b.ix.Claim[cid]; c != nil {
			sp.add(b.ix.Source[c.SourceID])
			b.ref(c.SourceID, id)
			noteTarget[cid] = id
		}
	}
	created, modified := sp.times()
	conf := Confidence(e.Modality)
	c := common{Type: EventType, ID: id, CreatedByRef: ProducerID, Created: created, Modified: modified, Confidence: &conf,
		Extensions: map[string]extension{EventExtensionID: {ExtensionType: "new-sdo"}}}
	v := event{common: c, Name: export.EventLabel(e), EventTypes: []string{string(e.Type)}, Date: e.Date,
		StartTime: dateStart(e.Date), StopTime: dateStop(e.Date), Fatalities: e.Fatalities, FatalitiesLower: e.FatalitiesLow,
		Modality: string(e.Modality), Sources: e.Sources, Denials: e.Denials}
	if d, err := faultline.ParseDate(e.Date); err == nil {
		v.DatePrecision = []string{"", "year", "month", "day"}[d.Precision()]
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
	if err := b.emit(&v.common, sp.hi, &v); err != nil {
		return err
	}
	for _, l := range links {
		if l.target == "" {
			return fmt.Errorf("stix: event %s names an entity outside the snapshot", e.ID)
		}
		rid := "relationship--" + uuid.NewSHA1(namespace, []byte("event:"+e.ID+":"+l.role+":"+l.target)).String()
		rc := common{Type: "relationship", ID: rid, CreatedByRef: ProducerID, Created: created, Modified: modified, Confidence: &conf}
		withProps(&rc)
		r := relationship{common: rc, RelationshipType: l.typ, SourceRef: id, TargetRef: l.target,
			StartTime: v.StartTime, StopTime: v.StopTime, XEventRole: l.role, XModality: v.Modality, XSources: e.Sources, XDenials: e.Denials}
		if err := b.emit(&r.common, sp.hi, &r); err != nil {
			return err
		}
		for _, cid := range e.ClaimIDs {
			if c := b.ix.Claim[cid]; c != nil {
				b.ref(c.SourceID, rid)
			}
		}
	}
	return nil
}

// note emits a claim's evidence.
func (b *builder) note(c *faultline.Claim, noteTarget map[string]string) error {
	target := noteTarget[c.ID]
	if target == "" {
		return nil // a claim the aggregates left out (none today)
	}
	src := b.ix.Source[c.SourceID]
	sp := newSpan()
	sp.add(src)
	created, modified := sp.times()
	conf := Confidence(c.Modality)
	id := NoteID(c.ID)
	cm := common{Type: "note", ID: id, CreatedByRef: ProducerID, Created: created, Modified: modified, Confidence: &conf}
	withProps(&cm)
	var ev []string
	for _, s := range c.Evidence {
		ev = append(ev, s.Text)
	}
	v := note{common: cm, Abstract: b.claimText(c), Content: strings.Join(ev, " … "), ObjectRefs: []string{target},
		XClaimID: c.ID, XModality: string(c.Modality), XAttributedToRef: b.stixID[c.AttributedTo], XCredibility: c.Credibility,
		XRule: c.Rule, XStatus: string(c.Status)}
	if v.Content == "" {
		v.Content = v.Abstract
	}
	if c.Analyst != "" {
		v.Authors = []string{c.Analyst}
	}
	if err := b.claimDetails(c, &v); err != nil {
		return err
	}
	b.ref(c.SourceID, id)
	if v.XAttributedToRef != "" {
		b.ref(c.SourceID, v.XAttributedToRef)
	}
	return b.emit(&v.common, sp.hi, &v)
}

// claimDetails copies to a note what its claim says on its own: the
// relationship or event folds roles, dates, places, participants and
// counts over all its claims, so that without them an import could only
// give every claim the folded values.
func (b *builder) claimDetails(c *faultline.Claim, v *note) error {
	v.XRole, v.XSupportKind, v.XValidFrom, v.XValidTo = c.Role, c.SupportKind, c.ValidFrom, c.ValidTo
	if c.Kind != faultline.EventClaim {
		return nil
	}
	v.XEventDate, v.XFatalities, v.XFatalitiesLow = c.EventDate, c.Fatalities, c.FatalitiesLow
	if c.Location != "" {
		if v.XLocationRef = b.stixID[c.Location]; v.XLocationRef == "" {
			return fmt.Errorf("stix: claim %s names a location outside the snapshot", c.ID)
		}
	}
	for _, p := range c.Participants {
		ref := b.stixID[p.Entity]
		if ref == "" {
			return fmt.Errorf("stix: claim %s names a participant outside the snapshot", c.ID)
		}
		v.XParticipants = append(v.XParticipants, participant{Ref: ref, Role: string(p.Role)})
	}
	return nil
}

// claimText says a claim in words: "Pakistan supports ISKP (reported,
// according to Michael Kugelman)".
func (b *builder) claimText(c *faultline.Claim) string {
	name := func(id string) string {
		if e := b.ix.Entity[id]; e != nil {
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

// reports emits each source's report and its publisher's identity.
func (b *builder) reports() error {
	type pub struct {
		name string
		sp   span
	}
	pubs := map[string]*pub{}
	for i := range b.s.Sources {
		src := &b.s.Sources[i]
		if src.Publisher == "" {
			continue
		}
		id := publisherID(src.Publisher)
		p := pubs[id]
		if p == nil {
			p = &pub{name: src.Publisher, sp: newSpan()}
			pubs[id] = p
		}
		p.sp.add(src)
	}
	for id, p := range pubs {
		created, modified := p.sp.times()
		v := identity{common: common{Type: "identity", ID: id, CreatedByRef: ProducerID, Created: created, Modified: modified},
			Name: p.name, IdentityClass: "organization", Description: "Publisher of analysed reports"}
		if err := b.emit(&v.common, p.sp.lo, &v); err != nil {
			return err
		}
	}
	for i := range b.s.Sources {
		src := &b.s.Sources[i]
		sp := newSpan()
		sp.add(src)
		created, modified := sp.times()
		c := common{Type: "report", ID: ReportID(src.SHA256), CreatedByRef: ProducerID, Created: created, Modified: modified}
		if src.Publisher != "" {
			c.CreatedByRef = publisherID(src.Publisher)
			b.ref(src.ID, c.CreatedByRef)
		}
		ref := externalRef{SourceName: "faultline-source", Description: src.Path, Hashes: map[string]string{"SHA-256": src.SHA256}}
		if src.Publisher != "" {
			ref.SourceName = src.Publisher
		}
		if src.URL != "" && (strings.HasPrefix(src.URL, "http://") || strings.HasPrefix(src.URL, "https://")) {
			ref.URL = src.URL
		}
		c.ExternalReferences = []externalRef{ref}
		withProps(&c)
		published := dateStart(src.Published)
		if published == "" {
			published = created
		}
		name := src.Title
		if name == "" {
			name = src.Path
		}
		if name == "" {
			name = "Source " + src.SHA256[:12]
		}
		refs := make([]string, 0, len(b.refs[src.ID]))
		for r := range b.refs[src.ID] {
			refs = append(refs, r)
		}
		sort.Strings(refs)
		if len(refs) == 0 {
			refs = []string{ProducerID} // STIX wants at least one
		}
		v := report{common: c, Name: name, ReportTypes: []string{"threat-report"}, Published: published, ObjectRefs: refs,
			XReliability: string(src.Reliability), XAuthor: src.Author, XSHA256: src.SHA256}
		if err := b.emit(&v.common, src.TLP.Level(), &v); err != nil {
			return err
		}
	}
	return nil
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
