package io.nostrex.gateway;

import io.nostrex.contract.ClientSettings;
import io.nostrex.contract.Origin;
import io.nostrex.contract.SubscriptionRecord;
import io.nostrex.contract.Topics;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.ops.Status;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What a gateway writes to Kafka: events to ingress, subscriptions and heartbeats to the
 * subscriptions topic. Sends never block an I/O thread for long: a full producer buffer fails the
 * send quickly and the client is told (rate-limited), instead of a silent drop.
 */
final class Pipeline implements AutoCloseable {
    private final KafkaProducer<String, String> producer;
    private final String gatewayId;
    /** Partitions of ingress when this gateway started: an author's events keep one partition until a restart. */
    private final int ingressPartitions;
    /** When Kafka last acknowledged a heartbeat (monotonic clock): the producer works. */
    private volatile long heartbeatAckedNanos = System.nanoTime();
    private volatile boolean heartbeatAcked;

    Pipeline(Map<String, Object> kafka, String gatewayId) {
        Map<String, Object> p = ClientSettings.producer(kafka);
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        this.gatewayId = gatewayId;
        // fetch metadata now, not on the first client's EVENT; an EVENT never waits for it on an I/O thread
        this.ingressPartitions = producer.partitionsFor(Topics.INGRESS).size();
    }

    /** Sends an event to ingress; {@code onFailure} gets the reason when Kafka does not take it. */
    void publish(Event event, Connection c, Consumer<String> onFailure) {
        ProducerRecord<String, String> r = new ProducerRecord<>(Topics.INGRESS,
                Topics.partitionOf(event.pubkey(), ingressPartitions), event.id(), EventJson.write(event));
        new Origin(gatewayId, c.id, System.currentTimeMillis(), c.address, c.authenticated()).writeTo(r.headers());
        if (io.nostrex.protocol.Vanish.isRequestTo(event, c.relayUrls)) {
            io.nostrex.contract.VanishMark.mark(r.headers());
        }
        try {
            producer.send(r, (meta, error) -> {
                if (error != null) {
                    onFailure.accept(error.getMessage());
                }
            });
        } catch (RuntimeException full) {
            onFailure.accept(full.getMessage());
        }
    }

    void subscribe(SubscriptionRecord s, Consumer<String> onFailure) {
        try {
            producer.send(new ProducerRecord<>(Topics.SUBSCRIPTIONS, s.key(), s.toJson()), (meta, error) -> {
                if (error != null) {
                    onFailure.accept(error.getMessage());
                }
            });
        } catch (RuntimeException full) {
            onFailure.accept(full.getMessage());
        }
    }

    void unsubscribe(long connection, String subscriptionId) {
        send(SubscriptionRecord.key(gatewayId, connection, subscriptionId), null);
    }

    void heartbeat() {
        try {
            producer.send(new ProducerRecord<>(Topics.SUBSCRIPTIONS, gatewayId,
                    SubscriptionRecord.heartbeatJson(gatewayId, System.currentTimeMillis())), (meta, error) -> {
                        if (error == null) {
                            heartbeatAckedNanos = System.nanoTime();
                            heartbeatAcked = true;
                        }
                    });
        } catch (RuntimeException full) {
            // the readiness check sees the missing acknowledgement
        }
    }

    /** Whether Kafka has acknowledged a heartbeat, and how long ago (ns). */
    Status producerStatus(long within) {
        long ago = System.nanoTime() - heartbeatAckedNanos;
        if (!heartbeatAcked) {
            return Status.down("no heartbeat acknowledged by Kafka yet");
        }
        return Status.when(ago <= within, "Kafka acknowledged a heartbeat " + ago / 1_000_000 + " ms ago",
                "Kafka has acknowledged no heartbeat for " + ago / 1_000_000_000 + " s");
    }

    KafkaProducer<String, String> producer() {
        return producer;
    }

    void endHeartbeat() {
        send(gatewayId, null);
    }

    private void send(String key, String value) {
        try {
            producer.send(new ProducerRecord<>(Topics.SUBSCRIPTIONS, key, value));
        } catch (RuntimeException full) {
            // a lost tombstone is cleaned up by the matcher when this gateway's heartbeat stops
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
