package io.nostrex.store;

import static io.nostrex.store.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.Filter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Monthly partitions created ahead, rows moved out of the default partition, nothing ever refused. */
class PartitionMaintainerIT {
    private static final Clock MARCH_2025 = Clock.fixed(Instant.parse("2025-03-15T12:00:00Z"), ZoneOffset.UTC);
    private Database db;
    private EventStore store;

    @BeforeEach
    void open() {
        db = TestDatabase.newDatabase();
        store = new EventStore(db.dataSource());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static long at(int year, int month) {
        return PartitionMaintainer.start(YearMonth.of(year, month));
    }

    private String partitionOf(Event e) {
        String sql = "SELECT tableoid::regclass::text FROM events WHERE id = decode(?, 'hex')";
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, e.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private List<String> partitions() {
        String sql = "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " WHERE i.inhparent = 'events'::regclass ORDER BY 1";
        List<String> names = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        } catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
        return names;
    }

    @Test
    void createsLastMonthToMonthsAheadOnceOnly() {
        PartitionMaintainer maintainer = new PartitionMaintainer(db.dataSource(), 3, MARCH_2025);
        assertThat(maintainer.maintain()).containsExactly("events_2025_02", "events_2025_03", "events_2025_04",
                "events_2025_05", "events_2025_06");
        assertThat(maintainer.maintain()).isEmpty();
        assertThat(partitions()).containsExactly("events_2025_02", "events_2025_03", "events_2025_04",
                "events_2025_05", "events_2025_06", "events_default");
    }

    @Test
    void monthBoundariesFallInTheRightPartition() {
        new PartitionMaintainer(db.dataSource(), 1, MARCH_2025).maintain();
        Event lastSecondOfFebruary = event().at(at(2025, 3) - 1).build();
        Event firstSecondOfMarch = event().at(at(2025, 3)).build();
        Event afterHorizon = event().at(at(2025, 5)).build();
        store.store(List.of(lastSecondOfFebruary, firstSecondOfMarch, afterHorizon));
        assertThat(partitionOf(lastSecondOfFebruary)).isEqualTo("events_2025_02");
        assertThat(partitionOf(firstSecondOfMarch)).isEqualTo("events_2025_03");
        assertThat(partitionOf(afterHorizon)).isEqualTo("events_default");
    }

    @Test
    void rowsWaitingInTheDefaultPartitionAreMovedToTheirMonth() {
        Event history = event().at(at(2022, 5) + 3600).build();
        Event future = event().at(at(2025, 9) + 10).build();
        Event before2020 = event().at(at(1990, 6)).build();
        Event zero = event().at(0).build();
        Event farFuture = event().at(9_999_999_999L).build();
        store.store(List.of(history, future, before2020, zero, farFuture));

        assertThat(new PartitionMaintainer(db.dataSource(), 3, MARCH_2025).maintain()).contains("events_2022_05")
                .doesNotContain("events_2025_09");
        assertThat(partitionOf(history)).isEqualTo("events_2022_05");
        assertThat(partitionOf(future)).isEqualTo("events_default");

        assertThat(new PartitionMaintainer(db.dataSource(), 7, MARCH_2025).maintain())
                .containsExactly("events_2025_07", "events_2025_08", "events_2025_09", "events_2025_10");
        assertThat(partitionOf(future)).isEqualTo("events_2025_09");
        assertThat(partitionOf(before2020)).isEqualTo("events_default");
        assertThat(partitionOf(zero)).isEqualTo("events_default");
        assertThat(partitionOf(farFuture)).isEqualTo("events_default");
        assertThat(new EventQuery(db.dataSource()).query(List.of(Filter.any()), 100)).hasSize(5);
        assertThat(store.store(List.of(history, future))).containsOnly(StoreOutcome.DUPLICATE);
    }

    @Test
    void theMonthsOfABatchGetTheirPartitionsBeforeItsRowsAreWritten() {
        PartitionMaintainer maintainer = new PartitionMaintainer(db.dataSource(), 3, MARCH_2025);
        maintainer.maintain();
        Event history = event().at(at(2021, 4) + 3600).build();
        Event sameMonth = event().at(at(2021, 4) + 7200).build();
        Event otherYear = event().at(at(2023, 11)).build();
        Event before2020 = event().at(at(1990, 6)).build();
        Event farFuture = event().at(9_999_999_999L).build();
        List<Event> batch = List.of(history, sameMonth, otherYear, before2020, farFuture);
        long[] createdAts = batch.stream().mapToLong(Event::createdAt).toArray();

        assertThat(maintainer.prepare(createdAts)).containsExactly("events_2021_04", "events_2023_11");
        assertThat(maintainer.prepare(createdAts)).isEmpty();
        store.store(batch);
        assertThat(partitionOf(history)).isEqualTo("events_2021_04");
        assertThat(partitionOf(sameMonth)).isEqualTo("events_2021_04");
        assertThat(partitionOf(otherYear)).isEqualTo("events_2023_11");
        assertThat(partitionOf(before2020)).isEqualTo("events_default");
        assertThat(partitionOf(farFuture)).isEqualTo("events_default");
        // another maintainer (another process) finds them made
        assertThat(new PartitionMaintainer(db.dataSource(), 3, MARCH_2025).prepare(createdAts)).isEmpty();
    }

    /**
     * A writer whose role may not create tables still stores an old month's events, into the default
     * partition, instead of failing the batch on the partition it could not make.
     */
    @Test
    void aMonthWhosePartitionIsRefusedForGoodGoesToTheDefaultPartition() throws SQLException {
        String role = "no_ddl_" + ProcessHandle.current().pid();
        TestDatabase.execute(db, "CREATE ROLE " + role + " LOGIN PASSWORD 'x'");
        try {
            TestDatabase.execute(db, "REVOKE CREATE ON SCHEMA public FROM PUBLIC;"
                    + " GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + role);
            String url;
            try (Connection c = db.dataSource().getConnection()) {
                url = c.getMetaData().getURL().replaceFirst("\\?.*", ""); // without the user the URL may name
            }
            try (Database limited = Database.connect(url, role, "x", 2)) {
                PartitionMaintainer maintainer = new PartitionMaintainer(limited.dataSource(), 3, MARCH_2025);
                Event history = event().at(at(2021, 4) + 3600).build();
                assertThat(maintainer.prepare(new long[] {history.createdAt()})).isEmpty();
                assertThat(new EventStore(limited.dataSource()).store(List.of(history))).containsExactly(StoreOutcome.STORED);
                assertThat(partitionOf(history)).isEqualTo("events_default");
            }
        } finally {
            TestDatabase.execute(db, "REASSIGN OWNED BY " + role + " TO CURRENT_USER; DROP OWNED BY " + role
                    + "; DROP ROLE " + role);
        }
    }
}
