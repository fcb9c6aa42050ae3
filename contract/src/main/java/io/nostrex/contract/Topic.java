package io.nostrex.contract;

import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;

/** One topic of the contract: its name, partitions and topic-level configuration. */
public record Topic(String name, int partitions, Map<String, String> config) {

    public NewTopic newTopic(short replicationFactor) {
        return new NewTopic(name, partitions, replicationFactor).configs(config);
    }
}
