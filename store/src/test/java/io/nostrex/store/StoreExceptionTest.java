package io.nostrex.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StoreExceptionTest {
    @ParameterizedTest(name = "SQLSTATE {0}: permanent {1}")
    @CsvSource({
        "22001, true",  // string too long
        "22P02, true",  // invalid text representation
        "23505, true",  // unique violation
        "23514, true",  // check violation
        "42501, true",  // insufficient privilege
        "42P01, true",  // undefined table
        "P0001, true",  // raised by a function or trigger
        "08006, false", // connection failure
        "40001, false", // serialization failure
        "40P01, false", // deadlock
        "53300, false", // too many connections
        "57014, false", // query canceled (statement timeout)
        "57P01, false", // admin shutdown
        "XX000, false", // internal error
    })
    void theSqlStateClassTellsWhetherARetryCanPass(String sqlState, boolean permanent) {
        StoreException e = new StoreException("write failed", new SQLException("refused", sqlState));
        assertThat(e.isPermanent()).isEqualTo(permanent);
        assertThat(e.reason()).isEqualTo(sqlState + " refused");
    }

    @Test
    void theFirstSqlExceptionInTheCausesCounts() {
        StoreException e = new StoreException("write failed",
                new RuntimeException("wrapped", new SQLException("duplicate", "23505")));
        assertThat(e.isPermanent()).isTrue();
    }

    @Test
    void withoutASqlStateItMayPass() {
        assertThat(new StoreException("write failed", new SQLException("no state")).isPermanent()).isFalse();
        assertThat(new StoreException("write failed", new IllegalStateException("pool closed")).isPermanent()).isFalse();
        assertThat(new StoreException("write failed", null).reason()).isEqualTo("write failed");
    }
}
