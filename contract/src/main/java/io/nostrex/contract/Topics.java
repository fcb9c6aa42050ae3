package io.nostrex.contract;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.utils.Utils;

/**
 * The Kafka contract, in one place: every topic, its key, its value, its partitions and cleanup.
 *
 * <pre>
 * topic               key                               value
 * nostr.ingress       event id (partition: of the pubkey) event JSON as the client sent it; origin in headers
 * nostr.events        author pubkey                     accepted event JSON as served; origin in headers
 * nostr.stored        author pubkey                     event JSON once durable in PostgreSQL (or ephemeral)
 * nostr.verdicts      gateway instance                  {@link Verdict}
 * nostr.subscriptions gateway/connection/subscription   {@link SubscriptionRecord}; tombstone on CLOSE
 * nostr.deliveries    gateway instance                  {@link Delivery}
 * nostr.policy        kind:value (e.g. ban-pubkey:hex)  {@link PolicyRecord}; tombstone to lift it (compacted)
 * nostr.deadletter    the record's own key              a record a role could not process for good, as it was;
 *                                                       headers nostrex.error (why), nostrex.source (topic-partition@offset)
 * </pre>
 *
 * Keys are chosen for ordering: one event id always reaches the same validator; one author's
 * versions of a replaceable event stay in order; a CLOSE never overtakes its REQ; everything for
 * one gateway lands in one partition, so a gateway reads only its own partition.
 */
public final class Topics {
    public static final String INGRESS = "nostr.ingress";
    public static final String EVENTS = "nostr.events";
    public static final String STORED = "nostr.stored";
    public static final String VERDICTS = "nostr.verdicts";
    public static final String SUBSCRIPTIONS = "nostr.subscriptions";
    public static final String DELIVERIES = "nostr.deliveries";
    public static final String POLICY = "nostr.policy";
    public static final String DEAD_LETTER = "nostr.deadletter";
    public static final String ERROR_HEADER = "nostrex.error";
    public static final String SOURCE_HEADER = "nostrex.source";
    private static final String FOUR_WEEKS = Long.toString(28L * 24 * 3600 * 1000);

    private static final String ONE_HOUR = "3600000";

    private Topics() {}

    /**
     * A record of {@code nostr.stored}. Its timestamp is when the event's gateway received it
     * ({@code receivedMillis}; 0 when unknown, then the producer's clock): the matchers keep it on
     * the deliveries they route, so the delivering gateway can measure the whole pipeline
     * ({@code nostrex_pipeline_latency_seconds{stage="delivered"}}).
     */
    public static ProducerRecord<String, String> stored(String key, String json, long receivedMillis) {
        return new ProducerRecord<>(STORED, null, receivedMillis > 0 ? receivedMillis : null, key, json);
    }

    /** The topics with their default settings; {@code partitions} applies to every topic. */
    public static List<Topic> all(int partitions) {
        return List.of(
                new Topic(INGRESS, partitions, Map.of(TopicConfig.RETENTION_MS_CONFIG, ONE_HOUR)),
                new Topic(EVENTS, partitions, Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")),
                new Topic(STORED, partitions, Map.of(TopicConfig.RETENTION_MS_CONFIG, ONE_HOUR)),
                new Topic(VERDICTS, partitions, Map.of(TopicConfig.RETENTION_MS_CONFIG, ONE_HOUR)),
                new Topic(SUBSCRIPTIONS, partitions, Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.DELETE_RETENTION_MS_CONFIG, ONE_HOUR,
                        TopicConfig.SEGMENT_MS_CONFIG, ONE_HOUR)),
                new Topic(DELIVERIES, partitions, Map.of(TopicConfig.RETENTION_MS_CONFIG, ONE_HOUR)),
                new Topic(POLICY, partitions, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                new Topic(DEAD_LETTER, partitions, Map.of(TopicConfig.RETENTION_MS_CONFIG, FOUR_WEEKS)));
    }

    /**
     * The partition of a gateway-keyed topic (verdicts, deliveries) that holds a gateway's records:
     * the same murmur2 hash Kafka's default partitioner applies to the key.
     */
    public static int gatewayPartition(String gatewayId, int partitionCount) {
        return partitionOf(gatewayId, partitionCount);
    }

    /**
     * The partition Kafka's default partitioner gives {@code key}. Ingress records are keyed by
     * event id but placed by their author's pubkey: one author's events all reach one validator,
     * which limits their rate for the whole cluster (and one id still always reaches the same one).
     */
    public static int partitionOf(String key, int partitionCount) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitionCount;
    }
}
