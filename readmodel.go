package faultline

import "context"

// ModelSource is implemented by stores that can stream, in one read
// transaction, everything an in-memory read model (the server's) is built
// from, in rows rather than aggregates: the reader folds and indexes them
// in its own compact form, so that a database of a million entities is
// loaded without holding its relations, claims and mentions twice.
type ModelSource interface {
	// ScanModel calls v's functions, in the order of ModelVisitor's
	// fields, for everything the store holds. It stops at the first error
	// a function returns. Byte slices are valid only until the function
	// they are passed to returns.
	ScanModel(ctx context.Context, v *ModelVisitor) error
}

// ModelVisitor receives what ScanModel streams; every function must be
// set. Entity ids in claims and events are final (merges followed, as
// Relations and Events give them); elsewhere they are the entities' own.
type ModelVisitor struct {
	// Source receives every source, without its text, by id.
	Source func(s *Source) error
	// Entity receives every entity, merged ones included.
	Entity func(e *EntityRow) error
	// Alias receives each entity's own aliases, by entity and alias.
	Alias func(entityID, alias []byte) error
	// ExternalID receives the external ids of an entity beyond its key
	// (EntityRow.Key), by entity, scheme and value.
	ExternalID func(entityID, scheme, value []byte) error
	// Mentions receives how often each source mentions each entity, by
	// entity id, then source.
	Mentions func(entityID []byte, sourceID int64, n int) error
	// RelationClaim receives every relation claim no analyst rejected, in
	// the order Relations folds them (which orders a relation's ClaimIDs).
	// A claim may name a source that Source did not give (one deleted
	// while foreign keys were off); Relations leaves such claims out.
	RelationClaim func(c *RelationClaimRow) error
	// EventClaims receives the event claims no analyst rejected, one event
	// type at a time (events never join claims of two types), ready for
	// AggregateEvents; the slice is reused once the function returns.
	EventClaims func(claims []Claim) error
	// DatasetEvents receives the records of event datasets, each an event
	// of its own naming its entities by id only, as Events gives them.
	DatasetEvents func(events []Event) error
}

// EntityRow is an entity as ScanModel streams it.
type EntityRow struct {
	ID, Name, Type []byte
	// Key is the entity's dictionary key ("" for none): its first
	// external id, under the scheme KeyScheme names.
	Key        []byte
	KeyScheme  string
	MergedInto []byte
	// Lat and Lon are set when HasCoords is.
	Lat, Lon  float64
	HasCoords bool
}

// RelationClaimRow is a relation claim as ScanModel streams it.
type RelationClaimRow struct {
	ID                           []byte
	SourceID                     int64
	Subject, Predicate, Object   []byte
	Role, SupportKind            []byte
	Modality, ValidFrom, ValidTo []byte
	Status                       []byte // machine or accepted
}
