package io.nostrex.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class TopicsTest {
    @Test
    void aKeyLandsOnThePartitionKafkasDefaultPartitionerGivesIt() {
        for (int partitions : new int[] {1, 4, 12}) {
            for (int i = 0; i < 200; i++) {
                String key = Integer.toHexString(i * 7919).repeat(8);
                assertThat(Topics.partitionOf(key, partitions))
                        .isEqualTo(BuiltInPartitioner.partitionForKey(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), partitions));
            }
        }
    }

    @Test
    void thePolicyTopicIsCompactedAndPartOfTheContract() {
        assertThat(Topics.all(3)).anySatisfy(t -> {
            assertThat(t.name()).isEqualTo(Topics.POLICY);
            assertThat(t.config()).containsEntry("cleanup.policy", "compact");
        });
    }
}
