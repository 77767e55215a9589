-- 0003: imports from exchange formats (STIX, UCDP GED, ACLED, sanctions
-- lists), stored batch by batch.
--
-- An import run is one file, known by the sha256 of its bytes; each batch
-- of it is stored in one transaction together with its import_batches row,
-- so that re-running the same import skips the batches already stored and
-- a failure never leaves half a batch.
CREATE TABLE import_runs (
	sha256      TEXT PRIMARY KEY,
	format      TEXT NOT NULL,
	name        TEXT NOT NULL DEFAULT '',
	started_at  TEXT NOT NULL,
	finished_at TEXT
);

CREATE TABLE import_batches (
	sha256  TEXT    NOT NULL REFERENCES import_runs (sha256),
	batch   INTEGER NOT NULL,
	records INTEGER NOT NULL DEFAULT 0,
	claims  INTEGER NOT NULL DEFAULT 0,
	done_at TEXT    NOT NULL,
	PRIMARY KEY (sha256, batch)
) WITHOUT ROWID;

-- Records of types Faultline has no model for (STIX indicators, sightings,
-- malware…), kept verbatim so that an import drops nothing silently and an
-- export can give them back. The id is the record's own (a STIX id).
CREATE TABLE raw_objects (
	id          TEXT PRIMARY KEY,
	type        TEXT NOT NULL,
	json        TEXT NOT NULL,
	import_sha  TEXT NOT NULL,
	imported_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX raw_objects_type ON raw_objects (type);
