package io.nostrex.ops;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

/**
 * A group consumer's membership, as its rebalance listener sees it (callbacks run on the consumer's
 * thread; {@link #status} may be read from any). Ready once the group has given it an assignment,
 * even an empty one: a member with no partition is a standby, not a fault.
 */
public final class Assignment implements ConsumerRebalanceListener {
    private final Set<TopicPartition> partitions = ConcurrentHashMap.newKeySet();
    private volatile boolean joined;

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
        partitions.addAll(assigned);
        joined = true;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
        partitions.removeAll(revoked);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
        partitions.removeAll(lost);
        joined = false;
    }

    public Status status() {
        return Status.when(joined, "in its consumer group with " + partitions.size() + " partitions",
                "not in its consumer group yet");
    }
}
