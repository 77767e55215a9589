-- 0004: what the web workbench and the JSON API need: keyset pagination
-- of entities, claims and sources, a log of analyst edits of claims, and
-- cheap checks of what changed (for the server's caches).
--
-- The entity indexes are partial, as the listings are: only entities no
-- merge absorbed are listed.
CREATE INDEX entities_page ON entities (name COLLATE NOCASE, id) WHERE merged_into IS NULL;
CREATE INDEX entities_type_page ON entities (type, name COLLATE NOCASE, id) WHERE merged_into IS NULL;
CREATE INDEX claims_page ON claims (source_id, id);
CREATE INDEX reviews_at ON reviews (at);
CREATE INDEX aliases_analyst ON aliases (created_at) WHERE origin = 'analyst';

-- An analyst's correction of a claim: the claim row is updated in place
-- and the old and new values are kept here, so that every edit can be
-- audited (and re-applied should the claim be re-created).
CREATE TABLE claim_edits (
	id        INTEGER PRIMARY KEY,
	claim_id  TEXT NOT NULL,
	field     TEXT NOT NULL,
	old_value TEXT NOT NULL DEFAULT '',
	new_value TEXT NOT NULL DEFAULT '',
	analyst   TEXT NOT NULL DEFAULT '',
	at        TEXT NOT NULL
);
CREATE INDEX claim_edits_claim ON claim_edits (claim_id);
CREATE INDEX claim_edits_at ON claim_edits (at);
