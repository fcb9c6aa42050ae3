package io.nostrex.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pod (the roles, the topics Job, the test Pod) meets the restricted Pod Security Standard,
 * runs as the image's user 10001 on a read-only root, and writes only to its emptyDirs (and the
 * matcher to its claim).
 */
class PodSecurityTest {
    private static final long USER = 10001L;

    static Stream<Arguments> everyPod() {
        return EnvironmentTest.everyPod();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyPod")
    void thePodRunsAsTheImagesNonRootUserUnderTheRuntimesSeccompProfile(ValuesFile values, PodOwner pod) {
        // Given the pod's security context
        PodSecurityContext context = pod.spec().getSecurityContext();
        // Then
        assertThat(context.getRunAsNonRoot()).isTrue();
        assertThat(context.getRunAsUser()).isEqualTo(USER);
        assertThat(context.getRunAsGroup()).isEqualTo(USER);
        assertThat(context.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyPod")
    void theContainerCanNeitherWriteItsRootNorGainPrivileges(ValuesFile values, PodOwner pod) {
        // Given the container's security context
        SecurityContext context = pod.container().getSecurityContext();
        // Then
        assertThat(context.getReadOnlyRootFilesystem()).isTrue();
        assertThat(context.getAllowPrivilegeEscalation()).isFalse();
        assertThat(context.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(context.getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(context.getRunAsNonRoot()).isTrue();
        assertThat(context.getRunAsUser()).isEqualTo(USER);
        assertThat(context.getRunAsGroup()).isEqualTo(USER);
        assertThat(context.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyPod")
    void tmpIsAnEmptyDirForTheNativeLibraries(ValuesFile values, PodOwner pod) {
        // Given the volume mounted at /tmp
        Volume tmp = volumeAt(pod, "/tmp");
        // Then it is the pod's own scratch space
        assertThat(tmp.getEmptyDir()).isNotNull();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyPod")
    void theDataFolderIsWritableAndAnEmptyDirExceptTheMatchersClaim(ValuesFile values, PodOwner pod) {
        // Given the mount at /var/lib/nostrex (NOSTREX_DATA)
        VolumeMount data = mountAt(pod, "/var/lib/nostrex");
        // Then it is an emptyDir, or for the matcher a claim of its StatefulSet (no pod volume)
        assertThat(data.getReadOnly()).isNotEqualTo(Boolean.TRUE);
        if (pod.component().equals("matcher")) {
            assertThat(pod.spec().getVolumes()).extracting(Volume::getName).doesNotContain(data.getName());
        } else {
            assertThat(volumeAt(pod, "/var/lib/nostrex").getEmptyDir()).isNotNull();
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyPod")
    void noPodMountsAServiceAccountToken(ValuesFile values, PodOwner pod) {
        // Given Nostrex never calls the Kubernetes API
        // Then no pod carries a token that could
        assertThat(pod.spec().getAutomountServiceAccountToken()).isFalse();
    }

    private static VolumeMount mountAt(PodOwner pod, String path) {
        return pod.container().getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path))
                .findFirst().orElseThrow(() -> new AssertionError(pod + " mounts nothing at " + path));
    }

    private static Volume volumeAt(PodOwner pod, String path) {
        String name = mountAt(pod, path).getName();
        return pod.spec().getVolumes().stream().filter(v -> v.getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError(pod + " has no volume " + name));
    }
}
