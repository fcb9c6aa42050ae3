package io.nostrex.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The parser every rendering goes through refuses what the API server would refuse. */
class StrictManifestsTest {
    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: relay
              annotations: {note: "7"}
            spec:
              replicas: 2
              template:
                spec:
                  enableServiceLinks: false
                  containers:
                    - name: gateway
                      image: nostrex/nostrex
                      ports: [{name: http, containerPort: 7777}]
                      readinessProbe: {httpGet: {path: /ready, port: http}}
            """;
    private static final String KAFKA_TOPIC = """
            apiVersion: kafka.strimzi.io/v1beta2
            kind: KafkaTopic
            metadata: {name: nostr.events}
            spec: {partitions: 4, replicas: 3, config: {retention.ms: "-1"}}
            """;

    @Test
    void readsAWellFormedManifestIntoItsType() {
        // Given / When
        Manifests manifests = Manifests.parse(DEPLOYMENT + "---\n" + KAFKA_TOPIC);
        // Then
        assertThat(manifests.one(Deployment.class, "relay").getSpec().getReplicas()).isEqualTo(2);
        assertThat(manifests.all()).extracting(Manifest::apiVersion)
                .containsExactly("apps/v1", "kafka.strimzi.io/v1beta2");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "misspelt spec field           | replicas: 2           | replica: 2            | replica",
            "misspelt container field      | image: nostrex        | imag: nostrex         | imag",
            "misspelt probe handler        | httpGet:              | httpget:              | httpget",
            "misspelt pod field            | enableServiceLinks    | enableServiceLink     | enableServiceLink",
            "number for a string           | note: \"7\"           | note: 7               | String",
            "string for an integer         | replicas: 2           | replicas: \"2\"       | Integer",
            "string for a boolean          | : false               | : \"false\"           | Boolean"})
    void refusesADeploymentWith(String mistake, String right, String wrong, String named) {
        // Given a Deployment with one mistake
        String yaml = DEPLOYMENT.replace(right, wrong);
        // When / Then it is refused, naming the mistake
        assertThatThrownBy(() -> Manifests.parse(yaml))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Deployment relay: ")
                .hasMessageContaining(named);
    }

    @Test
    void refusesAMisspeltFieldInACustomResource() {
        // Given a KafkaTopic with "partition" for "partitions"
        String yaml = KAFKA_TOPIC.replace("partitions", "partition");
        // When / Then
        assertThatThrownBy(() -> Manifests.parse(yaml))
                .hasMessageContaining("KafkaTopic nostr.events")
                .hasMessageContaining("\"partition\"");
    }

    @Test
    void refusesAKindItHasNoModelFor() {
        // Given an object of a kind the chart does not render
        String yaml = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n";
        // When / Then
        assertThatThrownBy(() -> Manifests.parse(yaml)).hasMessageContaining("no model for v1 Secret");
    }
}
