package io.nostrex.archiver;

import io.nostrex.contract.ClientSettings;
import io.nostrex.contract.Topics;
import io.nostrex.contract.VanishMark;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventParser;
import io.nostrex.protocol.InvalidEventException;
import io.nostrex.protocol.Vanish;
import io.nostrex.store.EventStore;
import io.nostrex.store.LogPositions;
import io.nostrex.store.PartitionMaintainer;
import io.nostrex.store.StoreException;
import io.nostrex.store.StoreOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a store from {@code nostr.events}: reads the log in batches and stores each with the
 * archiver's own rules ({@link EventStore}), so the result is the store the live archiver built. The
 * log is keyed by author, and every rule that makes one event's fate depend on another (replaceable
 * versions, NIP-09 deletions) is between events of one author, which one partition holds in order.
 *
 * <p>Where it stands is kept in the database it fills ({@link LogPositions}), moved in the
 * transaction of each batch: killed at any point, it resumes after the last batch stored; an empty
 * database starts from the beginning. It also commits those offsets to its own consumer group, for
 * the usual lag tools; the live archiver's group is never touched.
 */
public final class Replay {
    private static final Logger LOG = LoggerFactory.getLogger(Replay.class);
    public static final String DEFAULT_GROUP = "nostrex-replay";
    private static final Duration POLL = Duration.ofMillis(500);
    private static final long RETRY_MILLIS = 2_000;

    /** Where each partition starts. */
    public sealed interface Start {
        /** Where the database's {@link LogPositions} say, or the beginning. */
        record Resume() implements Start {}

        /** The first record appended at or after this time (the log's timestamps), in every partition. */
        record SinceTime(long epochMillis) implements Start {}

        /** These offsets for the partitions named; the others resume. */
        record FromOffsets(Map<Integer, Long> offsets) implements Start {}
    }

    /**
     * What a replay did so far. Every record read is counted once, in one of these; {@code skipped}:
     * malformed records, and events PostgreSQL refused for good (each logged with why).
     */
    public record Counts(long stored, long duplicate, long replacedOrDeleted, long skipped) {
        /** Events replayed: stored, duplicate, or replaced or deleted (skipped records aside). */
        public long events() {
            return stored + duplicate + replacedOrDeleted;
        }

        /** The line scripts rely on. */
        public String summary() {
            return "replayed " + events() + " events: " + stored + " stored, " + duplicate + " duplicate, "
                    + replacedOrDeleted + " replaced or deleted";
        }

        Counts plus(List<StoreOutcome> outcomes, long skippedRecords) {
            long s = stored;
            long d = duplicate;
            long r = replacedOrDeleted;
            long k = skipped + skippedRecords;
            for (StoreOutcome o : outcomes) {
                switch (o) {
                    case STORED -> s++;
                    case DUPLICATE -> d++;
                    case REPLACED_BY_NEWER, DELETED, VANISHED, BANNED -> r++;
                    case EPHEMERAL -> k++; // never on nostr.events; never stored
                    case FAILED -> k++; // refused by PostgreSQL for good: left out, and logged
                }
            }
            return new Counts(s, d, r, k);
        }
    }

    /**
     * Progress after a batch: the counts, records left to the end offsets seen at the start (or, when
     * following, the lag behind what the live archivers have stored), and the log timestamp of the
     * last record replayed.
     */
    public record Progress(Counts counts, long remaining, long lastRecordMillis) {}

    private final Map<String, Object> kafka;
    private final String group;
    private final EventStore store;
    private final DataSource dataSource;
    private final int batchSize;
    private final int writers;
    private final String archiverGroup;
    private final Admin admin;
    private final ExecutorService pool;
    private final PartitionMaintainer partitions;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile KafkaConsumer<String, String> consumer;

    /**
     * A replay with {@code writers} database connections writing at once, each given the events of
     * a share of the authors (see {@link EventStore#authorDisjoint}); {@code batchSize} records per poll.
     * When following, it stays behind the consumer group {@code archiverGroup} of the live archivers.
     * {@code relayUrls}: this relay's public URLs, normalized, for NIP-62 (as the archivers have them);
     * {@code banned}: what the operators banned (NIP-86), left out as the archivers leave it out.
     */
    public Replay(Map<String, Object> kafka, String group, DataSource dataSource, int batchSize, int writers,
                  String archiverGroup, java.util.Set<String> relayUrls,
                  java.util.function.Predicate<io.nostrex.protocol.Event> banned) {
        this.kafka = kafka;
        this.archiverGroup = archiverGroup;
        this.admin = Admin.create(kafka);
        this.group = group;
        this.dataSource = dataSource;
        this.writers = writers;
        this.store = writers == 1 ? new EventStore(dataSource, relayUrls, banned)
                : EventStore.authorDisjoint(dataSource, relayUrls, banned);
        this.batchSize = batchSize;
        this.partitions = new PartitionMaintainer(dataSource, PartitionMaintainer.DEFAULT_MONTHS_AHEAD);
        this.pool = Executors.newFixedThreadPool(writers, r -> {
            Thread t = new Thread(r, "replay-writer");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Replays from {@code start} to the end offsets seen when it starts, or, with {@code follow},
     * until {@link #stop()}. Returns what it did; a stop returns after the batch in hand is stored.
     */
    public Counts run(Start start, boolean follow, Consumer<Progress> progress) throws InterruptedException {
        Map<String, Object> props = ClientSettings.groupConsumer(kafka, group, batchSize);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 << 20);
        Counts counts = new Counts(0, 0, 0, 0);
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer = c;
            if (!running.get()) {
                return counts;
            }
            List<TopicPartition> partitions = c.partitionsFor(Topics.EVENTS, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(partitions);
            seek(c, partitions, start);
            Map<TopicPartition, Long> end = follow ? null : c.endOffsets(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
            while (running.get() && (follow || !reached(c, end))) {
                Map<TopicPartition, Long> limit = follow ? archived(c, partitions) : end;
                Batch batch = Batch.of(c.poll(POLL), limit);
                for (TopicPartition tp : batch.pastEnd) {
                    c.seek(tp, limit.get(tp)); // not this replay's records (yet): read them again later
                }
                if (batch.next.isEmpty()) {
                    continue;
                }
                counts = counts.plus(store(batch), batch.skipped);
                committed.putAll(commits(batch.next));
                c.commitAsync(commits(batch.next), null);
                progress.accept(new Progress(counts, remaining(c, limit), batch.lastTimestamp));
            }
            c.commitSync(committed, Duration.ofSeconds(10));
        } catch (WakeupException stopping) {
            // stop() woke the consumer; every batch stored so far is recorded
        } finally {
            consumer = null;
            pool.shutdownNow();
            admin.close(Duration.ofSeconds(5));
        }
        return counts;
    }

    /** Ends {@link #run} after the batch in hand (safe from any thread, a shutdown hook say). */
    public void stop() {
        running.set(false);
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private void seek(KafkaConsumer<String, String> c, List<TopicPartition> partitions, Start start) {
        Map<Integer, Long> stored = LogPositions.read(dataSource, Topics.EVENTS);
        Map<TopicPartition, Long> beginning = c.beginningOffsets(partitions);
        Map<TopicPartition, OffsetAndTimestamp> byTime = Map.of();
        if (start instanceof Start.SinceTime since) {
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(tp -> query.put(tp, since.epochMillis()));
            byTime = c.offsetsForTimes(query);
        }
        Map<TopicPartition, Long> ends = c.endOffsets(partitions);
        for (TopicPartition tp : partitions) {
            long offset = stored.getOrDefault(tp.partition(), beginning.get(tp));
            if (start instanceof Start.SinceTime) {
                OffsetAndTimestamp at = byTime.get(tp);
                offset = at == null ? ends.get(tp) : at.offset();
            } else if (start instanceof Start.FromOffsets from && from.offsets().containsKey(tp.partition())) {
                offset = Math.max(beginning.get(tp), from.offsets().get(tp.partition()));
            }
            c.seek(tp, offset);
        }
    }

    /**
     * Following: how far the live archivers have stored each partition (their group's committed
     * offsets; the log's end where they have none). The replay stays behind them, and pauses the
     * partitions it has caught up on: an archiver moved onto the database being filled then finds
     * every event past that point new, and announces it live, as it would have on the old one.
     */
    private Map<TopicPartition, Long> archived(KafkaConsumer<String, String> c, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> limit = new HashMap<>();
        try {
            limit.putAll(c.endOffsets(partitions));
            admin.listConsumerGroupOffsets(archiverGroup).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .forEach((tp, at) -> {
                        if (at != null && limit.containsKey(tp)) {
                            limit.put(tp, Math.min(limit.get(tp), at.offset()));
                        }
                    });
        } catch (WakeupException stopping) {
            throw stopping;
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            // a broker that does not answer for a while does not end a replay that follows: it waits
            LOG.warn("cannot read how far the archivers ({}) are; waiting: {}", archiverGroup, e.toString());
            partitions.forEach(tp -> limit.put(tp, c.position(tp)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            (c.position(tp) >= limit.get(tp) ? pause : resume).add(tp);
        }
        c.pause(pause);
        c.resume(resume);
        return limit;
    }

    private static boolean reached(KafkaConsumer<String, String> c, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue());
    }

    private static long remaining(KafkaConsumer<String, String> c, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue() - c.position(e.getKey()))).sum();
    }

    private static Map<TopicPartition, OffsetAndMetadata> commits(Map<Integer, Long> next) {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        next.forEach((p, offset) -> commits.put(new TopicPartition(Topics.EVENTS, p), new OffsetAndMetadata(offset)));
        return commits;
    }

    /**
     * Stores a batch and returns the outcome of each event (in no particular order: only their counts
     * matter). One writer: the events and the positions in one transaction. Several: each writer its
     * authors' events in its own transaction, then the positions; killed in between, the batch is
     * replayed again on resume, and what was stored comes back as duplicates. A batch with a NIP-62
     * request to vanish is written whole in one transaction: the request also deletes and refuses
     * the gift wraps other authors addressed to its author, a rule across authors.
     */
    private List<StoreOutcome> store(Batch batch) throws InterruptedException {
        // an old history's months get their partitions before their rows, not moved there at the end
        long[] createdAts = batch.events.stream().mapToLong(Event::createdAt).toArray();
        withRetry(() -> partitions.prepare(createdAts), batch.events.size());
        if (writers == 1 || batch.events.stream().anyMatch(e -> e.kind() == Vanish.KIND)) {
            BatchWriter writer = writer((events, vanishHere) -> store.store(events, vanishHere, batch.json, Topics.EVENTS,
                    batch.next), eventsOnly(batch.json));
            List<StoreOutcome> outcomes = write(writer, batch.events, batch.vanishHere);
            if (writer.narrowed()) { // the positions were not stored with the events
                storePositions(batch);
            }
            return outcomes;
        }
        List<Future<List<StoreOutcome>>> written = new ArrayList<>();
        BatchWriter.Store events = eventsOnly(batch.json);
        for (List<Event> share : shares(batch.events)) {
            written.add(pool.submit(() -> write(writer(events, events), share, java.util.Set.of())));
        }
        List<StoreOutcome> outcomes = new ArrayList<>(batch.events.size());
        for (Future<List<StoreOutcome>> w : written) {
            outcomes.addAll(await(w));
        }
        storePositions(batch);
        return outcomes;
    }

    private void storePositions(Batch batch) throws InterruptedException {
        withRetry(() -> {
            store.storePositions(Topics.EVENTS, batch.next);
            return null;
        }, 0);
    }

    /**
     * The archiver's batch writer with {@code whole} as the batch's write and {@code single} as the
     * write of one event: what may pass is retried,
     * and a batch PostgreSQL refuses for good is stored event by event, so that only the events it
     * refuses are left out ({@link StoreOutcome#FAILED}, counted with the skipped records).
     */
    private BatchWriter writer(BatchWriter.Store whole, BatchWriter.Store single) {
        return new BatchWriter(whole, single, this::waitToRetry);
    }

    /** The store's write of events alone, with their JSON as the log has it. */
    private BatchWriter.Store eventsOnly(Map<Event, String> json) {
        return (events, vanishHere) -> store.store(events, vanishHere, json);
    }

    private List<StoreOutcome> write(BatchWriter writer, List<Event> events, java.util.Set<String> vanishHere)
            throws InterruptedException {
        List<StoreOutcome> outcomes = writer.write(events, vanishHere);
        writer.refusals().forEach((id, reason) ->
                LOG.error("PostgreSQL refused event {} for good ({}): left out of the replay", id, reason));
        return outcomes;
    }

    /** The batch's events split by author into one list per writer, each in the batch's order. */
    private List<List<Event>> shares(List<Event> events) {
        List<List<Event>> shares = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            shares.add(new ArrayList<>());
        }
        for (Event e : events) {
            shares.get(Math.floorMod(e.pubkey().hashCode(), writers)).add(e);
        }
        return shares;
    }

    private static <T> T await(Future<T> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private interface Write<T> {
        T run();
    }

    /**
     * Runs the write, retrying what may pass; a failure whose cause lies in the data
     * ({@link StoreException#isPermanent}) is thrown.
     */
    private <T> T withRetry(Write<T> write, int events) throws InterruptedException {
        while (true) {
            try {
                return write.run();
            } catch (StoreException e) {
                if (e.isPermanent()) {
                    throw e;
                }
                waitToRetry(events, e);
            }
        }
    }

    /** Waits before another try of a failed write; anything but a database failure is not retried. */
    private void waitToRetry(int events, RuntimeException e) throws InterruptedException {
        if (!(e instanceof StoreException)) {
            throw e;
        }
        if (!running.get()) {
            throw new WakeupException();
        }
        LOG.warn("could not write {} events to PostgreSQL ({}); retrying", events, e.toString());
        Thread.sleep(RETRY_MILLIS);
    }

    /**
     * One poll's events (with their JSON as the log has it, stored as is), the next offset per
     * partition they reach, and what was left out.
     */
    private record Batch(List<Event> events, Map<Event, String> json, java.util.Set<String> vanishHere,
                         Map<Integer, Long> next, long skipped, List<TopicPartition> pastEnd, long lastTimestamp) {
        static Batch of(ConsumerRecords<String, String> records, Map<TopicPartition, Long> end) {
            List<Event> events = new ArrayList<>(records.count());
            Map<Event, String> json = new java.util.IdentityHashMap<>(records.count());
            java.util.Set<String> vanishHere = new java.util.HashSet<>();
            Map<Integer, Long> next = new HashMap<>();
            List<TopicPartition> pastEnd = new ArrayList<>();
            long skipped = 0;
            long last = 0;
            for (TopicPartition tp : records.partitions()) {
                for (ConsumerRecord<String, String> r : records.records(tp)) {
                    if (r.offset() >= end.get(tp)) {
                        pastEnd.add(tp);
                        break;
                    }
                    next.put(tp.partition(), r.offset() + 1);
                    last = Math.max(last, r.timestamp());
                    Event e = parse(r);
                    if (e == null) {
                        skipped++;
                    } else {
                        events.add(e);
                        json.put(e, r.value());
                        if (VanishMark.isMarked(r.headers())) {
                            vanishHere.add(e.id());
                        }
                    }
                }
            }
            return new Batch(events, json, vanishHere, next, skipped, pastEnd, last);
        }

        private static Event parse(ConsumerRecord<String, String> r) {
            try {
                return r.value() == null ? null : EventParser.parse(r.value());
            } catch (InvalidEventException | RuntimeException e) {
                LOG.warn("skipping a malformed record on {} at {}-{}: {}", r.topic(), r.partition(), r.offset(), e.toString());
                return null;
            }
        }
    }
}
