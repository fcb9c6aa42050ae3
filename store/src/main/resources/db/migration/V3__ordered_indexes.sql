-- REQ results are ordered created_at DESC, id ASC. Indexes that end in exactly that order let a
-- per-author or per-kind scan stop after `limit` rows; without the id the planner preferred to
-- walk the global created_at index and filter (seen: 250 ms for a kind query on 400k events).
CREATE INDEX events_pubkey_created_at_id ON events (pubkey, created_at DESC, id);
CREATE INDEX events_kind_created_at_id ON events (kind, created_at DESC, id);
DROP INDEX events_pubkey_created_at;
DROP INDEX events_kind_created_at;
