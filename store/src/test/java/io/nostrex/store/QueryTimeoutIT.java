package io.nostrex.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nostrex.protocol.Filter;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every read has a timeout: a query PostgreSQL cannot answer (here: blocked by a lock) is cancelled. */
class QueryTimeoutIT {
    @Test
    void aReadThatCannotFinishIsCancelledAfterItsTimeout() throws Exception {
        try (Database db = TestDatabase.newDatabase(); Connection locker = db.dataSource().getConnection()) {
            new EventStore(db.dataSource()).store(List.of(TestEvents.event().build()));
            EventQuery query = new EventQuery(db.dataSource(), db.dataSource(), Clock.systemUTC(), 1);
            locker.setAutoCommit(false);
            try (Statement st = locker.createStatement()) {
                st.execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE");
            }
            long start = System.nanoTime();
            assertThatThrownBy(() -> query.query(List.of(Filter.any()), 10)).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> query.count(List.of(Filter.any()), null, 100)).isInstanceOf(StoreException.class);
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms for two cancelled reads").isBetween(1_800L, 6_000L);
            locker.rollback();
            assertThat(query.query(List.of(Filter.any()), 10)).hasSize(1);
        }
    }
}
