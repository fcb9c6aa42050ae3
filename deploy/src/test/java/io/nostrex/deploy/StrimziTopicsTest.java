package io.nostrex.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.contract.Topic;
import io.nostrex.contract.Topics;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** With Strimzi, one KafkaTopic per topic of the contract (io.nostrex.contract.Topics), for the Topic Operator. */
class StrimziTopicsTest {
    private static final int PARTITIONS = 6;

    @Test
    void declaresEveryTopicOfTheContractWithItsConfig() {
        // Given the contract's topics
        Map<String, Map<String, String>> contract = Topics.all(PARTITIONS).stream()
                .collect(Collectors.toMap(Topic::name, Topic::config));
        // When the KafkaTopics are rendered
        Map<String, Map<String, Object>> declared = topics().stream()
                .collect(Collectors.toMap(t -> t.getSpec().getTopicName(), t -> t.getSpec().getConfig()));
        // Then they are the same topics with the same configs
        assertThat(declared).isEqualTo(contract);
    }

    @Test
    void declaresThePartitionsAndReplicasOfTheValues() {
        assertThat(topics()).allSatisfy(topic -> {
            assertThat(topic.getSpec().getPartitions()).isEqualTo(PARTITIONS);
            assertThat(topic.getSpec().getReplicas()).isEqualTo(3);
            assertThat(topic.getMetadata().getName()).isEqualTo(topic.getSpec().getTopicName());
        });
    }

    @Test
    void labelsEachTopicForTheClusterInTheNamespaceItsOperatorWatches() {
        assertThat(topics()).allSatisfy(topic -> {
            assertThat(topic.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "events");
            assertThat(topic.getMetadata().getNamespace()).isEqualTo("kafka");
        });
    }

    @Test
    void keepsTheTopicsOnUninstall() {
        // Given deleting a KafkaTopic deletes the topic, and nostr.events is the relay's history
        // Then helm uninstall leaves them
        assertThat(topics()).allSatisfy(topic ->
                assertThat(topic.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"kafka.strimzi.io/v1beta2", "kafka.strimzi.io/v1"})
    void writesTheApiVersionOfTheValues(String apiVersion) {
        // Given / When the Strimzi values with an API version
        Manifests manifests = Chart.render(ValuesFile.STRIMZI_CNPG, Map.of("strimzi.apiVersion", apiVersion));
        // Then every KafkaTopic is written with it
        assertThat(manifests.all()).filteredOn(m -> m.kind().equals("KafkaTopic"))
                .hasSize(Topics.all(PARTITIONS).size())
                .extracting(Manifest::apiVersion).containsOnly(apiVersion);
    }

    private static List<KafkaTopic> topics() {
        return Chart.render(ValuesFile.STRIMZI_CNPG).all(KafkaTopic.class);
    }
}
