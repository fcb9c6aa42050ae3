-- Tag conditions are now found through event_tags (V6) or checked on rows another index found, so
-- the GIN index on events.tags only cost writes: every insert added its keys to the pending list,
-- and the insert that overflowed the list merged it, a latency spike on the archiver's transaction.
DROP INDEX events_tags;
