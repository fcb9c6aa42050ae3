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
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What a gateway writes to Kafka: events to ingress, subscriptions and heartbeats to the
 * subscriptions topic. A send never waits: the topics' metadata is fetched at start and kept
 * ({@code metadata.max.idle.ms} of a day), and {@code max.block.ms} is 0, so a full producer buffer
 * (Kafka slower than the clients) fails the send at once and the client is told
 * ({@code rate-limited:}) instead of an Undertow I/O thread stopping for seconds. A failed send's
 * handler runs on {@code callbacks}, never on the producer's network thread, since handlers send to
 * Kafka themselves.
 */
final class Pipeline implements AutoCloseable {
    private final KafkaProducer<String, String> producer;
    private final String gatewayId;
    /** Partitions of ingress when this gateway started: an author's events keep one partition until a restart. */
    private final int ingressPartitions;
    /** When Kafka last acknowledged a heartbeat (monotonic clock): the producer works. */
    private volatile long heartbeatAckedNanos = System.nanoTime();
    private volatile boolean heartbeatAcked;

    /** How long the start waits for the topics' metadata. */
    static final Duration METADATA_WAIT = Duration.ofSeconds(60);

    private final Executor callbacks;

    Pipeline(Map<String, Object> kafka, String gatewayId, Executor callbacks) {
        Map<String, Object> p = ClientSettings.producer(kafka);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 0);
        p.putIfAbsent(ProducerConfig.METADATA_MAX_IDLE_CONFIG, (int) Duration.ofDays(1).toMillis());
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        this.gatewayId = gatewayId;
        this.callbacks = callbacks;
        // fetch metadata now, not on the first client's EVENT; an EVENT never waits for it on an I/O thread
        this.ingressPartitions = awaitPartitions(Topics.INGRESS);
        awaitPartitions(Topics.SUBSCRIPTIONS);
    }

    private int awaitPartitions(String topic) {
        try {
            return awaitPartitions(producer, topic, METADATA_WAIT);
        } catch (IllegalStateException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
    }

    /**
     * The topic's partition count, once {@code producer} has its metadata: with {@code max.block.ms}
     * 0 each try asks and none waits. Only where waiting is allowed (the start, a worker thread).
     */
    static int awaitPartitions(KafkaProducer<?, ?> producer, String topic, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                return producer.partitionsFor(topic).size();
            } catch (org.apache.kafka.common.errors.TimeoutException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no metadata for topic " + topic + " from Kafka in "
                            + wait.toSeconds() + " s", notYet);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
        }
    }

    private void later(Runnable handler) {
        try {
            callbacks.execute(handler);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            handler.run(); // the gateway is closing: nothing else is left to run it
        }
    }

    /** A producer callback that hands a failure to {@code onFailure} on the callbacks executor. */
    private org.apache.kafka.clients.producer.Callback failuresTo(Consumer<String> onFailure) {
        return (meta, error) -> {
            if (error != null) {
                later(() -> onFailure.accept(error.getMessage()));
            }
        };
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
            producer.send(r, failuresTo(onFailure));
        } catch (RuntimeException refused) {
            onFailure.accept(refused.getMessage());
        }
    }

    void subscribe(SubscriptionRecord s, Consumer<String> onFailure) {
        try {
            producer.send(new ProducerRecord<>(Topics.SUBSCRIPTIONS, s.key(), s.toJson()), failuresTo(onFailure));
        } catch (RuntimeException refused) {
            later(() -> onFailure.accept(refused.getMessage()));
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
