package io.nostrex.contract;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits what a consumer loop has fully handled, asynchronously while running (a later commit
 * supersedes a lost one; a crash replays, and every stage is idempotent) and synchronously on close.
 * Only handled batches are ever committed, never merely polled ones.
 */
public final class Offsets {
    private static final Logger LOG = LoggerFactory.getLogger(Offsets.class);

    private final Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();

    /** Records that every record of the batch is handled, and commits asynchronously. */
    public void handled(Consumer<?, ?> consumer, ConsumerRecords<?, ?> records) {
        for (TopicPartition tp : records.partitions()) {
            var list = records.records(tp);
            ConsumerRecord<?, ?> last = list.get(list.size() - 1);
            handled.put(tp, new OffsetAndMetadata(last.offset() + 1));
        }
        consumer.commitAsync(Map.copyOf(handled), (offsets, error) -> {
            if (error != null) {
                LOG.warn("offset commit failed (a later one will cover it): {}", error.toString());
            }
        });
    }

    /** Commits everything handled, waiting for it; call before closing the consumer. */
    public void commitOnClose(Consumer<?, ?> consumer) {
        if (handled.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(Map.copyOf(handled), Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warn("final offset commit failed; those records will be handled again: {}", e.toString());
        }
    }
}
