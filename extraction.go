package faultline

// ExtractionFormat is the value of Extraction.Format for version 1.
const ExtractionFormat = "faultline.extraction/v1"

// Extraction is what the extractor produces for one document, in the
// faultline.extraction/v1 format (../shared/schema/extraction-v1.md). Fields
// beyond the contract (rule ids, dictionary keys, coordinates) are optional
// extras the schema permits.
type Extraction struct {
	Format    string              `json:"format"`
	Document  ExtractionDocument  `json:"document"`
	Entities  []ExtractedEntity   `json:"entities"`
	Relations []ExtractedRelation `json:"relations"`
	Events    []ExtractedEvent    `json:"events"`
}

// ExtractionDocument describes the document an extraction came from.
type ExtractionDocument struct {
	Path   string `json:"path,omitempty"`
	SHA256 string `json:"sha256"`
	Title  string `json:"title,omitempty"`
	Chars  int    `json:"chars"`
	// Date is the document's own date when the extractor found one, used to
	// anchor relative dates ("in March").
	Date string `json:"date,omitempty"`
}

// Span is a stretch of document text given by Unicode code-point offsets;
// Text equals that slice of the text.
type Span struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// Mention is one occurrence of an entity in the text, with the rule that
// found it.
type Mention struct {
	Span
	Rule string `json:"rule,omitempty"`
}

// ExternalID is an identifier of an entity in another system: the bundled
// dictionary ("faultline"), a sanctions list ("un", "ofac"), UCDP ("ucdp"),
// ISO 3166 ("iso3166"), GeoNames ("geonames").
type ExternalID struct {
	Scheme string `json:"scheme"`
	Value  string `json:"value"`
}

// ExtractedEntity is an entity as found in one document.
type ExtractedEntity struct {
	ID       string     `json:"id"`
	Name     string     `json:"name"`
	Type     EntityType `json:"type"`
	Aliases  []string   `json:"aliases"`
	Mentions []Mention  `json:"mentions"`
	// Key is the dictionary or gazetteer key the entity resolved to, if any;
	// it is what makes the same actor in two documents one entity.
	Key         string       `json:"key,omitempty"`
	ExternalIDs []ExternalID `json:"external_ids,omitempty"`
	Lat         *float64     `json:"lat,omitempty"`
	Lon         *float64     `json:"lon,omitempty"`
	// Rule names the rule that decided the entity's type.
	Rule string `json:"rule,omitempty"`
}

// ExtractedRelation is one relation claim found in a document.
type ExtractedRelation struct {
	Subject      string    `json:"subject"`
	Predicate    Predicate `json:"predicate"`
	Object       string    `json:"object"`
	Modality     Modality  `json:"modality"`
	AttributedTo *string   `json:"attributed_to"`
	ValidFrom    *string   `json:"valid_from"`
	ValidTo      *string   `json:"valid_to"`
	Role         *string   `json:"role,omitempty"`
	Kind         *string   `json:"kind,omitempty"`
	Evidence     []Span    `json:"evidence"`
	Rule         string    `json:"rule,omitempty"`
}

// Participant is an entity's part in an event.
type Participant struct {
	Entity string          `json:"entity"`
	Role   ParticipantRole `json:"role"`
}

// ExtractedEvent is one event claim found in a document.
type ExtractedEvent struct {
	ID           string        `json:"id"`
	Type         EventType     `json:"type"`
	Date         *string       `json:"date"`
	Location     *string       `json:"location"`
	Participants []Participant `json:"participants"`
	Fatalities   *int          `json:"fatalities"`
	// FatalitiesLow is set when the text gives only a lower bound
	// ("dozens", "at least 54").
	FatalitiesLow bool     `json:"fatalities_is_lower_bound,omitempty"`
	Modality      Modality `json:"modality"`
	AttributedTo  *string  `json:"attributed_to"`
	Evidence      []Span   `json:"evidence"`
	Rule          string   `json:"rule,omitempty"`
}

// NewExtraction returns an empty extraction for a document, with non-nil
// slices so that JSON shows [] rather than null.
func NewExtraction(doc ExtractionDocument) *Extraction {
	return &Extraction{
		Format:    ExtractionFormat,
		Document:  doc,
		Entities:  []ExtractedEntity{},
		Relations: []ExtractedRelation{},
		Events:    []ExtractedEvent{},
	}
}
