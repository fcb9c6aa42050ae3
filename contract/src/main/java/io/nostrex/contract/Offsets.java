package io.nostrex.contract;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits what a consumer loop has fully handled, while the loop goes on polling. A loop opens a
 * {@link Batch} per poll, passes {@link Batch#onSend()} as the callback of every record it produces
 * for that batch, and seals it. A batch counts as handled once all its sends are acknowledged;
 * handled batches are committed in poll order, asynchronously while running (a later commit
 * supersedes a lost one; a crash replays, and every stage is idempotent) and synchronously on
 * close. A batch whose send failed is never committed, nor is anything polled after it: the loop
 * gets a {@link SendFailedException} and stops, and a restart handles those records again.
 */
public final class Offsets {
    private static final Logger LOG = LoggerFactory.getLogger(Offsets.class);

    /** Told of every batch once all its sends are acknowledged (for the batch meters). */
    @FunctionalInterface
    public interface Listener {
        void handled(int records, long nanosFromOpenToAcknowledged);
    }

    private final int maxInFlight;
    private final long commitIntervalNanos;
    private final Listener listener;
    private final Deque<Batch> inFlight = new ArrayDeque<>();
    private final Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
    private boolean uncommitted;
    private long lastCommit;

    /**
     * @param maxInFlight how many sealed batches may await their acknowledgements before the loop waits
     * @param commitInterval the least time between two commits while running; each commit is a
     *     request to the group coordinator, and a crash replays at most this much more
     */
    public Offsets(int maxInFlight, Duration commitInterval) {
        this(maxInFlight, commitInterval, (records, nanos) -> { });
    }

    /** As {@link #Offsets(int, Duration)}, telling {@code listener} of each acknowledged batch. */
    public Offsets(int maxInFlight, Duration commitInterval, Listener listener) {
        this.listener = listener;
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1");
        }
        this.maxInFlight = maxInFlight;
        this.commitIntervalNanos = commitInterval.toNanos();
        this.lastCommit = System.nanoTime() - commitIntervalNanos;
    }

    /** A send of a batch failed for good; the records of that batch and later ones are not committed. */
    public static final class SendFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SendFailedException(Exception cause) {
            super("a send was not acknowledged: " + cause, cause);
        }
    }

    /** The records of one poll and the sends made for them. */
    public static final class Batch {
        private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        private final AtomicInteger pending = new AtomicInteger(1);
        private final CountDownLatch done = new CountDownLatch(1);
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private final long openedNanos = System.nanoTime();
        private final int records;
        private volatile long doneNanos;
        private final Callback callback = (metadata, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
            release();
        };

        private Batch(ConsumerRecords<?, ?> records) {
            this.records = records.count();
            for (TopicPartition tp : records.partitions()) {
                var list = records.records(tp);
                ConsumerRecord<?, ?> last = list.get(list.size() - 1);
                offsets.put(tp, new OffsetAndMetadata(last.offset() + 1));
            }
        }

        /** The callback to give the producer for one send of this batch; call once per send. */
        public Callback onSend() {
            pending.incrementAndGet();
            return callback;
        }

        private void release() {
            if (pending.decrementAndGet() == 0) {
                doneNanos = System.nanoTime();
                done.countDown();
            }
        }

        private boolean isDone() {
            return done.getCount() == 0;
        }
    }

    /** Opens the batch of one poll; make its sends, then {@link #seal} it. */
    public Batch open(ConsumerRecords<?, ?> records) {
        return new Batch(records);
    }

    /**
     * Seals a batch (no more sends), commits every batch handled so far, and waits while more than
     * {@code maxInFlight} batches are unacknowledged.
     */
    public void seal(Consumer<?, ?> consumer, Batch batch) throws InterruptedException {
        batch.release();
        inFlight.addLast(batch);
        while (inFlight.size() > maxInFlight) {
            inFlight.peekFirst().done.await();
            collect();
        }
        commitHandled(consumer);
    }

    /**
     * Commits the batches acknowledged so far, unless the last commit is younger than the commit
     * interval; call when a poll returns nothing, too.
     */
    public void commitHandled(Consumer<?, ?> consumer) {
        uncommitted |= collect();
        long now = System.nanoTime();
        if (uncommitted && now - lastCommit >= commitIntervalNanos) {
            uncommitted = false;
            lastCommit = now;
            consumer.commitAsync(Map.copyOf(handled), (offsets, error) -> {
                if (error != null) {
                    LOG.warn("offset commit failed (a later one will cover it): {}", error.toString());
                }
            });
        }
    }

    /** Whether every sealed batch has been acknowledged and committed. */
    public boolean idle() {
        uncommitted |= collect();
        return inFlight.isEmpty() && !uncommitted;
    }

    /**
     * Waits up to {@code timeout} for the outstanding batches, then commits everything handled,
     * synchronously; call before closing the consumer. Failed and unfinished batches stay uncommitted.
     */
    public void commitOnClose(Consumer<?, ?> consumer, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (Batch b : inFlight) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !b.done.await(left, TimeUnit.NANOSECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            collect();
        } catch (SendFailedException e) {
            LOG.warn("{}; the records from that batch on will be handled again", e.getMessage());
        }
        if (!inFlight.isEmpty()) {
            LOG.warn("{} batches were not acknowledged in time; they will be handled again", inFlight.size());
        }
        if (handled.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(Map.copyOf(handled), Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warn("final offset commit failed; those records will be handled again: {}", e.toString());
        }
    }

    /** Moves acknowledged batches from the head into {@code handled}; true when any moved. */
    private boolean collect() {
        boolean moved = false;
        while (!inFlight.isEmpty() && inFlight.peekFirst().isDone()) {
            Batch b = inFlight.peekFirst();
            Exception error = b.failure.get();
            if (error != null) {
                throw new SendFailedException(error);
            }
            inFlight.removeFirst();
            handled.putAll(b.offsets);
            listener.handled(b.records, b.doneNanos - b.openedNanos);
            moved = true;
        }
        return moved;
    }
}
