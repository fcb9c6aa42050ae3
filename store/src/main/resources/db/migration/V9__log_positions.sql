-- Where a replay of the Kafka log into this database stands: for each partition of a topic, the offset
-- of the next record to replay. Written in the transaction that stores the records before it, so a
-- replay that is killed resumes exactly where its last stored batch ended, and a new, empty database
-- starts from the beginning whatever a consumer group remembers. The live archiver does not use it.
CREATE TABLE log_positions (
    topic       text    NOT NULL,
    partition   integer NOT NULL,
    next_offset bigint  NOT NULL,
    PRIMARY KEY (topic, partition)
);
