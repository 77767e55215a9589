package stix

import (
	"bufio"
	"crypto/sha256"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/gazetteer"
)

// namespace is the UUIDv5 namespace of the ids this package derives. It is
// fixed forever: changing it changes every exported id.
var namespace = uuid.MustParse("9a6c1f4e-2b7d-5c83-a1e9-4d0f6b3c8e27")

// Fixed ids and the date of the fixed objects.
var (
	// ProducerID is the identity of Faultline, the creator of the
	// extension definitions and of every object it derives.
	ProducerID = "identity--" + uuid.NewSHA1(namespace, []byte("producer:faultline")).String()
	// EventExtensionID declares the x-faultline-event SDO.
	EventExtensionID = "extension-definition--" + uuid.NewSHA1(namespace, []byte("extension:x-faultline-event")).String()
	// PropertyExtensionID declares the x_faultline_ properties.
	PropertyExtensionID = "extension-definition--" + uuid.NewSHA1(namespace, []byte("extension:x-faultline-properties")).String()
)

// The dates of the fixed objects. An extension definition is created on
// fixedTime and modified when its current version came out: a TAXII
// consumer holding an older version replaces it only for a later modified,
// so a new version needs a new date here.
const (
	fixedTime = "2025-01-01T00:00:00.000Z"
	// eventVersion 1.1.0 added dataset_record.
	eventVersion  = "1.1.0"
	eventModified = "2026-11-28T00:00:00.000Z"
	// propertiesVersion 1.1.0 added the claim details of notes.
	propertiesVersion  = "1.1.0"
	propertiesModified = "2026-11-28T00:00:00.000Z"
	// markingCreated is the created of the OASIS TLP 2.0 markings.
	markingCreated = "2022-10-01T00:00:00.000Z"
)

// EventType is the type of the custom event SDO.
const EventType = "x-faultline-event"

// EventSchema is the JSON schema (draft 2020-12) of x-faultline-event, to
// be used beside the OASIS common/core.json.
//
//go:embed schema/x-faultline-event.json
var EventSchema []byte

// tlpExtension is the OASIS extension that defines the TLP 2.0 markings.
const tlpExtension = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

// tlpIDs are the OASIS ids of the TLP 2.0 marking definitions.
var tlpIDs = map[faultline.TLP]string{
	faultline.TLPClear:       "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
	faultline.TLPGreen:       "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
	faultline.TLPAmber:       "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
	faultline.TLPAmberStrict: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
	faultline.TLPRed:         "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}

// MarkingID returns the id of the TLP 2.0 marking definition of t, "" for
// an unknown marking.
func MarkingID(t faultline.TLP) string { return tlpIDs[t] }

// Object is one STIX object, encoded.
type Object struct {
	ID       string
	Type     string
	Created  string // STIX timestamp, millisecond precision
	Modified string // "" for marking definitions, which have none
	// TLP is the marking the object carries.
	TLP  faultline.TLP
	JSON json.RawMessage
}

// Version returns the object's version as TAXII names it: modified, or
// created for objects without modified.
func (o *Object) Version() string {
	if o.Modified != "" {
		return o.Modified
	}
	return o.Created
}

// Options configures an export.
type Options struct {
	// Gazetteer, when set, fills country, administrative area, city and
	// precision of places from their GeoNames references.
	Gazetteer *gazetteer.Gazetteer
}

// Objects converts a snapshot to STIX objects, encoded, ordered as
// WriteBundle writes them. It holds every object's JSON at once: a large
// export should use Write, which holds one.
func Objects(s *faultline.Snapshot, o Options) ([]Object, error) {
	x, err := New(s, o)
	if err != nil {
		return nil, err
	}
	objs := make([]Object, x.Len())
	for i := range objs {
		if objs[i], err = x.Object(i); err != nil {
			return nil, err
		}
	}
	return objs, nil
}

// Write writes a snapshot as one bundle, encoding the objects one at a
// time: the bytes of WriteBundle of Objects.
func Write(w io.Writer, s *faultline.Snapshot, o Options) error {
	x, err := New(s, o)
	if err != nil {
		return err
	}
	return x.WriteBundle(w)
}

// WriteBundle writes the objects as one bundle, one object per line.
func WriteBundle(w io.Writer, objs []Object) error {
	h := sha256.New()
	for _, o := range objs {
		io.WriteString(h, o.ID+"\x1f"+o.Version()+"\n")
	}
	id := "bundle--" + uuid.NewSHA1(namespace, h.Sum(nil)).String()
	bw := bufio.NewWriterSize(w, 256<<10)
	bw.WriteString(`{"type":"bundle","id":"` + id + `","objects":[`)
	for i, o := range objs {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
		bw.Write(o.JSON)
	}
	bw.WriteString("\n]}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write stix bundle: %w", err)
	}
	return nil
}

// timestampLayout writes STIX timestamps to the millisecond.
const timestampLayout = "2006-01-02T15:04:05.000Z"

// Timestamp formats a time as a STIX timestamp to the millisecond.
func Timestamp(t time.Time) string {
	return t.UTC().Truncate(time.Millisecond).Format(timestampLayout)
}

// dateStart is the first instant of a partial date, "" when it is not one.
func dateStart(date string) string {
	d, err := faultline.ParseDate(date)
	if err != nil {
		return ""
	}
	return d.FirstDay() + "T00:00:00.000Z"
}

// dateStop is the instant after the last day a partial date covers.
func dateStop(date string) string {
	d, err := faultline.ParseDate(date)
	if err != nil {
		return ""
	}
	t, _ := time.Parse(time.DateOnly, d.LastDay())
	return t.AddDate(0, 0, 1).Format("2006-01-02") + "T00:00:00.000Z"
}

// Confidence maps a modality to a STIX confidence (0–100).
func Confidence(m faultline.Modality) int {
	switch m {
	case faultline.Asserted:
		return 85
	case faultline.Reported:
		return 70
	case faultline.Alleged:
		return 40
	case faultline.Possible:
		return 20
	}
	return 0
}

// relationshipTypes maps predicates to relationship types.
var relationshipTypes = map[faultline.Predicate]string{
	faultline.LocatedIn: "located-at",
}

// RelationshipType returns the STIX relationship type of a predicate.
func RelationshipType(p faultline.Predicate) string {
	if t, ok := relationshipTypes[p]; ok {
		return t
	}
	return strings.ReplaceAll(string(p), "_", "-")
}

// RelationshipID returns the id of a relation's relationship object.
func RelationshipID(k faultline.RelationKey) string {
	return "relationship--" + uuid.NewSHA1(namespace, []byte("relation:"+k.Subject+":"+string(k.Predicate)+":"+k.Object)).String()
}

// ReportID returns the id of a source's report, from its SHA-256.
func ReportID(sha256 string) string {
	return "report--" + uuid.NewSHA1(namespace, []byte("source:"+sha256)).String()
}

// NoteID returns the id of a claim's note.
func NoteID(claimID string) string {
	return "note--" + uuid.NewSHA1(namespace, []byte("claim:"+claimID)).String()
}

// EventID returns the id of an event's object.
func EventID(id string) string { return EventType + "--" + id }
