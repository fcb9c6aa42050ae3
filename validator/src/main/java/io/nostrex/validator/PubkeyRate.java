package io.nostrex.validator;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Events per second per author, for the whole cluster: ingress places every event of one pubkey on
 * one partition, so one validator sees all of them. A token bucket per pubkey (Bucket4j) holds a
 * second's worth; the buckets of the least recently seen pubkeys are forgotten past
 * {@code maxPubkeys} (a forgotten bucket was idle, so it was full). Not thread-safe: one per
 * consumer thread, as {@link EventJudge}.
 */
final class PubkeyRate {
    private final int perSecond;
    private final Map<String, Bucket> buckets;

    /** @param perSecond events per second per pubkey; 0 for no limit */
    PubkeyRate(int perSecond, int maxPubkeys) {
        this.perSecond = perSecond;
        this.buckets = new LinkedHashMap<>(1024, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxPubkeys;
            }
        };
    }

    /** Whether the pubkey may publish one more event now. */
    boolean tryAcquire(String pubkey) {
        if (perSecond <= 0) {
            return true;
        }
        return buckets.computeIfAbsent(pubkey, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perSecond).refillGreedy(perSecond, Duration.ofSeconds(1)).build())
                .build()).tryConsume(1);
    }

    int perSecond() {
        return perSecond;
    }
}
