package io.nostrex.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code events} partitioned by month of created_at (UTC): one partition per month from last
 * month to {@code monthsAhead} months ahead, created ahead of need, and one for every month since
 * 2020 that has rows waiting in {@code events_default} (a history written before {@link #prepare}
 * made its months, a month that was beyond the horizon when its events came). Rows of
 * a month are moved out of the default partition when its partition is created, so creation never
 * fails. Call it at startup and then periodically (daily is plenty); calls are idempotent and take the
 * writer lock, so concurrent callers and writers take turns.
 */
public final class PartitionMaintainer {
    public static final int DEFAULT_MONTHS_AHEAD = 3;
    /** Events older than this month (none are real Nostr events) stay in the default partition. */
    static final YearMonth OLDEST_SPLIT = YearMonth.of(2020, 1);
    private static final Logger LOG = LoggerFactory.getLogger(PartitionMaintainer.class);

    private final DataSource dataSource;
    private final int monthsAhead;
    private final Clock clock;
    /** Months whose partition this maintainer saw exist or created. */
    private final Set<YearMonth> present = ConcurrentHashMap.newKeySet();

    public PartitionMaintainer(DataSource dataSource, int monthsAhead) {
        this(dataSource, monthsAhead, Clock.systemUTC());
    }

    public PartitionMaintainer(DataSource dataSource, int monthsAhead, Clock clock) {
        if (monthsAhead < 0) {
            throw new IllegalArgumentException("monthsAhead must be >= 0: " + monthsAhead);
        }
        this.dataSource = dataSource;
        this.monthsAhead = monthsAhead;
        this.clock = clock;
    }

    /** Creates the missing partitions; returns the names of those it created. */
    public List<String> maintain() {
        YearMonth now = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        YearMonth horizon = now.plusMonths(monthsAhead);
        List<String> created = new ArrayList<>();
        try {
            for (YearMonth m = now.minusMonths(1); !m.isAfter(horizon); m = m.plusMonths(1)) {
                createIfMissing(m, created);
            }
            for (YearMonth m : monthsWaitingInDefault(horizon)) {
                createIfMissing(m, created);
            }
        } catch (SQLException e) {
            throw new StoreException("partition maintenance failed", e);
        }
        return created;
    }

    /**
     * Creates, before their rows are written, the missing partitions of the months these
     * {@code created_at} values fall in (from 2020 to {@code monthsAhead} months ahead; others stay in
     * the default partition); returns the names of those it created. A replay of an old history
     * then writes each month into its own partition, instead of into {@code events_default} and
     * moving it out again at the end: every row written twice, and a default partition the size of
     * the history meanwhile. Months seen before are not looked at again.
     */
    public List<String> prepare(long[] createdAts) {
        long from = start(OLDEST_SPLIT);
        long to = start(YearMonth.now(clock.withZone(ZoneOffset.UTC)).plusMonths(monthsAhead + 1));
        Set<YearMonth> months = new TreeSet<>();
        long knownFrom = 0; // the span of the last month found present: most events of a batch fall in it
        long knownTo = 0;
        for (long createdAt : createdAts) {
            if (createdAt < from || createdAt >= to || (createdAt >= knownFrom && createdAt < knownTo)) {
                continue;
            }
            YearMonth month = YearMonth.from(Instant.ofEpochSecond(createdAt).atZone(ZoneOffset.UTC));
            if (present.contains(month)) {
                knownFrom = start(month);
                knownTo = start(month.plusMonths(1));
            } else {
                months.add(month);
            }
        }
        List<String> created = new ArrayList<>();
        for (YearMonth month : months) {
            try {
                createIfMissing(month, created);
            } catch (SQLException e) {
                StoreException failure = new StoreException("cannot make partition " + name(month), e);
                if (!failure.isPermanent()) {
                    throw failure; // the database is away: the write that follows would fail too, and is retried
                }
                // refused for good (a role that may not create tables, say): its rows go to the default
                // partition, as before this existed, and the events are stored all the same
                present.add(month);
                LOG.warn("{}; events of that month go to events_default: {}", failure.getMessage(), failure.reason());
            }
        }
        return created;
    }

    /** {@code events_2025_03}: the partition holding March 2025. */
    static String name(YearMonth month) {
        return String.format("events_%04d_%02d", month.getYear(), month.getMonthValue());
    }

    static long start(YearMonth month) {
        return month.atDay(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    }

    private void createIfMissing(YearMonth month, List<String> created) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Jdbc.lockWriter(c);
                if (!exists(c, name(month))) {
                    create(c, month);
                    created.add(name(month));
                }
                c.commit();
                present.add(month);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Creates the month's table, moves the month's rows from the default partition into it, then
     * attaches it. DDL cannot take bound parameters: the name and bounds are computed here, never input.
     */
    private static void create(Connection c, YearMonth month) throws SQLException {
        String name = name(month);
        long from = start(month);
        long to = start(month.plusMonths(1));
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + name + " (LIKE events INCLUDING DEFAULTS)");
            // plan kind walks as if every kind were rare (see migration V8)
            st.execute("ALTER TABLE " + name + " ALTER COLUMN kind SET (n_distinct = -1)");
        }
        String move = "WITH moved AS (DELETE FROM events_default WHERE created_at >= ? AND created_at < ? RETURNING *)"
                + " INSERT INTO " + name + " SELECT * FROM moved";
        int moved;
        try (PreparedStatement ps = c.prepareStatement(move)) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            moved = ps.executeUpdate();
        }
        try (Statement st = c.createStatement()) {
            st.execute("ALTER TABLE events ATTACH PARTITION " + name + " FOR VALUES FROM (" + from + ") TO (" + to + ")");
        }
        LOG.info("created partition {} ({} rows moved from events_default)", name, moved);
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The months from 2020 to the horizon that have rows in the default partition. */
    private List<YearMonth> monthsWaitingInDefault(YearMonth horizon) throws SQLException {
        String sql = "SELECT DISTINCT extract(year FROM t)::int, extract(month FROM t)::int FROM"
                + " (SELECT to_timestamp(created_at) AT TIME ZONE 'UTC' AS t FROM events_default"
                + " WHERE created_at >= ? AND created_at < ?) AS d ORDER BY 1, 2";
        List<YearMonth> months = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, start(OLDEST_SPLIT));
            ps.setLong(2, start(horizon.plusMonths(1)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    months.add(YearMonth.of(rs.getInt(1), rs.getInt(2)));
                }
            }
        }
        return months;
    }
}
