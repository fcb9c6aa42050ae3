-- Live catch-up reads what was stored in the last few seconds. The BRIN index of V4 could not serve
-- that: the newest block ranges of a partition are not summarised until a vacuum, and unsummarised
-- ranges are always read, so a catch-up query rechecked every row of the hot range (seen: 126,000
-- rows and 700 ms on a 1M-event store under load). A B-tree finds those rows directly.
DROP INDEX events_stored_at;
CREATE INDEX events_stored_at ON events (stored_at);
