package io.nostrex.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nostrex.app.Relay;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import io.nostrex.protocol.Filter;
import io.nostrex.store.Database;
import io.nostrex.store.EventQuery;
import io.nostrex.store.EventStore;
import io.nostrex.store.PartitionMaintainer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The archiver's housekeeping deletes expired events (NIP-40) from PostgreSQL and counts them. */
class HousekeepingIT {
    @Test
    void expiredEventsAreDeletedAndCounted() {
        TestInfra infra = TestInfra.get();
        try (Database db = Database.connect(infra.newDatabase("housekeeping"), infra.user(), infra.password(), 2)) {
            EventSigner alice = EventSigner.random();
            long now = System.currentTimeMillis() / 1000;
            Event expired = alice.sign(now - 100, 1, List.of(List.of("expiration", Long.toString(now - 10)),
                    List.of("t", "ephemeral-news")), "gone");
            Event lasting = alice.sign(now - 100, 1, List.of(List.of("expiration", Long.toString(now + 3600))), "stays");
            Event plain = alice.sign(now - 100, 1, List.of(), "plain");
            EventStore store = new EventStore(db.dataSource());
            store.store(List.of(expired, lasting, plain));
            assertThat(rows(db, "SELECT count(*) FROM event_tags")).isEqualTo(1);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();

            Relay.housekeeping(new PartitionMaintainer(db.dataSource(), PartitionMaintainer.DEFAULT_MONTHS_AHEAD), store,
                    registry).run();

            // (queries already hide an expired event: the rows themselves are counted)
            assertThat(rows(db, "SELECT count(*) FROM events")).isEqualTo(2);
            assertThat(rows(db, "SELECT count(*) FROM event_tags")).as("its tag row went with it").isZero();
            assertThat(new EventQuery(db.dataSource()).count(List.of(Filter.any()))).isEqualTo(2);
            assertThat(registry.get("nostrex.store.expired.purged").counter().count()).isEqualTo(1.0);
        }
    }

    private static long rows(Database db, String sql) {
        try (java.sql.Connection c = db.dataSource().getConnection(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
