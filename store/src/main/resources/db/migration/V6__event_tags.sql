-- One row per indexed tag of a stored event (the keys of TagIndex, as in events.tags), ordered by
-- tag then newest first. A REQ driven by a tag walks one tag's rows newest first and stops after
-- `limit` matches; the GIN index on events.tags can only hand back every row with the tag, which
-- PostgreSQL must then fetch and sort (seen: 50-100 ms for a tag with 5,000 events on a 1M store).
-- Rows are removed with their event (see BatchWriter, EventStore.purgeExpired); a query joins them to
-- events, so a row left behind could never be served.
CREATE TABLE event_tags (
    tag              text   NOT NULL,
    event_created_at bigint NOT NULL,
    event_id         bytea  NOT NULL
);

-- Existing events first, then the index (faster than indexing row by row). events.tags holds no
-- repeats (TagIndex.keys), so neither does this.
INSERT INTO event_tags (tag, event_created_at, event_id)
SELECT k.tag, e.created_at, e.id FROM events e CROSS JOIN LATERAL unnest(e.tags) AS k(tag);

-- Unique, in the order REQ results take (newest first, lowest id first on ties).
CREATE UNIQUE INDEX event_tags_newest ON event_tags (tag, event_created_at DESC, event_id);
