-- Every filter is read by walking one composite index in the order REQ wants (FilterSql):
-- a filter with a tag and kinds walks one (tag, kind) at a time, so event_tags carries its event's
-- kind and an index leading with both; authors with kinds get the id in their index, so that the
-- index alone gives the walk's order. The table is rebuilt rather than updated in place: one pass
-- over it, then the indexes are built once.
CREATE TABLE event_tags_with_kind AS
SELECT t.tag, e.kind, t.event_created_at, t.event_id
FROM event_tags t JOIN events e ON e.id = t.event_id AND e.created_at = t.event_created_at;

DROP TABLE event_tags;
ALTER TABLE event_tags_with_kind RENAME TO event_tags;
ALTER TABLE event_tags ALTER COLUMN tag SET NOT NULL;
ALTER TABLE event_tags ALTER COLUMN kind SET NOT NULL;
ALTER TABLE event_tags ALTER COLUMN event_created_at SET NOT NULL;
ALTER TABLE event_tags ALTER COLUMN event_id SET NOT NULL;

CREATE UNIQUE INDEX event_tags_newest ON event_tags (tag, event_created_at DESC, event_id);
CREATE UNIQUE INDEX event_tags_kind_newest ON event_tags (tag, kind, event_created_at DESC, event_id);

CREATE INDEX events_pubkey_kind_created_at_id ON events (pubkey, kind, created_at DESC, id);
DROP INDEX events_pubkey_kind_created_at;

-- Plan every kind walk as if the kind were rare. A plan made once for any kind otherwise takes
-- PostgreSQL's guess that a kind is a third of the events, and walks the whole created_at index
-- looking for a rare or absent one; planned as rare, it walks (kind, created_at DESC, id), which
-- is also the best plan for a common kind, the walk stopping at its limit. n_distinct is read per
-- partition; PartitionMaintainer sets it on the partitions it creates.
ALTER TABLE events ALTER COLUMN kind SET (n_distinct = -1);
DO $$
DECLARE part regclass;
BEGIN
    FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'events'::regclass LOOP
        EXECUTE format('ALTER TABLE %s ALTER COLUMN kind SET (n_distinct = -1)', part);
    END LOOP;
END $$;
ALTER TABLE event_tags ALTER COLUMN kind SET (n_distinct = -1);
ANALYZE events;
ANALYZE event_tags;
