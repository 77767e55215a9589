// Package stix writes a Faultline snapshot as a STIX 2.1 bundle, and gives
// the TAXII server the same objects one by one.
//
// # Writing
//
// A dataset's objects, encoded, are several times the size of the
// snapshot they come from (400,000 UCDP records: a 500 MB snapshot, a
// 1.6 GB bundle). So New plans an export without encoding anything: each
// object's id, times and marking, the object_refs of each report and every
// check that can fail, in an entry of some 50 bytes per object. Write (or
// Export.WriteBundle) then encodes and writes the objects one at a time,
// in bundle order, a report's object_refs one by one; an export needs
// little more than its snapshot, and fails, if it does, before it writes.
// Objects with WriteBundle gives the same bytes holding every object's
// JSON at once, for small exports and tests. The TAXII server keeps an
// Export per collection and encodes a page's objects (Export.Encode) in
// date-added order (Export.DateOrder). An Export is read-only once made.
//
// # Why by hand
//
// The one Go STIX library the module proxy serves, TcM1911/stix2 (v0.9.0,
// 2022), gives every object a random UUIDv4 id and a time.Now timestamp.
// Faultline's exports must be reproducible — a re-export updates the
// objects a platform already holds instead of duplicating them, and the same
// database gives the same bytes — so ids and timestamps must come from the
// data. The handful of types written here are plain structs marshalled by
// encoding/json; every object is checked against its OASIS JSON schema in
// the tests.
//
// # Mapping
//
//   - armed_group → threat-actor. threat_actor_types is ["terrorist"] when
//     the group carries a UN Security Council or OFAC list reference, else
//     ["unknown"]: Faultline does not label a group terrorist on its own.
//   - person → identity (identity_class "individual"), or threat-actor when
//     an exported, undenied relation says they lead (roles ["director"]) or
//     are a member of (roles ["agent"]) an armed group.
//   - organization, political_party → identity (identity_class
//     "organization"); government_body → identity ("organization", sectors
//     ["government"]).
//   - country, location → location, with latitude and longitude when known,
//     country (ISO 3166-1 alpha-2) from the entity's iso3166 reference or,
//     with a gazetteer, from its GeoNames place, administrative_area and
//     city from the gazetteer, and precision (metres) only for a city's own
//     GeoNames point (5000). A place with none of those gets the country of
//     the place an exported located_in relation puts it in, or region
//     "unknown", since STIX requires one of region, country or coordinates.
//   - Aliases go in aliases (threat-actor) or x_faultline_aliases;
//     external ids (dictionary key, ISO, UN, OFAC, UCDP, GeoNames) in
//     external_references with the scheme as source_name.
//   - Relations → relationship. located_in is STIX's located-at; the others
//     are custom types named after the predicate with hyphens: part-of,
//     leads, member-of, affiliated-with, allied-with, supports, hostile-to,
//     based-in, active-in. x_faultline_predicate keeps the predicate, so an
//     import can map back without guessing. start_time and stop_time come
//     from valid_from and valid_to (stop_time is the day after the last day
//     the date covers, as STIX wants stop after start).
//   - Events → x-faultline-event, a new SDO declared by an
//     extension-definition (see EventSchema for its JSON schema): name,
//     event_types, date and date_precision, start_time and stop_time,
//     location_ref, participants (ref and role), fatalities and
//     fatalities_is_lower_bound, modality, sources, denials. It is modelled
//     on OpenCTI's event (name, event_types, start_time, stop_time). Each
//     event also gets relationships a STIX consumer understands: event
//     attributed-to its agents, targets its targets, located-at its place,
//     and related-to its other participants (x_faultline_event_role says
//     which).
//   - Dataset records (UCDP GED and ACLED rows, each an event of its own)
//     → x-faultline-event with the same properties and relationships, plus
//     dataset_record: the record's id and line in its file, the dataset's
//     precision codes for date and place, the period the record allows
//     (also start_time and stop_time), its coordinates, low and high
//     deaths (the best estimate is fatalities) and its words (the sources
//     it was coded from, its notes); an external reference names the
//     dataset (ucdp-ged, acled) and the record's id there. The file is the
//     record's report and gives its marking; a record has no notes, as it
//     is its own evidence. Faultline's importer reads such an event back
//     as a dataset record.
//   - Each source → report (report_types ["threat-report"], published from
//     the source's date or ingest time) whose object_refs list what it
//     supports: the entities it mentions, the relationships and events its
//     claims support, the notes of its evidence and the publisher. The
//     publisher is an identity and the report's created_by_ref;
//     external_references carry the URL and the document's SHA-256.
//   - Each claim's evidence → note: content the evidence sentences,
//     abstract the claim in words, object_refs the relationship or event it
//     supports, x_faultline_claim_id, x_faultline_modality, x_faultline_rule,
//     x_faultline_status, x_faultline_attributed_to_ref (who the source
//     attributes the statement to: "according to …"), and what the claim
//     says on its own that its relationship or event folds with other
//     claims: x_faultline_role, x_faultline_support_kind,
//     x_faultline_valid_from, x_faultline_valid_to, and for an event's
//     claim x_faultline_event_date, x_faultline_location_ref,
//     x_faultline_participants, x_faultline_fatalities and
//     x_faultline_fatalities_is_lower_bound. An import gives each claim
//     back its own, so that export → import → export gives the same
//     objects.
//   - Modality → confidence (asserted 85, reported 70, alleged 40, possible
//     20, denied 0) plus x_faultline_modality, on relationships, events and
//     notes. The x_faultline_ properties are declared by a second
//     extension-definition of type toplevel-property-extension, which each
//     object using them names in its extensions.
//   - TLP → the standard TLP 2.0 marking-definition objects (the OASIS ids,
//     extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d). A
//     report and a note carry their source's marking; a relationship or an
//     event the most restrictive marking of the sources it folds; an entity
//     or a publisher the least restrictive of the sources that mention it,
//     since it only says that the entity exists under its exported names.
//
// # Ids and timestamps
//
// Entity objects take the entity's stored id (already a UUIDv5 of its
// natural key); events the event id (a UUIDv5 of its smallest claim id, or
// of a dataset record's id, "ucdp:59553");
// relationships, reports, notes and publishers a UUIDv5, in a namespace of
// this package, of the relation key, the document's SHA-256, the claim id
// and the publisher's folded name. created and modified are the earliest
// and latest ingest times of the sources behind an object, to the
// millisecond. The Faultline identity carries a fixed date, and so does an
// extension definition's created; its modified is the date of its current
// version, as a TAXII consumer replaces an object it holds only with a
// later modified: both definitions are at 1.1.0 of 2026-11-28 (the event's
// dataset_record, the claim details of notes), and a new version needs a
// new date. The bundle id is a UUIDv5 of its objects' ids and modified
// times, and objects come ordered by type, then id, one per line.
package stix
