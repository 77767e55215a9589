-- 0001: the initial Faultline schema.
--
-- Times are stored as RFC 3339 text in UTC. Entity ids are UUIDv5 strings
-- derived from natural keys; entities also carry an integer rid so that the
-- entity_fts rows have a stable rowid (VACUUM may renumber implicit rowids).

CREATE TABLE sources (
	id          INTEGER PRIMARY KEY,
	sha256      TEXT    NOT NULL UNIQUE,
	title       TEXT    NOT NULL DEFAULT '',
	url         TEXT    NOT NULL DEFAULT '',
	publisher   TEXT    NOT NULL DEFAULT '',
	author      TEXT    NOT NULL DEFAULT '',
	published   TEXT    NOT NULL DEFAULT '',
	path        TEXT    NOT NULL DEFAULT '',
	format      TEXT    NOT NULL DEFAULT '',
	reliability TEXT    NOT NULL CHECK (reliability IN ('A','B','C','D','E','F')),
	tlp         TEXT    NOT NULL CHECK (tlp IN ('clear','green','amber','amber+strict','red')),
	tlp_level   INTEGER GENERATED ALWAYS AS (CASE tlp
		WHEN 'clear' THEN 0 WHEN 'green' THEN 1 WHEN 'amber' THEN 2
		WHEN 'amber+strict' THEN 3 ELSE 4 END) VIRTUAL,
	text        TEXT    NOT NULL DEFAULT '',
	chars       INTEGER NOT NULL DEFAULT 0,
	ingested_at TEXT    NOT NULL
);
CREATE INDEX sources_ingested_at ON sources (ingested_at DESC, id DESC);

CREATE TABLE entities (
	rid         INTEGER PRIMARY KEY,
	id          TEXT    NOT NULL UNIQUE,
	name        TEXT    NOT NULL,
	norm        TEXT    NOT NULL,
	type        TEXT    NOT NULL CHECK (type IN ('person','armed_group','country',
		'government_body','political_party','organization','location')),
	key         TEXT    UNIQUE,
	lat         REAL,
	lon         REAL,
	merged_into TEXT    REFERENCES entities (id),
	created_at  TEXT    NOT NULL,
	CHECK (merged_into IS NULL OR merged_into <> id)
);
CREATE INDEX entities_norm ON entities (norm);
CREATE INDEX entities_merged_into ON entities (merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE aliases (
	entity_id  TEXT NOT NULL REFERENCES entities (id),
	alias      TEXT NOT NULL,
	norm       TEXT NOT NULL,
	origin     TEXT NOT NULL CHECK (origin IN ('extraction','analyst','dictionary')),
	analyst    TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	PRIMARY KEY (entity_id, norm)
) WITHOUT ROWID;
CREATE INDEX aliases_norm ON aliases (norm);

CREATE TABLE external_ids (
	entity_id TEXT NOT NULL REFERENCES entities (id),
	scheme    TEXT NOT NULL,
	value     TEXT NOT NULL,
	PRIMARY KEY (scheme, value)
) WITHOUT ROWID;
CREATE INDEX external_ids_entity ON external_ids (entity_id);

-- Mentions are clustered by source (seq numbers them within it), which
-- keeps a document's mentions together and spares a second index.
CREATE TABLE mentions (
	source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	seq       INTEGER NOT NULL,
	entity_id TEXT    NOT NULL REFERENCES entities (id),
	start     INTEGER NOT NULL,
	"end"     INTEGER NOT NULL,
	text      TEXT    NOT NULL DEFAULT '',
	rule      TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (source_id, seq),
	CHECK (0 <= start AND start <= "end")
) WITHOUT ROWID;
CREATE INDEX mentions_entity ON mentions (entity_id);

-- Entity ids in claims are the rows extracted entities resolved to before
-- following merges, so that an unmerge gives an entity its claims back;
-- readers map them to the final entity.
CREATE TABLE claims (
	id             TEXT    PRIMARY KEY,
	source_id      INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	kind           TEXT    NOT NULL CHECK (kind IN ('relation','event')),
	subject        TEXT    REFERENCES entities (id),
	predicate      TEXT,
	object         TEXT    REFERENCES entities (id),
	role           TEXT    NOT NULL DEFAULT '',
	support_kind   TEXT    NOT NULL DEFAULT '',
	event_type     TEXT,
	event_date     TEXT    NOT NULL DEFAULT '',
	location       TEXT    REFERENCES entities (id),
	fatalities     INTEGER,
	fatalities_low INTEGER NOT NULL DEFAULT 0,
	modality       TEXT    NOT NULL CHECK (modality IN ('asserted','reported','alleged','possible','denied')),
	attributed_to  TEXT    REFERENCES entities (id),
	credibility    INTEGER NOT NULL DEFAULT 0 CHECK (credibility BETWEEN 0 AND 6),
	valid_from     TEXT    NOT NULL DEFAULT '',
	valid_to       TEXT    NOT NULL DEFAULT '',
	rule           TEXT    NOT NULL DEFAULT '',
	analyst        TEXT    NOT NULL DEFAULT '',
	created_at     TEXT    NOT NULL,
	CHECK ((kind = 'relation' AND subject IS NOT NULL AND predicate IS NOT NULL AND object IS NOT NULL)
	    OR (kind = 'event' AND event_type IS NOT NULL))
);
CREATE INDEX claims_source ON claims (source_id);
CREATE INDEX claims_subject ON claims (subject);
CREATE INDEX claims_object ON claims (object);
CREATE INDEX claims_location ON claims (location) WHERE location IS NOT NULL;

CREATE TABLE claim_evidence (
	claim_id TEXT    NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
	seq      INTEGER NOT NULL,
	start    INTEGER NOT NULL,
	"end"    INTEGER NOT NULL,
	text     TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (claim_id, seq)
) WITHOUT ROWID;

CREATE TABLE claim_participants (
	claim_id  TEXT    NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
	seq       INTEGER NOT NULL,
	entity_id TEXT    NOT NULL REFERENCES entities (id),
	role      TEXT    NOT NULL CHECK (role IN ('agent','target','destination','other')),
	PRIMARY KEY (claim_id, seq)
) WITHOUT ROWID;
CREATE INDEX claim_participants_entity ON claim_participants (entity_id);

-- Reviews are kept apart from claims, with no foreign key, so that an
-- analyst's decision survives the claim being deleted and re-created by a
-- re-extraction with the same deterministic id.
CREATE TABLE reviews (
	claim_id TEXT PRIMARY KEY,
	status   TEXT NOT NULL CHECK (status IN ('machine','accepted','rejected','edited')),
	analyst  TEXT NOT NULL DEFAULT '',
	at       TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE merges (
	id        INTEGER PRIMARY KEY,
	from_id   TEXT NOT NULL REFERENCES entities (id),
	into_id   TEXT NOT NULL REFERENCES entities (id),
	analyst   TEXT NOT NULL DEFAULT '',
	at        TEXT NOT NULL,
	undone_at TEXT,
	undone_by TEXT
);
CREATE INDEX merges_from ON merges (from_id);

-- One row per final (unmerged) entity, rowid = entities.rid: its name, and
-- the names and aliases of it and every entity merged into it.
CREATE VIRTUAL TABLE entity_fts USING fts5 (
	name, aliases,
	tokenize = 'unicode61 remove_diacritics 2'
);

CREATE VIRTUAL TABLE source_fts USING fts5 (
	title, text,
	content = 'sources', content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER sources_fts_insert AFTER INSERT ON sources BEGIN
	INSERT INTO source_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER sources_fts_delete AFTER DELETE ON sources BEGIN
	INSERT INTO source_fts (source_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER sources_fts_update AFTER UPDATE OF title, text ON sources BEGIN
	INSERT INTO source_fts (source_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
	INSERT INTO source_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
