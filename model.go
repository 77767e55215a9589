package faultline

import "time"

// Source is one ingested document.
type Source struct {
	ID          int64       `json:"id"`
	SHA256      string      `json:"sha256"`
	Title       string      `json:"title"`
	URL         string      `json:"url,omitempty"`
	Publisher   string      `json:"publisher,omitempty"`
	Author      string      `json:"author,omitempty"`
	Published   string      `json:"published,omitempty"` // ISO 8601, partial precision allowed
	Path        string      `json:"path,omitempty"`
	Format      string      `json:"format"` // txt, md, html, pdf
	Reliability Reliability `json:"reliability"`
	TLP         TLP         `json:"tlp"`
	Text        string      `json:"text,omitempty"`
	Chars       int         `json:"chars"`
	IngestedAt  time.Time   `json:"ingested_at"`
}

// Validate checks the fields a caller sets.
func (s *Source) Validate() error {
	switch {
	case len(s.SHA256) != 64:
		return Errorf(EINVALID, "source %q: sha256 must be 64 hex digits", s.Path)
	case !s.Reliability.Valid():
		return Errorf(EINVALID, "source %q: reliability %q: want A–F", s.Path, s.Reliability)
	case s.TLP.Level() < 0:
		return Errorf(EINVALID, "source %q: tlp %q is not a TLP 2.0 marking", s.Path, s.TLP)
	}
	return nil
}

// Entity is a resolved actor or place, shared by every document that
// mentions it.
type Entity struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	Type        EntityType   `json:"type"`
	Aliases     []string     `json:"aliases"`
	ExternalIDs []ExternalID `json:"external_ids,omitempty"`
	Lat         *float64     `json:"lat,omitempty"`
	Lon         *float64     `json:"lon,omitempty"`
	// MergedInto is the entity an analyst merged this one into, if any.
	MergedInto string `json:"merged_into,omitempty"`
}

// MentionInContext is a mention with the sentence around it, for profiles.
type MentionInContext struct {
	SourceID    int64  `json:"source_id"`
	SourceTitle string `json:"source_title"`
	Start       int    `json:"start"`
	End         int    `json:"end"`
	Text        string `json:"text"`
	Context     string `json:"context"`
	Rule        string `json:"rule,omitempty"`
}

// SourceCount is a source and how many mentions of an entity it holds.
type SourceCount struct {
	Source
	Mentions int `json:"mentions"`
}

// EntityProfile is everything stored about an entity: the entity, the
// entities merged into it, where it appears and in what words.
type EntityProfile struct {
	Entity
	Merged   []Entity           `json:"merged,omitempty"`
	Sources  []SourceCount      `json:"sources"`
	Mentions []MentionInContext `json:"mentions"`
	Claims   []Claim            `json:"claims,omitempty"`
}

// ClaimKind says whether a claim is a relation or an event participation.
type ClaimKind string

// Claim kinds.
const (
	RelationClaim ClaimKind = "relation"
	EventClaim    ClaimKind = "event"
)

// ReviewStatus records what an analyst made of a claim.
type ReviewStatus string

// Review statuses.
const (
	StatusMachine  ReviewStatus = "machine"
	StatusAccepted ReviewStatus = "accepted"
	StatusRejected ReviewStatus = "rejected"
	StatusEdited   ReviewStatus = "edited"
)

// Claim is one assertion from one source: a relation between two entities
// or an event with its participants. Provenance is not optional: every
// claim has a source, evidence, a modality and a rule or an analyst.
type Claim struct {
	ID       string    `json:"id"`
	SourceID int64     `json:"source_id"`
	Kind     ClaimKind `json:"kind"`
	// Relation claims.
	Subject     string    `json:"subject,omitempty"`
	Predicate   Predicate `json:"predicate,omitempty"`
	Object      string    `json:"object,omitempty"`
	Role        string    `json:"role,omitempty"`
	SupportKind string    `json:"support_kind,omitempty"`
	// Event claims.
	EventType     EventType     `json:"event_type,omitempty"`
	EventDate     string        `json:"event_date,omitempty"`
	Location      string        `json:"location,omitempty"`
	Participants  []Participant `json:"participants,omitempty"`
	Fatalities    *int          `json:"fatalities,omitempty"`
	FatalitiesLow bool          `json:"fatalities_is_lower_bound,omitempty"`
	// Both kinds.
	Modality     Modality     `json:"modality"`
	AttributedTo string       `json:"attributed_to,omitempty"`
	Credibility  int          `json:"credibility,omitempty"` // 1–6, Admiralty
	ValidFrom    string       `json:"valid_from,omitempty"`
	ValidTo      string       `json:"valid_to,omitempty"`
	Evidence     []Span       `json:"evidence"`
	Rule         string       `json:"rule,omitempty"`
	Analyst      string       `json:"analyst,omitempty"`
	Status       ReviewStatus `json:"status"`
}

// SearchHit is one full-text search result.
type SearchHit struct {
	Kind     string  `json:"kind"` // "entity" or "source"
	EntityID string  `json:"entity_id,omitempty"`
	SourceID int64   `json:"source_id,omitempty"`
	Title    string  `json:"title"`
	Type     string  `json:"type,omitempty"`
	Snippet  string  `json:"snippet"`
	Score    float64 `json:"score"`
}

// Stats counts what the database holds.
type Stats struct {
	Sources        int            `json:"sources"`
	Chars          int64          `json:"chars"`
	Entities       int            `json:"entities"`
	EntitiesByType map[string]int `json:"entities_by_type"`
	Mentions       int            `json:"mentions"`
	Aliases        int            `json:"aliases"`
	Claims         int            `json:"claims"`
	ClaimsByKind   map[string]int `json:"claims_by_kind"`
	Merges         int            `json:"merges"`
	// DatasetEvents counts the records of event datasets (UCDP GED,
	// ACLED), each an event of its own; ClaimsByKind["event"] counts the
	// event claims read from prose, which are not among them.
	// DatasetEventsByFormat splits them by their file's format ("ucdp",
	// "acled").
	DatasetEvents         int            `json:"dataset_events"`
	DatasetEventsByFormat map[string]int `json:"dataset_events_by_format"`
}

// IngestResult says what storing one document did.
type IngestResult struct {
	SourceID int64 `json:"source_id"`
	// Duplicate is true when a source with the same sha256 was already
	// stored; nothing was written.
	Duplicate   bool `json:"duplicate"`
	NewEntities int  `json:"new_entities"`
	Mentions    int  `json:"mentions"`
	Claims      int  `json:"claims"`
}
