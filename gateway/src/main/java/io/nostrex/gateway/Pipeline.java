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
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Pipeline.class);
    /** How long the start waits for the topics' metadata. */
    static final Duration METADATA_WAIT = Duration.ofSeconds(60);
    /** How long a send refused for want of metadata waits for it on the waiting thread. */
    static final Duration RESEND_WAIT = Duration.ofSeconds(10);
    /** True on a thread inside {@code producer.send}: a callback run then is a refusal at once. */
    private static final ThreadLocal<Boolean> SENDING = ThreadLocal.withInitial(() -> false);

    private final KafkaProducer<String, String> producer;
    private final String gatewayId;
    /** Partitions of ingress when this gateway started: an author's events keep one partition until a restart. */
    private final int ingressPartitions;
    /** When Kafka last acknowledged a heartbeat (monotonic clock): the producer works. */
    private volatile long heartbeatAckedNanos = System.nanoTime();
    private volatile boolean heartbeatAcked;
    /** Where failed sends' handlers run. */
    private final Executor callbacks;
    /** Sends waiting for a topic's metadata, one after another; bounded, and never an I/O thread. */
    private final java.util.concurrent.ThreadPoolExecutor waiting = new java.util.concurrent.ThreadPoolExecutor(1, 1,
            0, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.ArrayBlockingQueue<>(10_000), r -> {
                Thread t = new Thread(r, "gateway-kafka-metadata");
                t.setDaemon(true);
                return t;
            });

    Pipeline(Map<String, Object> kafka, String gatewayId, Executor callbacks) {
        Map<String, Object> p = ClientSettings.producer(kafka, "gateway");
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

    /**
     * A producer callback that hands a failure to {@code onFailure} on the callbacks executor. A send
     * refused at once because the producer lost the topic's metadata (a broker restarted) is not an
     * overload: it is sent again from the waiting thread once the metadata is back (at most
     * {@link #RESEND_WAIT}), not refused.
     */
    private org.apache.kafka.clients.producer.Callback failuresTo(ProducerRecord<String, String> r,
                                                                   Consumer<String> onFailure) {
        return (meta, error) -> {
            if (error == null) {
                return;
            }
            if (SENDING.get() && error instanceof org.apache.kafka.common.errors.TimeoutException
                    && !(error instanceof org.apache.kafka.clients.producer.BufferExhaustedException)) {
                try {
                    waiting.execute(() -> resend(r, onFailure));
                    return;
                } catch (java.util.concurrent.RejectedExecutionException busy) {
                    // too many already waiting for metadata: refused below
                }
            }
            later(() -> onFailure.accept(error.getMessage()));
        };
    }

    private void resend(ProducerRecord<String, String> r, Consumer<String> onFailure) {
        try {
            awaitPartitions(producer, r.topic(), RESEND_WAIT);
            producer.send(r, (meta, error) -> {
                if (error != null) {
                    later(() -> onFailure.accept(error.getMessage()));
                }
            });
        } catch (RuntimeException e) {
            onFailure.accept(e.getMessage());
        }
    }

    private void send(ProducerRecord<String, String> r, Consumer<String> onFailure) {
        SENDING.set(true);
        try {
            producer.send(r, failuresTo(r, onFailure));
        } catch (RuntimeException refused) {
            later(() -> onFailure.accept(refused.getMessage()));
        } finally {
            SENDING.set(false);
        }
    }

    /** Sends an event to ingress; {@code onFailure} gets the reason when Kafka does not take it. */
    void publish(Event event, Connection c, Consumer<String> onFailure) {
        ProducerRecord<String, String> r = new ProducerRecord<>(Topics.INGRESS,
                Topics.partitionOf(event.pubkey(), ingressPartitions), event.id(), EventJson.write(event));
        new Origin(gatewayId, c.id, System.currentTimeMillis(), c.address, c.authenticated()).writeTo(r.headers());
        if (io.nostrex.protocol.Vanish.isRequestTo(event, c.relayUrls)) {
            io.nostrex.contract.VanishMark.mark(r.headers());
        }
        if (c.warmup) {
            io.nostrex.contract.WarmupMark.mark(r.headers(), gatewayId);
        }
        send(r, onFailure);
    }

    void subscribe(SubscriptionRecord s, Consumer<String> onFailure) {
        send(new ProducerRecord<>(Topics.SUBSCRIPTIONS, s.key(), s.toJson()), onFailure);
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
        // a tombstone Kafka refuses leaves the subscription in the matchers' index until this gateway's
        // heartbeat stops; the gateway drops what they deliver for it
        send(new ProducerRecord<>(Topics.SUBSCRIPTIONS, key, value),
                reason -> LOG.warn("Kafka refused the tombstone of {}: {}", key, reason));
    }

    @Override
    public void close() {
        waiting.shutdownNow();
        producer.close(Duration.ofSeconds(5));
    }
}
