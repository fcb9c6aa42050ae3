package io.nostrex.matcher;

import io.nostrex.contract.ClientSettings;
import io.nostrex.contract.Delivery;
import io.nostrex.contract.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ControlSink} over a producer (acks=all, idempotent). An ack is a null-valued record on the
 * deliveries topic keyed by the gateway, so it lands in that gateway's partition; a tombstone is a
 * null value on the subscriptions topic. Sends are asynchronous; a failed send is logged in its
 * callback (throwing there would be swallowed by the producer).
 */
public final class KafkaControlSink implements ControlSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaControlSink.class);

    private final Producer<String, String> producer;
    /** Where a send that follows others' acknowledgements is made: never on the producer's own thread. */
    private final java.util.concurrent.Executor after;
    private final java.util.concurrent.ExecutorService ownAfter;

    public KafkaControlSink(Producer<String, String> producer) {
        this.ownAfter = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "matcher-sweep-notices");
            t.setDaemon(true);
            return t;
        });
        this.producer = producer;
        this.after = ownAfter;
    }

    /** With {@code after} running the sends that wait for acknowledgements (a test runs them in place). */
    KafkaControlSink(Producer<String, String> producer, java.util.concurrent.Executor after) {
        this.producer = producer;
        this.after = after;
        this.ownAfter = null;
    }

    Producer<String, String> producer() {
        return producer;
    }

    /** A sink with its own producer; {@code kafka} holds client settings (bootstrap.servers...). */
    public static KafkaControlSink create(Map<String, ?> kafka) {
        return new KafkaControlSink(new KafkaProducer<>(ClientSettings.producer(kafka, "matcher"), new StringSerializer(),
                new StringSerializer()));
    }

    @Override
    public void ack(String gateway, Delivery.Ack ack) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.DELIVERIES, gateway, null);
        Delivery.writeAck(record.headers(), ack);
        producer.send(record, logFailure("ack of " + gateway + "/" + ack.connection() + "/" + ack.subscriptionId()));
    }

    @Override
    public void deliver(String gateway, String eventJson, List<Delivery.Target> targets) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.DELIVERIES, gateway, eventJson);
        Delivery.writeTargets(record.headers(), targets);
        producer.send(record, logFailure("replayed event for " + gateway));
    }

    @Override
    public void tombstone(String subscriptionKey) {
        producer.send(new ProducerRecord<>(Topics.SUBSCRIPTIONS, subscriptionKey, null),
                logFailure("tombstone of " + subscriptionKey));
    }

    @Override
    public void swept(String gateway, java.util.Collection<String> keys, long sweptAtMillis, boolean notify) {
        Runnable notice = !notify ? () -> { } : () -> {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.DELIVERIES, gateway, null);
            Delivery.writeSwept(record.headers(), sweptAtMillis);
            producer.send(record, logFailure("sweep notice to " + gateway));
        };
        if (keys.isEmpty()) {
            notice.run();
            return;
        }
        java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(keys.size());
        for (String key : keys) {
            Callback logged = logFailure("tombstone of " + key);
            producer.send(new ProducerRecord<>(Topics.SUBSCRIPTIONS, key, null), (metadata, error) -> {
                logged.onCompletion(metadata, error);
                if (left.decrementAndGet() == 0) {
                    // after every tombstone, so the gateway's registrations come after them; sent from
                    // another thread: a send from this callback could block the producer's own thread
                    after.execute(notice);
                }
            });
        }
    }

    private static Callback logFailure(String what) {
        return (metadata, error) -> {
            if (error != null) {
                LOG.error("{} not sent: {}", what, error.toString());
            }
        };
    }

    @Override
    public void close() {
        if (ownAfter != null) {
            ownAfter.shutdown();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
