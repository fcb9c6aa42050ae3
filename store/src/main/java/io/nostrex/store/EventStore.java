package io.nostrex.store;

import io.nostrex.protocol.Event;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * The one writer of events: stores batches idempotently, applying the NIP-01 replaceable and
 * addressable rules and NIP-09 deletions (see {@link BatchPlanner} for the rules). A batch is one
 * transaction: read what the batch touches, decide in memory, write with JDBC batches. Writers hold
 * an advisory lock for their transaction, so concurrent writers (two archivers during a rebalance)
 * take turns and never plan against a stale read.
 */
public final class EventStore {
    private final DataSource dataSource;
    private final boolean authorDisjoint;
    private final Set<String> relayUrls;
    private final Predicate<Event> banned;

    /** A store that takes NIP-62 requests to vanish only when they name {@code ALL_RELAYS}. */
    public EventStore(DataSource dataSource) {
        this(dataSource, Set.of());
    }

    /**
     * @param relayUrls this relay's public URLs, normalized ({@code AuthEvents.normalize}): a NIP-62
     *     request to vanish naming one of them, or {@code ALL_RELAYS}, applies here
     */
    public EventStore(DataSource dataSource, Set<String> relayUrls) {
        this(dataSource, false, relayUrls, e -> false);
    }

    /** As {@link #EventStore(DataSource, Set)}, refusing what {@code banned} says the operators banned (NIP-86). */
    public EventStore(DataSource dataSource, Set<String> relayUrls, Predicate<Event> banned) {
        this(dataSource, false, relayUrls, banned);
    }

    private EventStore(DataSource dataSource, boolean authorDisjoint, Set<String> relayUrls, Predicate<Event> banned) {
        this.dataSource = dataSource;
        this.authorDisjoint = authorDisjoint;
        this.relayUrls = Set.copyOf(relayUrls);
        this.banned = banned;
    }

    /**
     * A writer for one of several that run at once, each given events of authors no other one
     * of them is given (a replay split by author). Every rule of {@link BatchPlanner} but one relates
     * events of one author (an id is a hash over its pubkey; addresses and deletions name their
     * author), so such writers cannot plan against each other's writes: they share the writer lock,
     * and only exclude the ordinary writers (the live archiver), which take it alone. The exception,
     * a NIP-62 request to vanish (it deletes gift wraps of other authors), must be written by one
     * writer alone with the events before it stored.
     */
    public static EventStore authorDisjoint(DataSource dataSource, Set<String> relayUrls, Predicate<Event> banned) {
        return new EventStore(dataSource, true, relayUrls, banned);
    }

    /**
     * Stores the events in order, in one transaction, and returns one outcome per event, in the same
     * order. Storing events again changes nothing: they come back {@link StoreOutcome#DUPLICATE} (or
     * {@link StoreOutcome#DELETED}). On failure nothing is written and a {@link StoreException} is thrown.
     */
    public List<StoreOutcome> store(List<Event> batch) {
        return store(batch, Set.of());
    }

    /**
     * As {@link #store(List)}; {@code vanishHere}: the ids of requests to vanish (NIP-62) that the
     * gateway found naming the URL its client reached this relay at, which apply here whatever this
     * store's own URLs.
     */
    public List<StoreOutcome> store(List<Event> batch, Set<String> vanishHere) {
        return store(batch, vanishHere, Map.of());
    }

    /**
     * As {@link #store(List, Set)}; {@code json}: the JSON of events of the batch as they came off
     * the log (the gateway's {@code EventJson}, forwarded unchanged), stored as they are instead of
     * being written again; an event without an entry is written with {@code EventJson}.
     */
    public List<StoreOutcome> store(List<Event> batch, Set<String> vanishHere, Map<Event, String> json) {
        if (batch.isEmpty()) {
            return List.of();
        }
        return inTransaction(c -> write(c, batch, vanishHere, json));
    }

    /**
     * As {@link #store(List, Set, Map)}, for records replayed from a Kafka topic: in the same
     * transaction, records that {@code topic}'s partitions are stored up to (exclusive) the offsets in
     * {@code next} (see {@link LogPositions}). The positions move even when every event was a duplicate.
     */
    public List<StoreOutcome> store(List<Event> batch, Set<String> vanishHere, Map<Event, String> json, String topic,
                                    Map<Integer, Long> next) {
        return inTransaction(c -> {
            List<StoreOutcome> outcomes = batch.isEmpty() ? List.of() : write(c, batch, vanishHere, json);
            LogPositions.write(c, topic, next);
            return outcomes;
        });
    }

    /**
     * Deletes one stored event (NIP-86 banevent), with its tag rows; its id stays known, so it is a
     * duplicate if it comes again (the validators refuse it first). Returns whether it was stored.
     */
    public boolean deleteEvent(String id) {
        if (!io.nostrex.protocol.Hex.isLowerHex(id, 64)) {
            return false;
        }
        return inTransaction(c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement("WITH gone AS (DELETE FROM events WHERE id = ?"
                    + " RETURNING id, created_at, tags), untagged AS (" + BatchWriter.DELETE_GONE_TAGS + ")"
                    + " SELECT count(*) FROM gone")) {
                ps.setBytes(1, io.nostrex.protocol.Hex.decode(id));
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getLong(1) > 0;
                }
            }
        });
    }

    /** Records where a replay of {@code topic} stands (see {@link LogPositions}), on its own. */
    public void storePositions(String topic, Map<Integer, Long> next) {
        inTransaction(c -> {
            LogPositions.write(c, topic, next);
            return null;
        });
    }

    /** Read what the batch touches, decide in memory, write. */
    private List<StoreOutcome> write(Connection c, List<Event> batch, Set<String> vanishHere, Map<Event, String> json)
            throws SQLException {
        Snapshot snapshot = SnapshotReader.read(c, batch);
        BatchPlan plan = BatchPlanner.plan(batch, snapshot,
                e -> vanishHere.contains(e.id()) || io.nostrex.protocol.Vanish.isRequestTo(e, relayUrls), banned);
        BatchWriter.write(c, plan, json);
        return plan.outcomes();
    }

    /**
     * Deletes the events whose NIP-40 expiration is at or before now (queries already hide them) and
     * returns how many. Their ids stay known, so a late copy is a duplicate, not a resurrection.
     */
    public int purgeExpired(Clock clock) {
        return inTransaction(c -> {
            String sql = "WITH gone AS (DELETE FROM events WHERE expires_at <= ? RETURNING id, created_at, tags),"
                    + " untagged AS (" + BatchWriter.DELETE_GONE_TAGS + ") SELECT count(*) FROM gone";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, clock.instant().getEpochSecond());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (authorDisjoint) {
                    Jdbc.lockWriterShared(c);
                } else {
                    Jdbc.lockWriter(c);
                }
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("store transaction failed", e);
        }
    }
}
