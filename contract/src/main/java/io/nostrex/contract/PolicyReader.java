package io.nostrex.contract;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code nostr.policy} from its beginning into a {@link PolicyView}, then follows it (a poll
 * every 100 ms), without a consumer group: every gateway, validator and archiver holds the whole
 * policy. A change an admin makes reaches every process within a poll or two; after a restart the
 * policy is read again from the compacted topic.
 */
public final class PolicyReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyReader.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaConsumer<String, String> consumer;
    private final PolicyView view;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<Integer, Long> applied = new HashMap<>();
    private volatile Map<TopicPartition, Long> startEnd;
    private volatile boolean caughtUp;
    private volatile String problem = "not started";

    private PolicyReader(Map<String, Object> kafka, PolicyView view, String role) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "nostrex-policy-" + role + "-" + Long.toHexString(System.nanoTime()));
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        this.view = view;
        this.thread = new Thread(this::loop, "policy-reader-" + role);
        this.thread.setDaemon(true);
    }

    public static PolicyReader start(Map<String, Object> kafka, PolicyView view, String role) {
        PolicyReader r = new PolicyReader(kafka, view, role);
        r.thread.start();
        return r;
    }

    /** The policy this reader fills. */
    public PolicyView view() {
        return view;
    }

    /** Whether the policy as it was when this process started has been read (readiness). */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Why the policy is not read yet. */
    public String problem() {
        return problem;
    }

    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!caughtUp && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return caughtUp;
    }

    /** Waits until the record at {@code offset} of {@code partition} has been applied; false on timeout. */
    public boolean awaitApplied(int partition, long offset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (applied) {
                Long next = applied.get(partition);
                if (next != null && next > offset) {
                    return true;
                }
            }
            Thread.sleep(10);
        }
        return false;
    }

    private void loop() {
        try {
            while (running.get() && !assign()) {
                Thread.sleep(2_000);
            }
            while (running.get()) {
                for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
                    apply(r);
                }
                synchronized (applied) {
                    for (TopicPartition tp : consumer.assignment()) {
                        applied.put(tp.partition(), consumer.position(tp));
                    }
                }
                if (!caughtUp && startEnd.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp = true;
                    LOG.info("policy read: {} banned pubkeys, {} allowed, {} banned events, {} blocked IPs",
                            view.list(PolicyRecord.Kind.BAN_PUBKEY).size(), view.allowedPubkeys().size(),
                            view.list(PolicyRecord.Kind.BAN_EVENT).size(), view.list(PolicyRecord.Kind.BLOCK_IP).size());
                }
            }
        } catch (WakeupException | InterruptedException stopping) {
            // close()
        } catch (RuntimeException e) {
            problem = e.toString();
            LOG.error("the policy reader stopped: {}", e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Assigns every partition of the topic from its beginning; false while the topic is missing. */
    private boolean assign() {
        try {
            List<TopicPartition> tps = consumer.partitionsFor(Topics.POLICY, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            if (tps.isEmpty()) {
                problem = "topic " + Topics.POLICY + " not found (create it with the topics command)";
                LOG.warn("the policy topic {} does not exist yet; retrying", Topics.POLICY);
                return false;
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            startEnd = consumer.endOffsets(tps);
            return true;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            problem = "Kafka did not answer: " + e.getMessage();
            return false;
        }
    }

    private void apply(ConsumerRecord<String, String> r) {
        try {
            PolicyRecord entry = PolicyRecord.read(r.key(), r.value());
            if (entry != null) {
                view.apply(entry);
            }
        } catch (ContractException e) {
            LOG.warn("skipping a policy record: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("a policy listener failed on {}: {}", r.key(), e.toString());
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(5_000);
    }
}
