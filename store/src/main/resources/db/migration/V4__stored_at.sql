-- Live catch-up asks for what was stored since a moment; rows arrive in stored_at order within
-- each partition, so a BRIN index is small and enough.
CREATE INDEX events_stored_at ON events USING brin (stored_at);
