package faultline

import "context"

// The import model: records read from exchange formats (STIX bundles, UCDP
// GED and ACLED event tables, sanctions lists) reach the store as batches of
// sources, entities, claims and dataset events, each batch stored in one
// transaction and recorded, so that an interrupted import can be run again
// and skip what is already stored. The readers live in package importer;
// the store side is ImportService.
//
// Event datasets (UCDP GED, ACLED) are structured records, not prose, and
// come by the hundred thousand: a record is stored as a DatasetEvent, one
// compact row, rather than as a source document of its own with an event
// claim, evidence and participants. The file is the source of all its
// records (one Source, with the reliability and TLP the import gives it),
// and each record keeps its line in the file and its own sourcing (UCDP's
// source_article, ACLED's source and notes), so that provenance stays
// exact: the file, the line, the words. Queries show each record as an
// event of its own (see Event.Record).

// ImportSpec names one import: the format and the file, identified by the
// sha256 of its bytes. The sha256 and a batch's index are what make a re-run
// of the same file skip the batches an earlier run stored.
type ImportSpec struct {
	Format string // stix, ucdp, acled, unsc, ofac
	Name   string // the file's name, for messages and the run record
	SHA256 string // of the file's bytes, 64 hex digits
}

// Validate checks the spec.
func (s ImportSpec) Validate() error {
	if s.Format == "" {
		return Errorf(EINVALID, "import %s: format is required", s.Name)
	}
	if len(s.SHA256) != 64 {
		return Errorf(EINVALID, "import %s: sha256 must be 64 hex digits", s.Name)
	}
	return nil
}

// ImportEntity is an entity as an import file describes it. Ref is the
// file's own handle for it (a STIX id, "ucdp:356"), by which the claims of
// the same batch refer to it; the store resolves it against stored entities
// by the rules of IngestDocument: key, external ids, names.
type ImportEntity struct {
	Ref string `json:"ref"`
	// ID, when set, is the id the entity had where it was exported from
	// (Faultline's own STIX export): an entity stored under that id is
	// the entity, and a new one takes it, so that a round trip keeps ids.
	ID          string       `json:"id,omitempty"`
	Name        string       `json:"name"`
	Type        EntityType   `json:"type"`
	Key         string       `json:"key,omitempty"`
	Aliases     []string     `json:"aliases,omitempty"`
	ExternalIDs []ExternalID `json:"external_ids,omitempty"`
	Lat         *float64     `json:"lat,omitempty"`
	Lon         *float64     `json:"lon,omitempty"`
}

// ImportClaim is a claim as an import file gives it. Entities are named by
// their Ref in the batch, the source by its SHA256. Key is the claim's
// natural key within its format ("ucdp-ged:59553", a STIX relationship
// id): the claim id derives from it, so that importing the same record
// twice, from the same file or another, stores it once.
type ImportClaim struct {
	Key string `json:"key"`
	// ID, when set, is the claim's id where it was exported from; else
	// the id derives from Key.
	ID     string    `json:"id,omitempty"`
	Source string    `json:"source"`
	Kind   ClaimKind `json:"kind"`
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
	Modality     Modality `json:"modality"`
	AttributedTo string   `json:"attributed_to,omitempty"`
	ValidFrom    string   `json:"valid_from,omitempty"`
	ValidTo      string   `json:"valid_to,omitempty"`
	// Evidence are spans of the source's text.
	Evidence []Span `json:"evidence"`
	Rule     string `json:"rule"`
	// Credibility (Admiralty 1–6, 0 for none), Analyst and Status carry
	// an analyst's work where the file was exported from (a Faultline
	// export's notes); empty Status means machine.
	Credibility int          `json:"credibility,omitempty"`
	Analyst     string       `json:"analyst,omitempty"`
	Status      ReviewStatus `json:"status,omitempty"`
}

// ImportMention records that a source names an entity (a STIX report's
// object_refs), at a span of the source's text; a zero-width span at 0
// when the format gives no position.
type ImportMention struct {
	Source string `json:"source"` // a source's SHA256
	Entity string `json:"entity"` // an entity's Ref
	Span   Span   `json:"span"`
	Rule   string `json:"rule"`
}

// RawObject is a record of a type Faultline has no model for (a STIX
// indicator, a sighting), kept as it came so that nothing is dropped
// silently and an export can give it back.
type RawObject struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	JSON []byte `json:"json"`
}

// DatasetEvent is one record of an event dataset (a row of UCDP GED or
// ACLED): an event as the dataset codes it. Entities are named by their Ref
// in the batch. Counts are nil when the record gives none.
type DatasetEvent struct {
	// ID is the record's natural key, the same in every file and layout
	// of the dataset ("ucdp:59553", "acled:PAK1234"): a record imported
	// twice, from the same file or another, is stored once.
	ID string `json:"id"`
	// Line is the line of the file the record starts on (1-based).
	Line int       `json:"line"`
	Type EventType `json:"type"`
	// SubType is the dataset's own kind of event ("state-based
	// conflict", "Armed clash").
	SubType string `json:"sub_type,omitempty"`
	// Date is the event's date at the precision the dataset gives
	// ("2020-03-01", "2020-03", "2020"); DatePrec is the dataset's own
	// precision code (UCDP date_prec 1–5, ACLED time_precision 1–3);
	// DateStart and DateEnd bound the period the record allows.
	Date      string `json:"date"`
	DatePrec  int    `json:"date_prec,omitempty"`
	DateStart string `json:"date_start,omitempty"`
	DateEnd   string `json:"date_end,omitempty"`
	// Location is the place entity; Place the place as the record words
	// it; PlacePrec the dataset's precision code (UCDP where_prec 1–7,
	// ACLED geo_precision 1–3); Lat and Lon the record's coordinates.
	Location  string   `json:"location,omitempty"`
	Place     string   `json:"place,omitempty"`
	PlacePrec int      `json:"place_prec,omitempty"`
	Lat       *float64 `json:"lat,omitempty"`
	Lon       *float64 `json:"lon,omitempty"`
	// Agent and Target are the sides (UCDP side_a and side_b, ACLED
	// actor1 and actor2) that are actors; civilians, rioters and
	// protesters are not, and are named in Notes.
	Agent  string `json:"agent,omitempty"`
	Target string `json:"target,omitempty"`
	// Deaths is the dataset's estimate (UCDP best, ACLED fatalities);
	// DeathsLow and DeathsHigh its range where it gives one.
	// FatalitiesLow marks Deaths as a lower bound.
	Deaths        *int `json:"deaths,omitempty"`
	DeathsLow     *int `json:"deaths_low,omitempty"`
	DeathsHigh    *int `json:"deaths_high,omitempty"`
	FatalitiesLow bool `json:"fatalities_is_lower_bound,omitempty"`
	// SourceText is the record's own sourcing (UCDP source_article, ACLED
	// source); Notes the rest of what the record says in words (ACLED's
	// notes, UCDP's dyad and place description).
	SourceText string `json:"source_text,omitempty"`
	Notes      string `json:"notes,omitempty"`
}

// ImportBatch is one transaction's worth of an import: the records of
// input rows Index*size to (Index+1)*size, for the batch size of the
// format. Every entity a claim or a dataset event refers to is listed in
// the same batch.
type ImportBatch struct {
	Index    int            `json:"index"`
	Records  int            `json:"records"` // input records the batch covers, skipped ones included
	Sources  []Source       `json:"sources,omitempty"`
	Entities []ImportEntity `json:"entities,omitempty"`
	Claims   []ImportClaim  `json:"claims,omitempty"`
	// Mentions are stored only with a source the batch creates: a source
	// already stored keeps the mentions it has.
	Mentions []ImportMention `json:"mentions,omitempty"`
	Objects  []RawObject     `json:"objects,omitempty"`
	// Dataset is the source of Events: the imported file, the same in
	// every batch of a run. It is stored (once, by its SHA256) only when
	// a batch stores a record that was not stored before, so that a file
	// holding nothing new leaves no source behind.
	Dataset *Source        `json:"dataset,omitempty"`
	Events  []DatasetEvent `json:"events,omitempty"`
}

// ImportCounts says what storing batches did.
type ImportCounts struct {
	Batches int `json:"batches"`
	// Skipped counts batches an earlier run of the same file had stored.
	Skipped     int `json:"skipped_batches"`
	Sources     int `json:"sources"`      // new sources
	NewEntities int `json:"new_entities"` // entities created rather than resolved to stored ones
	Claims      int `json:"claims"`       // new claims
	Objects     int `json:"raw_objects"`  // raw objects stored
	// Events counts the dataset events stored; a record stored before
	// (from this file or another) is not counted.
	Events int `json:"dataset_events"`
}

// Add adds o to c.
func (c *ImportCounts) Add(o ImportCounts) {
	c.Batches += o.Batches
	c.Skipped += o.Skipped
	c.Sources += o.Sources
	c.NewEntities += o.NewEntities
	c.Claims += o.Claims
	c.Objects += o.Objects
	c.Events += o.Events
}

// ImportRun is an import in progress. It is used by one goroutine.
type ImportRun interface {
	// Write stores a batch in one transaction, with the record that it is
	// done; a batch an earlier run of the same file stored is skipped and
	// counted in Skipped. A failed batch leaves nothing behind.
	Write(ctx context.Context, b *ImportBatch) (ImportCounts, error)
	// Close finishes the run: deferred work (the indexes of dataset events
	// when a large import dropped them) is done and the run is recorded
	// as complete. It is called after a failed Write too.
	Close(ctx context.Context) error
}

// ImportService stores imported records.
type ImportService interface {
	// BeginImport starts (or resumes) the import of a file.
	BeginImport(ctx context.Context, spec ImportSpec) (ImportRun, error)
}
