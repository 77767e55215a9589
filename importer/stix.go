package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/faultline-osint/faultline"
	"github.com/google/uuid"
)

// STIX 2.1 bundles (2.0 bundles are read the same way: the types Faultline
// maps did not change). The mapping:
//
//   - threat-actor, intrusion-set → armed groups; identity → a person
//     (identity_class individual), a government body (sectors government)
//     or an organisation; location → a country or a place, matched to the
//     gazetteer by country code or name. x_faultline_entity_type, as
//     Faultline's own exporter writes it, overrides the guess. Aliases come
//     from aliases, x_faultline_aliases and x_opencti_aliases, all kept,
//     even one that folds like the name; external references with an
//     external_id become external ids (the "faultline" one the dictionary
//     key). An identity that only ever appears as an object's
//     created_by_ref is a publisher, not an entity. A new entity keeps the
//     object's id when Faultline exported it, and also when it has no
//     dictionary or gazetteer key and the export writes the same type
//     (see keepID), so that an export gives it back under the producer's
//     id.
//   - relationship → a relation claim. x_faultline_predicate when present,
//     else the type: located-at (located_in for a place, based_in for an
//     actor), part-of, attributed-to (part_of: the intrusion set belongs to
//     the actor), targets (hostile_to, or active_in for a place), and the
//     custom types Faultline writes (supports, hostile-to, allied-with,
//     affiliated-with, member-of, leads, based-in, active-in). Types that
//     map to no predicate (uses, indicates, related-to, …), and ties the
//     vocabulary forbids, are kept as raw objects.
//   - x-faultline-event (Faultline's event object) → an event claim; one
//     that carries dataset_record → a dataset record of the file whose
//     report lists it (see stix_dataset.go).
//   - report → a source: name the title, description the start of the
//     text, published the date, the TLP marking its marking, the
//     created_by_ref identity the publisher. A claim's source is the first
//     report (by id) whose object_refs list its relationship or event, else
//     a source standing for the bundle. The claim's evidence is the content
//     of the notes that refer to it, else the relationship's description,
//     else a sentence naming the tie; the evidence is appended to its
//     source's text, so that every span points into it.
//   - note → evidence, as above; a note about no imported claim is kept as
//     a raw object. A note carrying x_faultline_claim_id (Faultline's
//     export: one note per claim) is a claim of its own, with its
//     modality, attribution, credibility, review status and analyst, and
//     the details the relationship or event folds over all its claims —
//     role, support kind, validity, and an event's date, place,
//     participants and fatalities — from the note when the notes carry
//     them (see noteDetails).
//   - Everything else (indicators, malware, sightings, campaigns, markings
//     other than TLP, …) is kept verbatim as a raw object and counted by
//     type in the summary.
//
// Refused before anything is stored: invalid JSON, a document that is not
// a bundle, objects without a type or id, and dangling references (a _ref
// or _refs property naming an object the bundle does not hold; the
// well-known TLP marking definitions are allowed, as producers commonly
// leave them out).

// stixObject is the part of a STIX object the importer reads.
type stixObject struct {
	Type         string   `json:"type"`
	ID           string   `json:"id"`
	SpecVersion  string   `json:"spec_version"`
	Created      string   `json:"created"`
	CreatedByRef string   `json:"created_by_ref"`
	Name         string   `json:"name"`
	Description  string   `json:"description"`
	Aliases      []string `json:"aliases"`
	XAliases     []string `json:"x_faultline_aliases"`
	XOpenCTI     []string `json:"x_opencti_aliases"`
	XEntityType  string   `json:"x_faultline_entity_type"`
	// identity
	IdentityClass string   `json:"identity_class"`
	Sectors       []string `json:"sectors"`
	// location
	Latitude     *float64 `json:"latitude"`
	Longitude    *float64 `json:"longitude"`
	Country      string   `json:"country"`
	Region       string   `json:"region"`
	City         string   `json:"city"`
	AdminArea    string   `json:"administrative_area"`
	LocationType string   `json:"x_opencti_location_type"`
	// relationship
	RelationshipType string `json:"relationship_type"`
	SourceRef        string `json:"source_ref"`
	TargetRef        string `json:"target_ref"`
	StartTime        string `json:"start_time"`
	StopTime         string `json:"stop_time"`
	XPredicate       string `json:"x_faultline_predicate"`
	XModality        string `json:"x_faultline_modality"`
	// report, note
	Published    string   `json:"published"`
	ObjectRefs   []string `json:"object_refs"`
	Content      string   `json:"content"`
	Abstract     string   `json:"abstract"`
	XReliability string   `json:"x_faultline_reliability"`
	XSHA256      string   `json:"x_faultline_sha256"`
	Markings     []string `json:"object_marking_refs"`
	XClaimID     string   `json:"x_faultline_claim_id"`
	XRule        string   `json:"x_faultline_rule"`
	XAttributed  string   `json:"x_faultline_attributed_to_ref"`
	XEventRole   string   `json:"x_faultline_event_role"`
	XCredibility int      `json:"x_faultline_credibility"`
	XStatus      string   `json:"x_faultline_status"`
	Authors      []string `json:"authors"`
	// a note's claim details (see export/stix)
	XRole          string        `json:"x_faultline_role"`
	XSupportKind   string        `json:"x_faultline_support_kind"`
	XValidFrom     string        `json:"x_faultline_valid_from"`
	XValidTo       string        `json:"x_faultline_valid_to"`
	XEventDate     string        `json:"x_faultline_event_date"`
	XLocationRef   string        `json:"x_faultline_location_ref"`
	XParticipants  []stixPartRef `json:"x_faultline_participants"`
	XFatalities    *int          `json:"x_faultline_fatalities"`
	XFatalitiesLow bool          `json:"x_faultline_fatalities_is_lower_bound"`
	// x-faultline-event
	EventTypes      []string      `json:"event_types"`
	Date            string        `json:"date"`
	LocationRef     string        `json:"location_ref"`
	Participants    []stixPartRef `json:"participants"`
	Fatalities      *int          `json:"fatalities"`
	FatalitiesLower bool          `json:"fatalities_is_lower_bound"`
	Modality        string        `json:"modality"`
	// external references
	ExternalRefs []struct {
		SourceName  string `json:"source_name"`
		ExternalID  string `json:"external_id"`
		Description string `json:"description"`
		URL         string `json:"url"`
	} `json:"external_references"`
	XRoles        []string `json:"x_faultline_roles"`
	XSupportKinds []string `json:"x_faultline_support_kinds"`

	raw json.RawMessage
}

// stixPartRef is an event participant: an object's id and a role.
type stixPartRef struct {
	Ref  string `json:"ref"`
	Role string `json:"role"`
}

// tlpMarkings are the well-known ids of the TLP marking definitions (2.0,
// then 1.0), which a bundle may refer to without holding them.
var tlpMarkings = map[string]faultline.TLP{
	"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487": faultline.TLPClear,
	"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb": faultline.TLPGreen,
	"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421": faultline.TLPAmber,
	"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003": faultline.TLPAmberStrict,
	"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1": faultline.TLPRed,
	"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": faultline.TLPClear,
	"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": faultline.TLPGreen,
	"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": faultline.TLPAmber,
	"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": faultline.TLPRed,
}

// stixIDRe is the form of a STIX identifier: type--UUID.
var stixIDRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// stixPredicates maps relationship types to predicates; located-at,
// targets and attributed-to depend on the ends and are decided in code.
var stixPredicates = map[string]faultline.Predicate{
	"part-of": faultline.PartOf, "leads": faultline.Leads, "member-of": faultline.MemberOf,
	"affiliated-with": faultline.AffiliatedWith, "allied-with": faultline.AlliedWith, "supports": faultline.Supports,
	"hostile-to": faultline.HostileTo, "based-in": faultline.BasedIn, "active-in": faultline.ActiveIn,
	"located-in": faultline.LocatedIn,
}

// jsonError turns a decoding error into a message with a line number.
func jsonError(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return faultline.Errorf(faultline.EINVALID, "invalid JSON at line %d: %s", line(data, se.Offset), se.Error())
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return faultline.Errorf(faultline.EINVALID, "invalid JSON at line %d: %s has the wrong type (%s)", line(data, te.Offset), te.Field, te.Value)
	}
	return faultline.Errorf(faultline.EINVALID, "invalid JSON: %s", err.Error())
}

// refs returns the ids an object refers to: every top-level property named
// *_ref or *_refs, and the refs nested in granular markings.
func refs(raw json.RawMessage) ([]string, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	var out []string
	for k, v := range m {
		switch {
		case strings.HasSuffix(k, "_ref"):
			var s string
			if json.Unmarshal(v, &s) == nil && s != "" {
				out = append(out, s)
			}
		case strings.HasSuffix(k, "_refs"):
			var ss []string
			if json.Unmarshal(v, &ss) == nil {
				out = append(out, ss...)
			}
		case k == "participants" || k == "x_faultline_participants":
			var ps []struct {
				Ref string `json:"ref"`
			}
			if json.Unmarshal(v, &ps) == nil {
				for _, p := range ps {
					out = append(out, p.Ref)
				}
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

func readSTIX(ctx context.Context, in *input, res *resolver, o *Options, sum *Summary, emit func(*faultline.ImportBatch) error) error {
	fail := func(format string, args ...any) error {
		return faultline.Errorf(faultline.EINVALID, "stix %s: %s", in.name, fmt.Sprintf(format, args...))
	}
	data := stripBOM(in.data)
	var bundle struct {
		Type        string            `json:"type"`
		ID          string            `json:"id"`
		SpecVersion string            `json:"spec_version"`
		Objects     []json.RawMessage `json:"objects"`
	}
	if err := json.Unmarshal(data, &bundle); err != nil {
		return fail("%s", faultline.ErrorMessage(jsonError(data, err)))
	}
	if bundle.Type != "bundle" {
		return fail("type %q: want a STIX bundle (\"bundle\")", bundle.Type)
	}
	objs := make([]*stixObject, 0, len(bundle.Objects))
	byID := map[string]*stixObject{}
	for i, raw := range bundle.Objects {
		var ob stixObject
		if err := json.Unmarshal(raw, &ob); err != nil {
			return fail("object %d: %s", i, faultline.ErrorMessage(jsonError(raw, err)))
		}
		if ob.Type == "" || ob.ID == "" {
			return fail("object %d has no type or no id", i)
		}
		if !stixIDRe.MatchString(ob.ID) || !strings.HasPrefix(ob.ID, ob.Type+"--") {
			return fail("object %d: id %q is not a STIX id of type %s", i, ob.ID, ob.Type)
		}
		if _, dup := byID[ob.ID]; dup {
			return fail("object %s appears twice", ob.ID)
		}
		ob.raw = raw
		objs = append(objs, &ob)
		byID[ob.ID] = &ob
	}
	// Dangling references refuse the bundle whole.
	var dangling []string
	for _, ob := range objs {
		rs, err := refs(ob.raw)
		if err != nil {
			return fail("object %s: %s", ob.ID, err.Error())
		}
		for _, r := range rs {
			if _, ok := byID[r]; !ok {
				if _, tlp := tlpMarkings[r]; !tlp {
					dangling = append(dangling, ob.ID+" → "+r)
				}
			}
		}
	}
	if len(dangling) > 0 {
		more := ""
		if len(dangling) > 5 {
			more = fmt.Sprintf(" and %d more", len(dangling)-5)
			dangling = dangling[:5]
		}
		return fail("dangling references, to objects the bundle does not hold: %s%s; nothing was imported", strings.Join(dangling, ", "), more)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if bundle.SpecVersion == "2.0" {
		sum.Notes = append(sum.Notes, "a STIX 2.0 bundle, read with the 2.1 mapping (the types Faultline maps did not change)")
	}
	sum.Records = len(objs)
	b := &faultline.ImportBatch{Index: 0, Records: len(objs)}
	st := &stixImport{in: in, res: res, o: o, sum: sum, b: b, byID: byID, entities: map[string]faultline.ImportEntity{}, sources: map[string]*stixSource{}}
	st.run(objs)
	if err := emit(b); err != nil {
		return err
	}
	return st.emitRecords(emit)
}

// stixImport holds the state of one bundle's mapping.
type stixImport struct {
	in       *input
	res      *resolver
	o        *Options
	sum      *Summary
	b        *faultline.ImportBatch
	byID     map[string]*stixObject
	entities map[string]faultline.ImportEntity // by STIX id
	sources  map[string]*stixSource            // by report id, "" for the bundle
	order    []string
	uuids    map[string]int // how many objects have each UUID
	datasets *stixDatasets  // dataset records, see stix_dataset.go
}

// stixSource is a source being assembled: its text grows with the
// evidence of its claims.
type stixSource struct {
	src  faultline.Source
	text strings.Builder
}

func (st *stixImport) raw(ob *stixObject, why string) {
	st.b.Objects = append(st.b.Objects, faultline.RawObject{ID: ob.ID, Type: ob.Type, JSON: compact(ob.raw)})
	st.sum.Unknown[why]++
}

func compact(raw json.RawMessage) []byte {
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return raw
	}
	return buf.Bytes()
}

func (st *stixImport) run(objs []*stixObject) {
	st.uuids = make(map[string]int, len(objs))
	for _, ob := range objs {
		st.uuids[uuidOf(ob.ID)]++
	}
	// Identities that are only ever a created_by_ref are publishers.
	endpoint := map[string]bool{}
	for _, ob := range objs {
		switch ob.Type {
		case "relationship":
			endpoint[ob.SourceRef], endpoint[ob.TargetRef] = true, true
		case "x-faultline-event":
			endpoint[ob.LocationRef] = true
			for _, p := range ob.Participants {
				endpoint[p.Ref] = true
			}
		}
	}
	creators := map[string]bool{}
	for _, ob := range objs {
		if ob.CreatedByRef != "" {
			creators[ob.CreatedByRef] = true
		}
	}
	for _, ob := range objs {
		switch ob.Type {
		case "threat-actor", "intrusion-set", "identity", "location":
			if ob.Type == "identity" && creators[ob.ID] && !endpoint[ob.ID] && ob.XEntityType == "" {
				st.raw(ob, "identity (publisher)")
				continue
			}
			if e, ok := st.entity(ob); ok {
				st.entities[ob.ID] = e
				st.b.Entities = append(st.b.Entities, e)
				st.sum.Imported++
			} else {
				st.raw(ob, ob.Type+" ("+pick(ob.IdentityClass, "not an actor or place")+")")
			}
		}
	}
	// Notes by the object they are about.
	notes := map[string][]*stixObject{}
	used := map[string]bool{}
	for _, ob := range objs {
		if ob.Type == "note" {
			for _, r := range ob.ObjectRefs {
				notes[r] = append(notes[r], ob)
			}
		}
	}
	// Reports by the object they list, the first by id winning.
	reportOf := map[string]*stixObject{}
	var reports []*stixObject
	for _, ob := range objs {
		if ob.Type == "report" {
			reports = append(reports, ob)
		}
	}
	sort.Slice(reports, func(i, j int) bool { return reports[i].ID < reports[j].ID })
	for _, r := range reports {
		src := st.source(r)
		for _, ref := range r.ObjectRefs {
			if _, ok := reportOf[ref]; !ok {
				reportOf[ref] = r
			}
			// The report names the entities it lists; STIX gives no
			// position, so the mention is a zero-width span at 0.
			if _, ok := st.entities[ref]; ok {
				st.b.Mentions = append(st.b.Mentions, faultline.ImportMention{Source: src.src.SHA256, Entity: ref, Rule: "import.stix"})
			}
		}
	}
	for _, ob := range objs {
		switch ob.Type {
		case "relationship":
			if src, ok := st.byID[ob.SourceRef]; ok && src.Type == "x-faultline-event" && ob.XEventRole != "" {
				// The exporter derives these from the event's
				// participants and place, for consumers that do not
				// read the event object; the event carries them.
				st.sum.Imported++
				continue
			}
			if !st.relationship(ob, reportOf, notes[ob.ID], used) {
				st.raw(ob, "relationship "+ob.RelationshipType)
			} else {
				st.sum.Imported++
			}
		case "x-faultline-event":
			if st.record(ob, reportOf) {
				st.sum.Imported++ // a dataset record, see stix_dataset.go
				continue
			}
			if !st.event(ob, reportOf, notes[ob.ID], used) {
				st.raw(ob, ob.Type)
			} else {
				st.sum.Imported++
			}
		case "report":
			st.sum.Imported++
		case "threat-actor", "intrusion-set", "identity", "location", "note":
		default:
			if _, tlp := tlpMarkings[ob.ID]; tlp {
				st.sum.Imported++ // a TLP marking: becomes the sources' TLP
				continue
			}
			st.raw(ob, ob.Type)
		}
	}
	for _, ob := range objs {
		if ob.Type == "note" {
			if used[ob.ID] {
				st.sum.Imported++
			} else {
				st.raw(ob, "note (about no imported claim)")
			}
		}
	}
	for _, key := range st.order {
		s := st.sources[key]
		s.src.Text = s.text.String()
		st.b.Sources = append(st.b.Sources, s.src)
	}
}

// entityType decides the Faultline type of an entity object.
func (st *stixImport) entityType(ob *stixObject) (faultline.EntityType, bool) {
	if t := faultline.EntityType(ob.XEntityType); t.Valid() {
		return t, true
	}
	switch ob.Type {
	case "threat-actor", "intrusion-set":
		return faultline.ArmedGroup, true
	case "identity":
		switch ob.IdentityClass {
		case "individual":
			return faultline.Person, true
		case "organization", "group", "":
			for _, s := range ob.Sectors {
				if s == "government" || s == "government-national" || s == "defense" {
					return faultline.GovernmentBody, true
				}
			}
			return faultline.Organization, true
		}
		return "", false // sector, system, class, unknown
	case "location":
		if strings.EqualFold(ob.LocationType, "country") || (ob.Country != "" && ob.City == "" && ob.AdminArea == "" && ob.Latitude == nil && ob.LocationType == "") {
			return faultline.Country, true
		}
		return faultline.Location, true
	}
	return "", false
}

// entity maps an entity object.
func (st *stixImport) entity(ob *stixObject) (faultline.ImportEntity, bool) {
	typ, ok := st.entityType(ob)
	name := clean(ob.Name)
	if !ok || faultline.NormalizeName(name) == "" {
		return faultline.ImportEntity{}, false
	}
	e := faultline.ImportEntity{Ref: ob.ID, Name: name, Type: typ, Lat: ob.Latitude, Lon: ob.Longitude}
	if ob.XEntityType != "" {
		// Faultline's exporter names an entity object by the entity's id.
		e.ID = uuidOf(ob.ID)
	}
	for _, list := range [][]string{ob.Aliases, ob.XAliases, ob.XOpenCTI} {
		for _, a := range list {
			e.Aliases = addListedAlias(e.Aliases, a)
		}
	}
	for _, x := range ob.ExternalRefs {
		scheme, value := strings.ToLower(strings.TrimSpace(x.SourceName)), strings.TrimSpace(x.ExternalID)
		if scheme == "" || value == "" {
			continue
		}
		if scheme == "faultline" {
			e.Key = value
			continue
		}
		e.ExternalIDs = append(e.ExternalIDs, faultline.ExternalID{Scheme: scheme, Value: value})
	}
	if typ == faultline.Country || typ == faultline.Location {
		if p := st.placeOf(ob, typ); p != nil && e.Key == "" && !exportedUnmatched(ob) {
			pe := placeEntity(ob.ID, p)
			for _, a := range append([]string{name}, e.Aliases...) {
				pe.Aliases = addAlias(pe.Aliases, pe.Name, a)
			}
			pe.ExternalIDs = mergeIDs(pe.ExternalIDs, e.ExternalIDs)
			pe.ID = e.ID
			if e.Lat != nil && e.Lon != nil {
				pe.Lat, pe.Lon = e.Lat, e.Lon
			}
			return pe, true
		}
		return st.keepID(ob, e), true
	}
	if e.Key == "" {
		id := e.ID
		e = st.res.actor(e)
		e.ID = id
	}
	return st.keepID(ob, e), true
}

// keepID gives a new entity the id of the producer's object, so that an
// export gives the object back under its id, when that is safe: the
// entity has no dictionary or gazetteer key (one with a key keeps the id
// every Faultline database derives from it, so that exchanges between
// them agree), the object's type is the one the export writes (an
// intrusion-set comes back a threat-actor, under an id of its own), and
// no other object of the bundle has the same UUID under another type.
func (st *stixImport) keepID(ob *stixObject, e faultline.ImportEntity) faultline.ImportEntity {
	if e.ID != "" || e.Key != "" {
		return e
	}
	switch ob.Type {
	case "threat-actor", "identity", "location":
	default:
		return e
	}
	if u := uuidOf(ob.ID); st.uuids[u] == 1 {
		e.ID = u
	}
	return e
}

// uuidOf is the UUID of a STIX id, lower-cased.
func uuidOf(id string) string {
	return strings.ToLower(id[strings.Index(id, "--")+2:])
}

// addListedAlias adds an alias the object lists, unless one that folds
// like it is there already. Unlike addAlias it keeps an alias that folds
// like the name: the object lists it (Faultline's export does when an
// entity first known by an acronym later took its full name), and an
// export of the imported entity should list it again.
func addListedAlias(aliases []string, a string) []string {
	a = clean(a)
	n := faultline.NormalizeName(a)
	if n == "" || slices.ContainsFunc(aliases, func(x string) bool { return faultline.NormalizeName(x) == n }) {
		return aliases
	}
	return append(aliases, a)
}

// placeOf finds the gazetteer place of a location object: a country by
// its code, a place by name in its country.
func (st *stixImport) placeOf(ob *stixObject, typ faultline.EntityType) *gazetteerPlace {
	if st.res.gaz == nil {
		return nil
	}
	if typ == faultline.Country && ob.Country != "" {
		if p, ok := st.res.gaz.Country(ob.Country); ok {
			return &p
		}
	}
	return st.res.place(pick(ob.City, ob.Name), ob.Country, ob.Latitude, ob.Longitude)
}

// source returns the source of a report, or of the bundle for nil.
func (st *stixImport) source(r *stixObject) *stixSource {
	key := ""
	if r != nil {
		key = r.ID
	}
	if s, ok := st.sources[key]; ok {
		return s
	}
	s := &stixSource{src: faultline.Source{Format: "stix", Reliability: st.o.Reliability, TLP: st.o.TLP}}
	if r == nil {
		s.src.SHA256 = st.sumSHA()
		s.src.Title = "STIX bundle " + st.in.name
		s.src.Path = st.in.name
	} else {
		s.src.SHA256 = sha("stix", r.ID)
		if len(r.XSHA256) == 64 && isHex(r.XSHA256) {
			s.src.SHA256 = strings.ToLower(r.XSHA256)
		}
		s.src.Title = pick(clean(r.Name), r.ID)
		s.src.Path = st.in.name + "#" + r.ID
		if d, err := stixDate(r.Published); err == nil {
			s.src.Published = d
		}
		if rel, err := faultline.ParseReliability(r.XReliability); err == nil {
			s.src.Reliability = rel
		}
		for _, m := range r.Markings {
			if t, ok := tlpMarkings[m]; ok && t.Level() > s.src.TLP.Level() {
				s.src.TLP = t
			}
		}
		if c, ok := st.byID[r.CreatedByRef]; ok {
			s.src.Publisher = clean(c.Name)
		}
		if r.XSHA256 != "" && len(r.ExternalRefs) > 0 {
			// Faultline's export: the document's reference names its
			// publisher (or "faultline-source"), path and URL, and a
			// report published when it was ingested had no date.
			x := r.ExternalRefs[0]
			s.src.Publisher, s.src.Path, s.src.URL = "", x.Description, x.URL
			if x.SourceName != "faultline-source" {
				s.src.Publisher = x.SourceName
			}
			if r.Published == r.Created {
				s.src.Published = ""
			}
		}
		if t, err := time.Parse(time.RFC3339Nano, r.Created); err == nil {
			s.src.IngestedAt = t.UTC()
		}
		if d := strings.TrimSpace(r.Description); d != "" {
			s.text.WriteString(d)
		}
	}
	st.sources[key] = s
	st.order = append(st.order, key)
	return s
}

// sumSHA is the natural key of the bundle's own source.
func (st *stixImport) sumSHA() string { return sha("stix-bundle", string(st.in.data)) }

// evidence appends the evidence of a claim to its source's text and
// returns the span.
func (s *stixSource) evidence(text string) []faultline.Span {
	text = strings.TrimSpace(text)
	if s.text.Len() > 0 {
		s.text.WriteString("\n\n")
	}
	start := len([]rune(s.text.String()))
	s.text.WriteString(text)
	return []faultline.Span{{Start: start, End: start + len([]rune(text)), Text: text}}
}

// evidenceText is the evidence of a claim: the notes about it, else the
// object's description, else fallback.
func evidenceText(ob *stixObject, notes []*stixObject, used map[string]bool, fallback string) string {
	var parts []string
	for _, n := range notes {
		if c := strings.TrimSpace(n.Content); c != "" {
			parts = append(parts, c)
			used[n.ID] = true
		}
	}
	if len(parts) == 0 {
		if d := strings.TrimSpace(ob.Description); d != "" {
			return d
		}
		return fallback
	}
	return strings.Join(parts, "\n")
}

func stixModality(s string) faultline.Modality {
	if m := faultline.Modality(s); m.Valid() {
		return m
	}
	return faultline.Asserted
}

// relationship maps a relationship to a relation claim; false when it
// maps to none.
func (st *stixImport) relationship(ob *stixObject, reportOf map[string]*stixObject, notes []*stixObject, used map[string]bool) bool {
	s, okS := st.entities[ob.SourceRef]
	o, okO := st.entities[ob.TargetRef]
	if !okS || !okO {
		return false
	}
	place := func(t faultline.EntityType) bool { return t == faultline.Location || t == faultline.Country }
	p := faultline.Predicate(ob.XPredicate)
	if !p.Valid() {
		switch rt := ob.RelationshipType; rt {
		case "located-at":
			p = faultline.BasedIn
			if place(s.Type) {
				p = faultline.LocatedIn
			}
		case "targets":
			p = faultline.HostileTo
			if place(o.Type) {
				p = faultline.ActiveIn
			}
		case "attributed-to":
			p = faultline.PartOf
		default:
			var ok bool
			if p, ok = stixPredicates[rt]; !ok {
				return false
			}
		}
	}
	if !faultline.ValidRelation(s.Type, p, o.Type) {
		return false
	}
	fallback := s.Name + " " + strings.ReplaceAll(ob.RelationshipType, "-", " ") + " " + o.Name + "."
	from, to := "", ""
	if d, err := stixDate(ob.StartTime); err == nil {
		from = d
	}
	if t, err := time.Parse(time.RFC3339Nano, ob.StopTime); err == nil {
		// STIX wants stop after start: the exporter writes the day after
		// the last day.
		to = t.UTC().AddDate(0, 0, -1).Format("2006-01-02")
	}
	// Without the notes' own details, one role or kind can only be
	// every claim's.
	role, kind := "", ""
	if len(ob.XRoles) == 1 {
		role = ob.XRoles[0]
	}
	if len(ob.XSupportKinds) == 1 {
		kind = ob.XSupportKinds[0]
	}
	has := detailsOf(notes)
	words := strings.ReplaceAll(string(p), "_", " ")
	says := func(abstract, subject, object string) bool {
		return strings.HasPrefix(abstract, subject+" "+words+" "+object+" (")
	}
	st.claims(ob, reportOf, notes, used, stixModality(ob.XModality), fallback, func(c *faultline.ImportClaim, n *stixObject) {
		c.Kind, c.Subject, c.Predicate, c.Object, c.ValidFrom, c.ValidTo = faultline.RelationClaim, ob.SourceRef, p, ob.TargetRef, from, to
		c.Role, c.SupportKind = role, kind
		if n == nil {
			return
		}
		if has.role {
			c.Role = clean(n.XRole)
		}
		if has.kind {
			c.SupportKind = clean(n.XSupportKind)
		}
		if has.from {
			c.ValidFrom = partialDate(n.XValidFrom)
		}
		if has.to {
			c.ValidTo = partialDate(n.XValidTo)
		}
		// A symmetric relation is folded into one direction; the note's
		// abstract ("A hostile to B (asserted)") says which way its
		// claim ran. The whole "A words B (" is compared, since one
		// name may begin the other ("Jamaat-ul-Ahrar", "Jamaat-ul-Ahrar
		// Pakistan").
		if p.Symmetric() && says(n.Abstract, o.Name, s.Name) && !says(n.Abstract, s.Name, o.Name) {
			c.Subject, c.Object = c.Object, c.Subject
		}
	})
	return true
}

// noteDetails says which of a claim's own details (what export/stix
// writes on a note beside the relationship or event that folds it with
// other claims) the notes about one object carry. A detail one note
// carries is each note's own, its absence meaning none; one no note
// carries comes from the folded object, as it must for bundles that give
// none (older Faultline exports, other producers).
type noteDetails struct {
	role, kind, from, to, date, location, participants, fatalities bool
}

func detailsOf(notes []*stixObject) noteDetails {
	var d noteDetails
	for _, n := range notes {
		if uuid.Validate(n.XClaimID) != nil {
			continue // not a claim's note
		}
		d.role = d.role || n.XRole != ""
		d.kind = d.kind || n.XSupportKind != ""
		d.from = d.from || n.XValidFrom != ""
		d.to = d.to || n.XValidTo != ""
		d.date = d.date || n.XEventDate != ""
		d.location = d.location || n.XLocationRef != ""
		d.participants = d.participants || len(n.XParticipants) > 0
		d.fatalities = d.fatalities || n.XFatalities != nil
	}
	return d
}

// partialDate returns s when it is a partial ISO date, else "".
func partialDate(s string) string {
	if _, err := faultline.ParseDate(s); err != nil {
		return ""
	}
	return s
}

// claims adds the claims behind a relationship or an event: one per note
// that carries a Faultline claim id (what Faultline's exporter writes, one
// note per claim, listed by the claim's report), else one from the object
// itself, with the notes' content as evidence. fill sets the kind's fields.
func (st *stixImport) claims(ob *stixObject, reportOf map[string]*stixObject, notes []*stixObject, used map[string]bool,
	modality faultline.Modality, fallback string, fill func(*faultline.ImportClaim, *stixObject)) {
	var per []*stixObject
	for _, n := range notes {
		if uuid.Validate(n.XClaimID) == nil {
			per = append(per, n)
		}
	}
	if len(per) == 0 {
		src := st.source(reportOf[ob.ID])
		c := faultline.ImportClaim{Key: "stix:" + ob.ID, Source: src.src.SHA256, Modality: modality,
			Evidence: src.evidence(evidenceText(ob, notes, used, fallback)), Rule: "import.stix"}
		fill(&c, nil)
		st.b.Claims = append(st.b.Claims, c)
		return
	}
	for _, n := range per {
		used[n.ID] = true
		r := reportOf[n.ID]
		if r == nil {
			r = reportOf[ob.ID]
		}
		src := st.source(r)
		c := faultline.ImportClaim{Key: "stix:" + n.ID, ID: strings.ToLower(n.XClaimID), Source: src.src.SHA256,
			Modality: stixModality(n.XModality), Evidence: src.evidence(pick(strings.TrimSpace(n.Content), n.Abstract, fallback)),
			Rule: pick(n.XRule, "import.stix")}
		if _, ok := st.entities[n.XAttributed]; ok {
			c.AttributedTo = n.XAttributed
		}
		if n.XCredibility >= 1 && n.XCredibility <= 6 {
			c.Credibility = n.XCredibility
		}
		switch status := faultline.ReviewStatus(n.XStatus); status {
		case faultline.StatusAccepted, faultline.StatusRejected, faultline.StatusEdited:
			c.Status = status
		}
		if len(n.Authors) > 0 {
			c.Analyst = clean(n.Authors[0])
		}
		fill(&c, n)
		st.b.Claims = append(st.b.Claims, c)
	}
}

// event maps an x-faultline-event to an event claim.
func (st *stixImport) event(ob *stixObject, reportOf map[string]*stixObject, notes []*stixObject, used map[string]bool) bool {
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
	if ob.Fatalities != nil && *ob.Fatalities < 0 {
		return false
	}
	var ev faultline.ImportClaim
	if _, err := faultline.ParseDate(ob.Date); err == nil {
		ev.EventDate = ob.Date
	}
	if _, ok := st.entities[ob.LocationRef]; ok {
		ev.Location = ob.LocationRef
	}
	ev.Participants = st.participants(ob.Participants)
	fallback := pick(clean(ob.Name), string(typ)+" "+ev.EventDate) + "."
	has := detailsOf(notes)
	st.claims(ob, reportOf, notes, used, stixModality(pick(ob.Modality, ob.XModality)), fallback, func(c *faultline.ImportClaim, n *stixObject) {
		c.Kind, c.EventType, c.EventDate, c.Location, c.Participants = faultline.EventClaim, typ, ev.EventDate, ev.Location, ev.Participants
		c.Fatalities, c.FatalitiesLow = ob.Fatalities, ob.FatalitiesLower
		if n == nil {
			return
		}
		// Each claim's own account, where the notes give it: the event
		// folds the most precise date, the place, every participant and
		// the highest count of all its claims.
		if has.date {
			c.EventDate = partialDate(n.XEventDate)
		}
		if has.location {
			c.Location = ""
			if _, ok := st.entities[n.XLocationRef]; ok {
				c.Location = n.XLocationRef
			}
		}
		if has.participants {
			c.Participants = st.participants(n.XParticipants)
		}
		if has.fatalities {
			c.Fatalities, c.FatalitiesLow = nil, false
			if n.XFatalities != nil && *n.XFatalities >= 0 {
				c.Fatalities, c.FatalitiesLow = n.XFatalities, n.XFatalitiesLow
			}
		}
		c.ValidFrom, c.ValidTo = partialDate(n.XValidFrom), partialDate(n.XValidTo)
	})
	return true
}

// participants maps participant refs to the imported entities, leaving
// out those that are not one or have no valid role.
func (st *stixImport) participants(refs []stixPartRef) []faultline.Participant {
	var out []faultline.Participant
	for _, p := range refs {
		role := faultline.ParticipantRole(p.Role)
		if _, ok := st.entities[p.Ref]; ok && role.Valid() {
			out = append(out, faultline.Participant{Entity: p.Ref, Role: role})
		}
	}
	return out
}

// stixDate reads the date of a STIX timestamp.
func stixDate(s string) (string, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return "", err
	}
	return t.UTC().Format("2006-01-02"), nil
}

func isHex(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return true
}
