-- NIP-09: what kind-5 deletion requests deleted, kept so a deleted event is never accepted again.

-- By event id (e tags). Only events of the same pubkey as the request are deleted, so the key
-- includes the requester: another author's request for the same id deletes nothing.
CREATE TABLE deleted_events (
    id          bytea NOT NULL,   -- the target event id
    pubkey      bytea NOT NULL,   -- the author of the deletion request
    deletion_id bytea NOT NULL,
    PRIMARY KEY (id, pubkey)
);

-- By address (a tags, only those naming the requester's own pubkey): every version with
-- created_at <= deleted_until is deleted.
CREATE TABLE deleted_addresses (
    address       bytea  PRIMARY KEY,   -- sha256 of "kind:pubkey:d", as events.address
    deleted_until bigint NOT NULL,
    deletion_id   bytea  NOT NULL
);
