package io.nostrex.archiver;

import io.nostrex.contract.ClientSettings;
import io.nostrex.contract.Offsets;
import io.nostrex.contract.Origin;
import io.nostrex.contract.Topics;
import io.nostrex.contract.VanishMark;
import io.nostrex.contract.Verdict;
import io.nostrex.ops.Ops;
import io.nostrex.ops.StageWatch;
import io.nostrex.ops.Worker;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventParser;
import io.nostrex.protocol.InvalidEventException;
import io.nostrex.store.EventStore;
import io.nostrex.store.PartitionMaintainer;
import io.nostrex.store.StoreException;
import io.nostrex.store.StoreOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archiver role: consumes {@code nostr.events}, writes each poll batch to PostgreSQL in one
 * transaction, then announces newly stored events on {@code nostr.stored} (the matcher's input)
 * and answers the gateways on {@code nostr.verdicts}. Offsets are committed last: batch, write
 * durably, send, and commit once the sends are acknowledged; the next batch is written while
 * those acknowledgements are on their way. A database outage stalls the archiver (it retries the same batch);
 * it never skips an event.
 */
public final class Archiver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Archiver.class);
    private static final String ROLE = "archiver";
    /** A loop that has not come round for this long is stuck (a send can wait up to Kafka's 2 min delivery timeout). */
    static final Duration STALL = Duration.ofMinutes(3);
    public static final long HOUSEKEEPING_INTERVAL_MS = 6 * 3600 * 1000L;
    /** Poll batches whose sends may be unacknowledged while the next one is written. */
    static final int MAX_BATCHES_IN_FLIGHT = 16;
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(250);
    private static final Duration IDLE_POLL = Duration.ofMillis(500);
    /** While sends are in flight, an empty poll returns soon so that their offsets get committed. */
    private static final Duration BUSY_POLL = Duration.ofMillis(20);

    private final ArchiverConfig config;
    private final EventStore store;
    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Offsets offsets;
    private final Thread thread;
    private final Runnable housekeeping;
    private final StageWatch watch;
    private final Worker worker;
    private final ArchiverMetrics metrics;
    private long nextHousekeeping;
    private final BatchWriter writer;
    /** The JSON of the poll's events as the log has it, stored as is (the loop's thread only). */
    private final Map<Event, String> json = new java.util.IdentityHashMap<>();

    private Archiver(ArchiverConfig config, EventStore store, PartitionMaintainer partitions, Runnable housekeeping,
                     Ops ops) {
        this.config = config;
        this.store = store;
        this.housekeeping = housekeeping;
        this.consumer = new KafkaConsumer<>(ClientSettings.groupConsumer(config.kafka(), config.group(), config.maxBatch()), new StringDeserializer(), new StringDeserializer());
        this.producer = new KafkaProducer<>(ClientSettings.producer(config.kafka(), "archiver"), new StringSerializer(), new StringSerializer());
        this.metrics = new ArchiverMetrics(ops.registry());
        this.offsets = new Offsets(MAX_BATCHES_IN_FLIGHT, COMMIT_INTERVAL, metrics.stage()::batch);
        this.watch = new StageWatch(ops, ROLE, STALL, consumer, producer);
        this.worker = watch.worker();
        this.thread = new Thread(this::loop, "archiver");
        this.writer = new BatchWriter((batch, vanishHere) -> {
            if (partitions != null) { // an old history imported gets its months' partitions before its rows
                partitions.prepare(batch.stream().mapToLong(Event::createdAt).toArray());
            }
            return metrics.transaction().record(() -> store.store(batch, vanishHere, json));
        }, this::waitToRetry);
    }

    /**
     * Starts the archiver. {@code housekeeping} (creating partitions ahead, say) runs on the
     * archiver's thread before the first poll and then every {@link #HOUSEKEEPING_INTERVAL_MS}.
     */
    public static Archiver start(ArchiverConfig config, EventStore store, Runnable housekeeping, Ops ops) {
        return start(config, store, null, housekeeping, ops);
    }

    /**
     * As above; {@code partitions} also makes, before each batch is written, the partitions of the
     * months it holds (see {@link PartitionMaintainer#prepare}), so that an imported history is not
     * written into the default partition to be moved out by a later housekeeping.
     */
    public static Archiver start(ArchiverConfig config, EventStore store, PartitionMaintainer partitions,
                                 Runnable housekeeping, Ops ops) {
        Archiver a = new Archiver(config, store, partitions, housekeeping, ops);
        a.consumer.subscribe(List.of(Topics.EVENTS), a.watch.assignment());
        a.thread.start();
        return a;
    }

    private void loop() {
        try {
            while (running.get()) {
                worker.beat();
                houseKeep();
                ConsumerRecords<String, String> records = consumer.poll(offsets.idle() ? IDLE_POLL : BUSY_POLL);
                if (records.isEmpty()) {
                    offsets.commitHandled(consumer);
                } else {
                    Offsets.Batch batch = offsets.open(records);
                    archive(records, batch);
                    offsets.seal(consumer, batch);
                }
            }
            worker.finished();
        } catch (WakeupException stopping) {
            worker.finished(); // close() woke us up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.finished();
        } catch (RuntimeException e) {
            worker.failed(e);
        } finally {
            offsets.commitOnClose(consumer, Duration.ofSeconds(5));
            consumer.close();
        }
    }

    private void archive(ConsumerRecords<String, String> records, Offsets.Batch batch) throws InterruptedException {
        json.clear();
        List<Event> events = new ArrayList<>(records.count());
        List<ConsumerRecord<String, String>> sources = new ArrayList<>(records.count());
        java.util.Set<String> vanishHere = new java.util.HashSet<>();
        for (ConsumerRecord<String, String> r : records) {
            try {
                Event e = EventParser.parse(r.value());
                events.add(e);
                json.put(e, r.value());
                sources.add(r);
                if (VanishMark.isMarked(r.headers())) {
                    vanishHere.add(e.id());
                }
            } catch (InvalidEventException | NullPointerException e) {
                LOG.warn("skipping a malformed record on {} at {}-{}: {}", r.topic(), r.partition(), r.offset(), e.toString());
            }
        }
        List<StoreOutcome> outcomes = storeWithRetry(events, vanishHere);
        long nowMillis = System.currentTimeMillis();
        for (int i = 0; i < events.size(); i++) {
            ConsumerRecord<String, String> r = sources.get(i);
            StoreOutcome outcome = outcomes.get(i);
            metrics.outcome(events.get(i), outcome);
            Origin origin = Origin.readFrom(r.headers());
            if (outcome == StoreOutcome.STORED || outcome == StoreOutcome.EPHEMERAL) {
                producer.send(Topics.stored(r.key(), r.value(), origin == null ? 0 : origin.receivedMillis()), batch.onSend());
            } else if (outcome == StoreOutcome.FAILED) {
                producer.send(deadLetter(r, writer.refusals().getOrDefault(events.get(i).id(), "refused")), batch.onSend());
            }
            if (origin != null) {
                metrics.stage().sinceReceived(origin.receivedMillis(), nowMillis);
            }
            if (origin != null && config.sendsOks()) {
                Verdict v = new Verdict(origin.connection(), events.get(i).id(), outcome.accepted(), outcome.message());
                producer.send(new ProducerRecord<>(Topics.VERDICTS, origin.gateway(), v.toJson()), batch.onSend());
            }
        }
    }

    /** The record as it came, with why it failed and where it was, for an operator to look at. */
    private static ProducerRecord<String, String> deadLetter(ConsumerRecord<String, String> r, String reason) {
        ProducerRecord<String, String> dead = new ProducerRecord<>(Topics.DEAD_LETTER, null, r.key(), r.value(), r.headers());
        dead.headers().add(Topics.ERROR_HEADER, reason.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        dead.headers().add(Topics.SOURCE_HEADER, (r.topic() + "-" + r.partition() + "@" + r.offset())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return dead;
    }

    private void houseKeep() {
        long now = System.currentTimeMillis();
        if (now < nextHousekeeping) {
            return;
        }
        nextHousekeeping = now + HOUSEKEEPING_INTERVAL_MS;
        try {
            housekeeping.run();
        } catch (RuntimeException e) {
            LOG.warn("housekeeping failed, retrying in {} h: {}", HOUSEKEEPING_INTERVAL_MS / 3_600_000, e.toString());
        }
    }

    private List<StoreOutcome> storeWithRetry(List<Event> events, java.util.Set<String> vanishHere)
            throws InterruptedException {
        List<StoreOutcome> outcomes = writer.write(events, vanishHere);
        writer.refusals().forEach((id, reason) -> LOG.error("PostgreSQL refused event {} for good ({}): it goes to {}",
                id, reason, Topics.DEAD_LETTER));
        return outcomes;
    }

    private void waitToRetry(int size, RuntimeException e) throws InterruptedException {
        if (!running.get()) {
            throw new WakeupException();
        }
        worker.beat(); // waiting for the database is not being stuck
        metrics.retried();
        LOG.warn("could not write {} events to PostgreSQL ({}); retrying", size, e.toString());
        Thread.sleep(config.retryBackoffMillis());
    }

    @Override
    public void close() throws Exception {
        running.set(false);
        consumer.wakeup();
        thread.join(10_000);
        watch.close();
        producer.close(Duration.ofSeconds(5));
    }
}
