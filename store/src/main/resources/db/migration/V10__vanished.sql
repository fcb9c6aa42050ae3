-- NIP-62: the authors who asked this relay to vanish, and up to which created_at. Their events (and
-- the gift wraps addressed to them) up to then were deleted and are never accepted again.
CREATE TABLE vanished (
    pubkey     bytea  PRIMARY KEY,
    until      bigint NOT NULL,
    request_id bytea  NOT NULL
);
