package io.nostrex.contract;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The Kafka client settings every role shares, on top of the operator's pass-through settings.
 * Durability is not negotiable: producers use acks=all and idempotence whatever is passed in.
 */
public final class ClientSettings {
    private ClientSettings() {}

    private static final AtomicInteger PRODUCERS = new AtomicInteger();

    /**
     * A producer: acks=all, idempotent; linger 1 ms and lz4 unless the operator set them. Unless
     * the operator set {@code client.id} (kept as given: broker quotas match it exactly), its client
     * id names the role, {@code nostrex-<role>-<n>} (n counts the producers of this JVM, so that two
     * roles of one process never share an id): in the broker's logs, in the {@code client_id} tag of
     * the Kafka client meters, and in its network thread's name.
     */
    public static Map<String, Object> producer(Map<String, ?> kafka, String role) {
        Map<String, Object> p = new HashMap<>(kafka);
        if (!p.containsKey(ProducerConfig.CLIENT_ID_CONFIG)) {
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "nostrex-" + role + "-" + PRODUCERS.incrementAndGet());
        }
        // a role passes one map to its consumer and its producer: group settings are not the producer's
        p.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        p.remove(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return p;
    }

    /** A group consumer that commits by hand (see {@link Offsets}), from the earliest offset when new. */
    public static Map<String, Object> groupConsumer(Map<String, Object> kafka, String group, int maxPollRecords) {
        Map<String, Object> p = new HashMap<>(kafka);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        return p;
    }
}
