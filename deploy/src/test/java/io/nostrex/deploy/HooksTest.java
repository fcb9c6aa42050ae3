package io.nostrex.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The topics Job before install and upgrade, and the `helm test` Pod. */
class HooksTest {
    private static final String HOOK = "helm.sh/hook";

    @ParameterizedTest
    @EnumSource(value = ValuesFile.class, names = {"DEFAULT", "PRODUCTION"})
    void theTopicsJobRunsBeforeInstallAndBeforeUpgrade(ValuesFile values) {
        // Given the topics Job
        PodOwner job = Chart.render(values).pod("topics");
        // Then Helm runs it before the roles exist or roll, and replaces the last run's Job
        assertThat(job.kind()).isEqualTo("Job");
        assertThat(job.annotations()).containsEntry(HOOK, "pre-install,pre-upgrade");
        assertThat(job.annotations().get(HOOK + "-delete-policy")).contains("before-hook-creation");
        assertThat(job.container().getArgs()).containsExactly("topics");
        assertThat(job.spec().getRestartPolicy()).isEqualTo("Never");
    }

    @ParameterizedTest(name = "{0}: {1} partitions, replication {2}")
    @CsvSource({"DEFAULT, 4, 1", "PRODUCTION, 12, 3"})
    void theTopicsJobCreatesThePartitionsAndReplicationOfTheValues(ValuesFile values, String partitions,
                                                                  String replication) {
        // Given the topics Job
        PodOwner job = Chart.render(values).pod("topics");
        // Then
        assertThat(job.envValue("NOSTREX_PARTITIONS")).isEqualTo(partitions);
        assertThat(job.envValue("NOSTREX_REPLICATION")).isEqualTo(replication);
    }

    @ParameterizedTest
    @EnumSource(value = ValuesFile.class, names = {"DEFAULT", "PRODUCTION"})
    void theTopicsJobNeedsNothingTheReleaseCreates(ValuesFile values) {
        // Given a pre-install hook runs before the release's own ConfigMap and ServiceAccount exist
        Manifests manifests = Chart.render(values);
        PodOwner job = manifests.pod("topics");
        // Then the Job takes its Kafka settings inline and runs under no ServiceAccount of the chart
        assertThat(job.container().getEnvFrom()).filteredOn(from -> from.getConfigMapRef() != null).isEmpty();
        assertThat(job.envValue("KAFKA_BOOTSTRAP_SERVERS"))
                .isEqualTo(manifests.settings().getData().get("KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(job.spec().getServiceAccountName()).isNull();
    }

    @Test
    void withStrimziThereIsNoTopicsJob() {
        // Given / When the Strimzi values
        Manifests manifests = Chart.render(ValuesFile.STRIMZI_CNPG);
        // Then the KafkaTopics take the Job's place
        assertThat(manifests.all(Job.class)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ValuesFile.class)
    void theTestPodChecksTheRelayThroughTheGatewayService(ValuesFile values) {
        // Given the `helm test` Pod and the gateway Service
        Manifests manifests = Chart.render(values);
        PodOwner test = manifests.pod("test");
        Service gateway = manifests.one(Service.class, Chart.name("gateway"));
        String url = "ws://" + gateway.getMetadata().getName() + ":" + gateway.getSpec().getPorts().get(0).getPort() + "/";
        // Then it runs `check` against that Service's port
        assertThat(test.kind()).isEqualTo("Pod");
        assertThat(test.annotations()).containsEntry(HOOK, "test");
        assertThat(test.container().getArgs()).containsExactly("check", "--url", url);
        assertThat(url).isEqualTo("ws://relay-nostrex-gateway:7777/");
    }
}
