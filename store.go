package faultline

import "context"

// SourceFilter narrows a listing of sources.
type SourceFilter struct {
	Publisher string
	MaxTLP    TLP // empty: no limit
	Limit     int // 0: no limit
	WithText  bool
}

// EntityFilter narrows a listing of entities.
type EntityFilter struct {
	Type  EntityType
	Name  string // prefix of the canonical name or an alias, case-insensitive
	Limit int
}

// ClaimFilter narrows a listing of claims.
type ClaimFilter struct {
	EntityID string // claims where the entity is subject, object or participant
	SourceID int64
	Kind     ClaimKind
	Status   ReviewStatus
	// MaxTLP keeps the claims of sources marked at most this
	// restrictively; empty: no limit.
	MaxTLP TLP
	Limit  int
}

// SourceService stores and lists documents.
type SourceService interface {
	// IngestDocument stores a source and what was extracted from it in one
	// transaction, resolving extracted entities against stored ones. A
	// source whose sha256 is already stored is left as it is.
	IngestDocument(ctx context.Context, src *Source, ext *Extraction) (IngestResult, error)
	// Source returns one source with its text.
	Source(ctx context.Context, id int64) (*Source, error)
	// Sources lists sources, newest first.
	Sources(ctx context.Context, f SourceFilter) ([]Source, error)
}

// Ingestion is one document to store: its source and what was extracted
// from it.
type Ingestion struct {
	Source     *Source
	Extraction *Extraction
}

// BatchIngester is implemented by stores that can store many documents in
// one transaction, all or none, for bulk loaders where a commit per
// document would be most of the cost.
type BatchIngester interface {
	IngestBatch(ctx context.Context, docs []Ingestion) ([]IngestResult, error)
}

// EntityService finds entities and records analyst decisions about them.
type EntityService interface {
	// FindEntity resolves a reference (id, name or alias) to an entity,
	// following merges. It fails with ENOTFOUND or EAMBIGUOUS.
	FindEntity(ctx context.Context, ref string) (*Entity, error)
	// EntityProfile returns the entity with everything merged into it, the
	// sources that mention it and its mentions in context.
	EntityProfile(ctx context.Context, ref string, mentionLimit int) (*EntityProfile, error)
	// Entities lists entities that no merge has absorbed.
	Entities(ctx context.Context, f EntityFilter) ([]Entity, error)
	// Merge folds entity from into entity into; it is recorded and
	// survives re-ingest.
	Merge(ctx context.Context, from, into, analyst string) error
	// Unmerge undoes the merge of ref into another entity.
	Unmerge(ctx context.Context, ref, analyst string) error
	// AddAlias adds an analyst alias to an entity; later documents that use
	// the alias resolve to it.
	AddAlias(ctx context.Context, ref, alias, analyst string) error
}

// ClaimService lists claims and records analyst review.
type ClaimService interface {
	Claims(ctx context.Context, f ClaimFilter) ([]Claim, error)
	// SetClaimStatus records an analyst's review of a claim; it survives
	// re-ingest.
	SetClaimStatus(ctx context.Context, id string, status ReviewStatus, analyst string) error
	// Evidence returns the evidence of the given claims with their
	// sources, ordered by SortEvidence; unknown ids are skipped.
	Evidence(ctx context.Context, claimIDs []string) ([]ClaimEvidence, error)
}

// RelationService aggregates relation claims into relations: by (subject,
// predicate, object) after following merges, symmetric predicates folded,
// rejected claims left out (see AggregateRelations).
type RelationService interface {
	// Relations lists relation aggregates with their entities named. It
	// fails with ENOTFOUND or EAMBIGUOUS when the filter's entity does.
	Relations(ctx context.Context, f RelationFilter) ([]Relation, error)
	// Ties calls fn for every relation aggregate, reduced to a Tie, in no
	// particular order; it stops at the first error fn returns. It is how
	// a graph of millions of ties is loaded without holding Relations.
	Ties(ctx context.Context, f TieFilter, fn func(Tie) error) error
}

// EventService aggregates event claims into events (see AggregateEvents).
type EventService interface {
	// Events lists the events that pass the filter, by date, undated
	// last. It fails with ENOTFOUND or EAMBIGUOUS when the filter's actor
	// or place does.
	Events(ctx context.Context, f EventFilter) ([]Event, error)
}

// SearchService runs ranked full-text search over entity names, aliases and
// source text.
type SearchService interface {
	Search(ctx context.Context, query string, limit int) ([]SearchHit, error)
}

// Store is everything a backend provides. The sqlite package implements it
// and storetest checks any implementation.
type Store interface {
	SourceService
	EntityService
	ClaimService
	RelationService
	EventService
	SearchService
	SnapshotService
	ImportService
	Stats(ctx context.Context) (Stats, error)
	Close() error
}
