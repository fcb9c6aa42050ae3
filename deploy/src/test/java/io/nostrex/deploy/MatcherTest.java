package io.nostrex.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The matcher is a StatefulSet: a stable pod name is its static group member id, and its Kafka
 * Streams state lives on its own claim, so that a restart neither rebalances nor restores from
 * scratch.
 */
class MatcherTest {
    private static final String MATCHER = Chart.name("matcher");

    @ParameterizedTest
    @EnumSource(ValuesFile.class)
    void runsAsAStatefulSetBehindAHeadlessService(ValuesFile values) {
        // Given the matcher's StatefulSet
        Manifests manifests = Chart.render(values);
        StatefulSet matcher = manifests.one(StatefulSet.class, MATCHER);
        // When the Service it names is looked up
        Service service = manifests.one(Service.class, matcher.getSpec().getServiceName());
        // Then it is headless and selects the matcher's pods
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(matcher.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
    }

    @ParameterizedTest
    @EnumSource(ValuesFile.class)
    void takesItsInstanceIdFromThePodName(ValuesFile values) {
        // Given the matcher's NOSTREX_INSTANCE_ID
        EnvVar id = Chart.render(values).pod("matcher").env("NOSTREX_INSTANCE_ID").orElseThrow();
        // Then the downward API gives it the pod's name: relay-nostrex-matcher-0, -1, ...
        assertThat(id.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
    }

    @ParameterizedTest
    @EnumSource(ValuesFile.class)
    void keepsItsStateOnItsOwnClaimAtNostrexData(ValuesFile values) {
        // Given the matcher's StatefulSet and pod
        StatefulSet matcher = Chart.render(values).one(StatefulSet.class, MATCHER);
        PodOwner pod = Chart.render(values).pod("matcher");
        // When the mount of NOSTREX_DATA is looked up
        VolumeMount data = mountAt(pod, pod.envValue("NOSTREX_DATA"));
        // Then it is a claim template's, not a volume of the pod
        assertThat(matcher.getSpec().getVolumeClaimTemplates()).extracting(c -> c.getMetadata().getName())
                .containsExactly(data.getName());
        assertThat(pod.spec().getVolumes()).extracting(Volume::getName).doesNotContain(data.getName());
        assertThat(pod.envValue("NOSTREX_DATA")).isEqualTo("/var/lib/nostrex");
    }

    @ParameterizedTest(name = "{0}: storage {1}")
    @CsvSource({"DEFAULT, 10Gi", "PRODUCTION, 50Gi", "STRIMZI_CNPG, 10Gi"})
    void claimsTheStorageOfTheValues(ValuesFile values, String storage) {
        // Given the matcher's claim template
        PersistentVolumeClaim claim = Chart.render(values).one(StatefulSet.class, MATCHER)
                .getSpec().getVolumeClaimTemplates().get(0);
        // Then
        assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo(storage);
        assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
    }

    @ParameterizedTest(name = "{0}: {1} standby replicas, {2} threads, {3} pods")
    @CsvSource({"DEFAULT, 0, 1, 1", "PRODUCTION, 1, 2, 3", "STRIMZI_CNPG, 1, 1, 2"})
    void followsTheValuesForStandbysThreadsAndReplicas(ValuesFile values, String standbys, String threads,
                                                       int replicas) {
        // Given the matcher as rendered
        Manifests manifests = Chart.render(values);
        PodOwner pod = manifests.pod("matcher");
        // Then
        assertThat(pod.envValue("NOSTREX_STANDBY_REPLICAS")).isEqualTo(standbys);
        assertThat(pod.envValue("NOSTREX_STREAM_THREADS")).isEqualTo(threads);
        assertThat(manifests.one(StatefulSet.class, MATCHER).getSpec().getReplicas()).isEqualTo(replicas);
    }

    @ParameterizedTest
    @EnumSource(ValuesFile.class)
    void startsEveryMatcherAtOnceAndGivesThemTimeToRestore(ValuesFile values) {
        // Given the matcher's StatefulSet and container
        StatefulSet matcher = Chart.render(values).one(StatefulSet.class, MATCHER);
        var startup = Chart.render(values).pod("matcher").container().getStartupProbe();
        // Then all pods start together (one rebalance) and may restore for minutes before liveness counts
        assertThat(matcher.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold()).isGreaterThanOrEqualTo(300);
    }

    @Test
    void withoutPersistenceTheStateIsOnAnEmptyDir() {
        // Given persistence turned off
        Manifests manifests = Chart.render(ValuesFile.DEFAULT, Map.of("matcher.persistence.enabled", false));
        PodOwner pod = manifests.pod("matcher");
        // When the volume behind NOSTREX_DATA is looked up
        String volume = mountAt(pod, pod.envValue("NOSTREX_DATA")).getName();
        // Then it is an emptyDir, and there is no claim template
        assertThat(pod.spec().getVolumes()).filteredOn(v -> v.getName().equals(volume))
                .singleElement().satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
        assertThat(manifests.one(StatefulSet.class, MATCHER).getSpec().getVolumeClaimTemplates()).isEmpty();
    }

    private static VolumeMount mountAt(PodOwner pod, String path) {
        return pod.container().getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path))
                .findFirst().orElseThrow(() -> new AssertionError(pod + " mounts nothing at " + path));
    }
}
