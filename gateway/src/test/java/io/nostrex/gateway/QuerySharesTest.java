package io.nostrex.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class QuerySharesTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final QueryShares shares = new QueryShares(now::get);

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void anAddressAloneIsNeverOverItsShare() {
        shares.used("a", ms(60_000));
        assertThat(shares.over("a")).isFalse();
    }

    @Test
    void anAddressTakingMostOfTheTimeWhileAnotherAsksIsOverAndTheOtherIsNot() {
        // Given one address that used 3 s of query threads, and another that asks for its first query
        shares.used("hog", ms(3_000));
        shares.asking("polite");
        // Then the first is over its share (3 s of 3 s, against 1.5 × 1.5 s), the second is not
        assertThat(shares.over("hog")).isTrue();
        assertThat(shares.over("polite")).isFalse();
        // And with three addresses using about the same, none is
        shares.used("polite", ms(2_500));
        shares.used("third", ms(2_000));
        now.addAndGet(200);
        assertThat(shares.over("hog")).isFalse();
    }

    @Test
    void littleUseIsNeverOverWhateverTheSplit() {
        shares.used("light", ms(400));
        shares.asking("other");
        assertThat(shares.over("light")).as("under the %s ms floor", QueryShares.FLOOR_MILLIS).isFalse();
    }

    @Test
    void usageHalvesEveryHalfLifeAndIdleAddressesAreForgotten() {
        shares.used("a", ms(4_000));
        shares.asking("b");
        now.addAndGet(QueryShares.HALF_LIFE_MILLIS);
        assertThat(shares.recentMillis("a")).isCloseTo(2_000, org.assertj.core.data.Offset.offset(1.0));
        now.addAndGet(QueryShares.HALF_LIFE_MILLIS * 2);
        assertThat(shares.recentMillis("a")).isCloseTo(500, org.assertj.core.data.Offset.offset(1.0));
        assertThat(shares.active()).isEqualTo(2);
        now.addAndGet(QueryShares.FORGET_MILLIS);
        assertThat(shares.active()).isZero();
    }
}
