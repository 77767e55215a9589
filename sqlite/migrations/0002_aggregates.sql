-- 0002: indexes for the relation and event aggregates.
--
-- Both are partial, so that the planner (which has no statistics) never
-- prefers them to the subject and object indexes for relation queries:
-- the timeline reads the event claims without scanning the far more
-- numerous relation claims, and the place filter reads the located_in
-- claims (the place hierarchy) alone.
CREATE INDEX claims_events ON claims (event_type) WHERE kind = 'event';
CREATE INDEX claims_located_in ON claims (object, subject) WHERE predicate = 'located_in';
