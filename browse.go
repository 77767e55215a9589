package faultline

import "context"

// Browsing: what the web workbench and the JSON API need beyond Store —
// listings paged by cursor, the mentions of one source with the entities
// they resolve to, analyst edits of a claim, and the log of merges. A
// cursor is an opaque string a page hands out as Next and the caller
// passes back as After; "" starts at the beginning, and a page whose Next
// is "" is the last.

// EntityPageFilter narrows a page of entities (those no merge absorbed),
// ordered by name then id.
type EntityPageFilter struct {
	Type EntityType
	// Name keeps entities whose canonical name or an alias starts with it,
	// compared normalised (NormalizeName).
	Name  string
	After string
	Limit int
}

// EntityPage is one page of entities.
type EntityPage struct {
	Entities []Entity `json:"entities"`
	Next     string   `json:"next,omitempty"`
}

// ClaimPageFilter narrows a page of claims, ordered by source then id.
type ClaimPageFilter struct {
	ClaimFilter
	After string
}

// ClaimPage is one page of claims, each with its evidence.
type ClaimPage struct {
	Claims []Claim `json:"claims"`
	Next   string  `json:"next,omitempty"`
}

// SourcePageFilter narrows a page of sources, newest first.
type SourcePageFilter struct {
	SourceFilter
	After string
}

// SourcePage is one page of sources, without their text.
type SourcePage struct {
	Sources []Source `json:"sources"`
	Next    string   `json:"next,omitempty"`
}

// SourceMention is a mention in one source with the entity it resolved
// to, after merges.
type SourceMention struct {
	Span
	Rule   string    `json:"rule,omitempty"`
	Entity EntityRef `json:"entity"`
}

// ClaimEdit is an analyst's correction of a claim. Empty fields are left
// as they are; the claim's review status becomes edited.
type ClaimEdit struct {
	Predicate Predicate `json:"predicate,omitempty"`
	Modality  Modality  `json:"modality,omitempty"`
	ValidFrom *string   `json:"valid_from,omitempty"`
	ValidTo   *string   `json:"valid_to,omitempty"`
	EventDate *string   `json:"event_date,omitempty"`
}

// Validate checks the vocabulary and dates of an edit.
func (e *ClaimEdit) Validate() error {
	if e.Predicate != "" && !e.Predicate.Valid() {
		return Errorf(EINVALID, "predicate %q: want one of %s", e.Predicate, predicateList())
	}
	if e.Modality != "" && !e.Modality.Valid() {
		return Errorf(EINVALID, "modality %q: want %s", e.Modality, modalityList())
	}
	for _, d := range []*string{e.ValidFrom, e.ValidTo, e.EventDate} {
		if d != nil && *d != "" {
			if _, err := ParseDate(*d); err != nil {
				return err
			}
		}
	}
	if e.ValidFrom != nil && e.ValidTo != nil {
		if _, _, err := ParseDateRange(*e.ValidFrom, *e.ValidTo); err != nil {
			return err
		}
	}
	return nil
}

// MergeRecord is one analyst merge, in force or undone.
type MergeRecord struct {
	ID       int64     `json:"id"`
	From     EntityRef `json:"from"`
	Into     EntityRef `json:"into"`
	Analyst  string    `json:"analyst,omitempty"`
	At       string    `json:"at"`
	UndoneAt string    `json:"undone_at,omitempty"`
	UndoneBy string    `json:"undone_by,omitempty"`
}

// ClaimSource is the source of a claim with its reliability, for filters
// on the reliability of the sources behind a relation or an event.
type ClaimSource struct {
	ClaimID     string
	SourceID    int64
	Reliability Reliability
}

// EntityCard is an entity with its merge group and the sources that
// mention it: a profile's header, cheap however often it is mentioned.
type EntityCard struct {
	Entity
	Merged      []Entity      `json:"merged,omitempty"`
	Sources     []SourceCount `json:"sources"`
	SourceTotal int           `json:"source_total"`
	Mentions    int           `json:"mentions"`
}

// EntityIndexEntry is an entity with where it is mentioned: the sources
// and how many mentions each holds.
type EntityIndexEntry struct {
	Entity
	Sources []SourceMentions
}

// SourceMentions counts an entity's mentions in one source.
type SourceMentions struct {
	SourceID int64
	Mentions int
}

// BrowseService is what a browsing front end needs beyond Store.
type BrowseService interface {
	// EntityIndex calls fn for every entity, merged ones included, with
	// its own aliases and external ids (not its merge group's) and the
	// sources that mention it; in no particular order. It is how a read
	// model of millions of entities is loaded.
	EntityIndex(ctx context.Context, fn func(EntityIndexEntry) error) error
	// EntityPage lists entities no merge absorbed, by name.
	EntityPage(ctx context.Context, f EntityPageFilter) (*EntityPage, error)
	// ClaimPage lists claims with their evidence, by source and id.
	ClaimPage(ctx context.Context, f ClaimPageFilter) (*ClaimPage, error)
	// SourcePage lists sources, newest first.
	SourcePage(ctx context.Context, f SourcePageFilter) (*SourcePage, error)
	// SourceMentions lists the mentions of one source in text order.
	SourceMentions(ctx context.Context, sourceID int64) ([]SourceMention, error)
	// Claim returns one claim with its evidence, entity ids after merges.
	Claim(ctx context.Context, id string) (*Claim, error)
	// EditClaim applies an analyst's correction and marks the claim
	// edited; the correction is logged.
	EditClaim(ctx context.Context, id string, e ClaimEdit, analyst string) error
	// MergeLog lists merges, newest first.
	MergeLog(ctx context.Context, limit int) ([]MergeRecord, error)
	// ClaimSources calls fn for every claim with its source's id and
	// reliability.
	ClaimSources(ctx context.Context, fn func(ClaimSource) error) error
	// Fingerprint changes whenever a source, review, merge or alias is
	// written, by this process or another; a cache compares it to know
	// when to rebuild.
	Fingerprint(ctx context.Context) (string, error)
}
