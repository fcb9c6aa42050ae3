package io.nostrex.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.nostrex.protocol.CountHll;
import io.nostrex.protocol.Deletion;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.Hex;
import io.nostrex.protocol.Json;
import io.nostrex.protocol.auth.ReadAccess;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/** The read path: stored events for REQ and COUNT, and the look-ups the validator needs. Thread-safe. */
public final class EventQuery {
    private static final String IS_DELETED_BY_ID =
            "SELECT EXISTS (SELECT 1 FROM deleted_events WHERE id = ? AND pubkey = ?)";
    private static final String IS_DELETED_BY_ID_OR_ADDRESS = IS_DELETED_BY_ID
            + " OR EXISTS (SELECT 1 FROM deleted_addresses WHERE address = ? AND deleted_until >= ?)";

    private final DataSource dataSource;
    private final DataSource reusablePlans;
    private final Clock clock;
    private final int timeoutSeconds;
    /** How long a read may run before PostgreSQL cancels it: a client waits no longer for its answer. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 20;

    /** Every query on one pool. */
    public EventQuery(DataSource dataSource) {
        this(dataSource, Clock.systemUTC());
    }

    /** On the database's two pools (see {@link Database}). */
    public EventQuery(Database database) {
        this(database.dataSource(), database.reusablePlans(), Clock.systemUTC());
    }

    /** With the clock that decides which events have expired (NIP-40). */
    public EventQuery(DataSource dataSource, Clock clock) {
        this(dataSource, dataSource, clock);
    }

    /**
     * @param reusablePlans where the queries that are safe with one plan for any values run
     *     ({@link FilterSql.Query#reusablePlan()}); the others, and every look-up, on {@code dataSource}
     */
    public EventQuery(DataSource dataSource, DataSource reusablePlans, Clock clock) {
        this(dataSource, reusablePlans, clock, DEFAULT_TIMEOUT_SECONDS);
    }

    /** With the longest any read may run, in seconds (cancelled past it: a {@link StoreException}). */
    public EventQuery(DataSource dataSource, DataSource reusablePlans, Clock clock, int timeoutSeconds) {
        this.dataSource = dataSource;
        this.reusablePlans = reusablePlans;
        this.clock = clock;
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * The JSON of the stored events matching any of the filters, newest first (ties: lowest id first),
     * each event once. Each filter returns at most its own limit, capped at {@code maxLimit} (and
     * {@code maxLimit} when it has none). Expired and deleted events are never returned.
     */
    public List<String> query(List<Filter> filters, int maxLimit) {
        return query(filters, maxLimit, null);
    }

    /**
     * As {@link #query(List, int)}, without the private events {@code access} may not read (null:
     * every event, for the operator's tools).
     */
    public List<String> query(List<Filter> filters, int maxLimit, ReadAccess access) {
        return text(queryUtf8(filters, maxLimit, access));
    }

    /**
     * As {@link #query(List, int, ReadAccess)}, each event's JSON as the UTF-8 bytes PostgreSQL sent
     * (the gateway writes them into its frames as they are: no text decoded and encoded again).
     */
    public List<byte[]> queryUtf8(List<Filter> filters, int maxLimit, ReadAccess access) {
        return run(FilterSql.select(filters, maxLimit, now(), access));
    }

    /**
     * The stored events matching any filter that were stored at or after {@code storedSinceMillis}
     * (the filters' own limits do not apply; at most {@code cap} per filter), newest first.
     */
    public List<String> queryStoredSince(List<Filter> filters, long storedSinceMillis, int cap) {
        return queryStoredSince(filters, storedSinceMillis, cap, null);
    }

    /** As {@link #queryStoredSince(List, long, int)}, without the private events {@code access} may not read. */
    public List<String> queryStoredSince(List<Filter> filters, long storedSinceMillis, int cap, ReadAccess access) {
        return text(queryStoredSinceUtf8(filters, storedSinceMillis, cap, access));
    }

    /** As {@link #queryStoredSince(List, long, int, ReadAccess)}, each event's JSON as UTF-8 bytes. */
    public List<byte[]> queryStoredSinceUtf8(List<Filter> filters, long storedSinceMillis, int cap, ReadAccess access) {
        return run(FilterSql.select(filters, cap, now(), storedSinceMillis, access));
    }

    private static List<String> text(List<byte[]> utf8) {
        List<String> json = new ArrayList<>(utf8.size());
        for (byte[] b : utf8) {
            json.add(new String(b, java.nio.charset.StandardCharsets.UTF_8));
        }
        return json;
    }

    private List<byte[]> run(FilterSql.Query q) {
        if (q == null) {
            return List.of();
        }
        DataSource source = q.reusablePlan() ? reusablePlans : dataSource;
        try (Connection c = source.getConnection(); PreparedStatement ps = c.prepareStatement(q.sql())) {
            ps.setQueryTimeout(timeoutSeconds);
            Jdbc.bind(ps, q.params());
            return distinctJson(ps);
        } catch (SQLException e) {
            throw new StoreException("query failed", e);
        }
    }

    /** NIP-45: how many distinct stored events match any of the filters (limits ignored). */
    public long count(List<Filter> filters) {
        return count(filters, null, Integer.MAX_VALUE - 1).count();
    }

    /**
     * A NIP-45 answer: the count, whether it is the planner's estimate, and the HyperLogLog
     * registers (hex) when NIP-45 defines them for the filter and the count is exact, else null.
     */
    public record Count(long count, boolean approximate, String hll) {}

    /**
     * How many distinct stored events match any filter (limits ignored), without the private
     * events {@code access} may not read. Each filter is read up to {@code cap + 1} rows, so a COUNT
     * costs at most that many rows per filter: past the cap, the answer is the planner's estimate
     * (at least cap + 1), marked approximate. A single filter of a query NIP-45 names (reactions,
     * reposts, quotes, replies, comments, followers) also gets its HLL when the count is exact.
     */
    public Count count(List<Filter> filters, ReadAccess access, int cap) {
        long now = now();
        int offset = filters.size() == 1 ? CountHll.offsetFor(filters.get(0)) : -1;
        try (Connection c = dataSource.getConnection()) {
            long counted;
            CountHll hll = null;
            if (offset >= 0) {
                FilterSql.Query q = FilterSql.pubkeys(filters.get(0), now, access, cap);
                if (q == null) {
                    return new Count(0, false, null);
                }
                hll = new CountHll(offset);
                counted = 0;
                try (PreparedStatement ps = c.prepareStatement(q.sql())) {
                    ps.setQueryTimeout(timeoutSeconds);
                    Jdbc.bind(ps, q.params());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            hll.add(rs.getBytes(1));
                            counted++;
                        }
                    }
                }
            } else {
                FilterSql.Query q = FilterSql.count(filters, now, access, cap);
                if (q == null) {
                    return new Count(0, false, null);
                }
                try (PreparedStatement ps = c.prepareStatement(q.sql())) {
                    ps.setQueryTimeout(timeoutSeconds);
                    Jdbc.bind(ps, q.params());
                    counted = single(ps).getLong(1);
                }
            }
            if (counted <= cap) {
                return new Count(counted, false, hll == null ? null : hll.hex());
            }
            return new Count(Math.max(counted, estimate(c, FilterSql.countEstimate(filters, now, access))), true, null);
        } catch (SQLException e) {
            throw new StoreException("count failed", e);
        }
    }

    /** The planner's estimate of the rows of a query: the top plan node's. */
    private static long estimate(Connection c, FilterSql.Query explain) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(explain.sql())) {
            Jdbc.bind(ps, explain.params());
            ResultSet rs = single(ps);
            JsonNode plan = Json.read(rs.getString(1));
            return plan.path(0).path("Plan").path("Plan Rows").asLong(0);
        } catch (Json.MalformedJsonException e) {
            throw new SQLException("unreadable EXPLAIN output", e);
        }
    }

    /** Receives one stored event's created_at and id. */
    public interface TimeAndId {
        void accept(long createdAt, byte[] id);
    }

    /**
     * NIP-77: the created_at and id of every distinct stored event matching any filter (limits
     * ignored), in no order, to {@code sink}; returns how many, and stops at {@code cap + 1} so that
     * the caller can tell "more than the cap".
     */
    public int timesAndIds(List<Filter> filters, int cap, TimeAndId sink) {
        return timesAndIds(filters, cap, null, sink);
    }

    /** As {@link #timesAndIds(List, int, TimeAndId)}, without the private events {@code access} may not read. */
    public int timesAndIds(List<Filter> filters, int cap, ReadAccess access, TimeAndId sink) {
        FilterSql.Query q = FilterSql.timesAndIds(filters, now(), cap + 1, access);
        if (q == null) {
            return 0;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(q.sql())) {
            ps.setQueryTimeout(timeoutSeconds);
            Jdbc.bind(ps, q.params());
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.accept(rs.getLong(1), rs.getBytes(2));
                    n++;
                }
            }
            return n;
        } catch (SQLException e) {
            throw new StoreException("negentropy query failed", e);
        }
    }

    /**
     * True when the store has accepted this id before: it is stored, or it was stored and has since
     * been replaced, expired or deleted, or it arrived after a newer version of its address.
     */
    public boolean exists(String id) {
        if (!Hex.isLowerHex(id, 64)) {
            return false;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM event_ids WHERE id = ?)")) {
            ps.setBytes(1, Hex.decode(id));
            return single(ps).getBoolean(1);
        } catch (SQLException e) {
            throw new StoreException("exists failed", e);
        }
    }

    /**
     * True when the event's author deleted it (NIP-09): by its id, or by its address at or after its
     * created_at. Deletion requests (kind 5) are never deleted.
     */
    public boolean isDeleted(Event e) {
        if (e.kind() == Deletion.KIND) {
            return false;
        }
        String address = e.address();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(address == null ? IS_DELETED_BY_ID : IS_DELETED_BY_ID_OR_ADDRESS)) {
            ps.setBytes(1, Hex.decode(e.id()));
            ps.setBytes(2, Hex.decode(e.pubkey()));
            if (address != null) {
                ps.setBytes(3, Addresses.digest(address));
                ps.setLong(4, e.createdAt());
            }
            return single(ps).getBoolean(1);
        } catch (SQLException ex) {
            throw new StoreException("isDeleted failed", ex);
        }
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    /** Each event's JSON once (the filters of a query may match an event more than once). */
    private static List<byte[]> distinctJson(PreparedStatement ps) throws SQLException {
        List<byte[]> json = new ArrayList<>();
        Set<java.nio.ByteBuffer> seen = new HashSet<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (seen.add(java.nio.ByteBuffer.wrap(rs.getBytes(1)))) {
                    json.add(rs.getBytes(2)); // a text column: the bytes as sent, UTF-8 (the connection's encoding)
                }
            }
        }
        return json;
    }

    /** Executes a query that returns exactly one row, positioned on it (the statement owns the result set). */
    private static ResultSet single(PreparedStatement ps) throws SQLException {
        ResultSet rs = ps.executeQuery();
        if (!rs.next()) {
            throw new SQLException("no row");
        }
        return rs;
    }
}
