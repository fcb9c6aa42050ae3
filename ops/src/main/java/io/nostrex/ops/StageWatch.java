package io.nostrex.ops;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * What operators see of one consuming stage (validator, archiver): the liveness of its loop (check
 * {@code role}), its consumer group membership (check {@code role + " group"}) and the meters of
 * its Kafka clients. Closing it removes all three, as a stage stopped on purpose should.
 */
public final class StageWatch implements AutoCloseable {
    private final Health health;
    private final String role;
    private final Worker worker;
    private final Assignment assignment = new Assignment();
    private final List<AutoCloseable> meterBindings;

    public StageWatch(Ops ops, String role, Duration stallAfter, Consumer<?, ?> consumer, Producer<?, ?> producer) {
        this.health = ops.health();
        this.role = role;
        this.worker = health.worker(role, stallAfter);
        health.ready(role + " group", assignment::status);
        this.meterBindings = List.of(Metrics.bind(ops.registry(), consumer, role),
                Metrics.bind(ops.registry(), producer, role));
    }

    public Worker worker() {
        return worker;
    }

    /** The rebalance listener to subscribe the consumer with. */
    public Assignment assignment() {
        return assignment;
    }

    @Override
    public void close() throws Exception {
        health.remove(role);
        health.remove(role + " group");
        for (AutoCloseable binding : meterBindings) {
            binding.close();
        }
    }
}
