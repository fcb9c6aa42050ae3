-- Every event id the store has ever accepted (stored, or superseded on arrival by a newer version).
-- A partitioned table cannot hold a unique index on id alone, so idempotency lives here.
CREATE TABLE event_ids (
    id bytea PRIMARY KEY
);

-- Stored events, partitioned by month of created_at (unix seconds). Monthly partitions are created
-- ahead by PartitionMaintainer; events_default takes any created_at no monthly partition covers.
CREATE TABLE events (
    id         bytea   NOT NULL,            -- 32 bytes
    pubkey     bytea   NOT NULL,            -- 32 bytes
    created_at bigint  NOT NULL,
    kind       integer NOT NULL,
    address    bytea,                       -- sha256 of "kind:pubkey:d" for replaceable and addressable kinds
    expires_at bigint,                      -- NIP-40 expiration, null when absent
    tags       text[]  NOT NULL,            -- single-letter tags as "x:value" (see TagIndex)
    search     tsvector,                    -- NIP-50: the content, 'simple' configuration
    json       text    NOT NULL,            -- the event exactly as served
    stored_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

CREATE TABLE events_default PARTITION OF events DEFAULT;

CREATE INDEX events_created_at ON events (created_at DESC, id);
CREATE INDEX events_pubkey_created_at ON events (pubkey, created_at DESC);
CREATE INDEX events_pubkey_kind_created_at ON events (pubkey, kind, created_at DESC);
CREATE INDEX events_kind_created_at ON events (kind, created_at DESC);
CREATE INDEX events_tags ON events USING gin (tags);
CREATE INDEX events_search ON events USING gin (search) WHERE search IS NOT NULL;
CREATE INDEX events_address ON events (address) WHERE address IS NOT NULL;
CREATE INDEX events_expires_at ON events (expires_at) WHERE expires_at IS NOT NULL;
