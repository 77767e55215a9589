-- 0005: records of event datasets (UCDP GED, ACLED), one compact row each.
--
-- A dataset of hundreds of thousands of structured records is not prose:
-- its records are not stored as a source document each with an event
-- claim, evidence and participants (four tables, a dozen indexes and a
-- search row per record), but as one row here. The imported file is the
-- source of all its records (one sources row, with the reliability and TLP
-- of the import); each record keeps the line it starts on and its own
-- sourcing in words (source_text: UCDP's source_article, ACLED's source;
-- notes: ACLED's notes, UCDP's dyad and place description).
--
-- Entities are referred to by entities.rid (entities are never deleted and
-- their rid never changes), rows as they resolved before any merge, as in
-- claims; readers follow merges. The entity columns declare no foreign
-- key: the import writes only rids it has just read from entities, in the
-- same transaction, and the three checks per record cost a fifth of the
-- insert. The source does, for ON DELETE CASCADE.
CREATE TABLE dataset_events (
	rid            INTEGER PRIMARY KEY,
	id             TEXT    NOT NULL UNIQUE,  -- "ucdp:59553", "acled:PAK1234"
	source_id      INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	line           INTEGER NOT NULL,
	-- The indexed columns come first: building an index reads them from
	-- every row, and SQLite decodes a row's columns in order.
	date           TEXT    NOT NULL,         -- at the dataset's precision
	agent          INTEGER,
	target         INTEGER,
	location       INTEGER,
	event_type     TEXT    NOT NULL,
	sub_type       TEXT    NOT NULL DEFAULT '',
	date_prec      INTEGER NOT NULL DEFAULT 0,
	date_start     TEXT,                     -- NULL: the same as date
	date_end       TEXT,                     -- NULL: the same as date
	place          TEXT    NOT NULL DEFAULT '',
	place_prec     INTEGER NOT NULL DEFAULT 0,
	lat            REAL,
	lon            REAL,
	deaths         INTEGER,
	deaths_low     INTEGER,
	deaths_high    INTEGER,
	fatalities_low INTEGER NOT NULL DEFAULT 0,
	source_text    TEXT    NOT NULL DEFAULT '',
	notes          TEXT    NOT NULL DEFAULT ''
);

-- The secondary indexes: the timeline's date range, actor and place, and
-- the records of a source (for ON DELETE CASCADE and profiles). A large
-- import drops them in its first batch's transaction, keeping their SQL in
-- deferred_indexes, and creates them again when it closes: building an
-- index over 400,000 rows takes about half a second, maintaining it row by
-- row (random keys) about three.
CREATE INDEX dataset_events_date ON dataset_events (date);
CREATE INDEX dataset_events_agent ON dataset_events (agent) WHERE agent IS NOT NULL;
CREATE INDEX dataset_events_target ON dataset_events (target) WHERE target IS NOT NULL;
CREATE INDEX dataset_events_location ON dataset_events (location) WHERE location IS NOT NULL;
CREATE INDEX dataset_events_source ON dataset_events (source_id, line);

-- Indexes dropped for a bulk load and not yet rebuilt. The rows are
-- written in the same transaction as the DROP, so that an import that dies
-- half-way leaves the definitions behind for the next run to restore.
CREATE TABLE deferred_indexes (
	name TEXT PRIMARY KEY,
	sql  TEXT NOT NULL
) WITHOUT ROWID;
