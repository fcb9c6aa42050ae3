package io.nostrex.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Probe;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every probe asks a path the role serves, on the port the role listens on. */
class ProbeTest {
    /** The variable that names each role's HTTP port. */
    private static final Map<String, String> PORT_VARIABLE = Map.of(
            "gateway", "NOSTREX_PORT",
            "validator", "NOSTREX_ADMIN_PORT",
            "matcher", "NOSTREX_ADMIN_PORT",
            "archiver", "NOSTREX_ADMIN_PORT");

    static Stream<Arguments> everyRole() {
        return EnvironmentTest.everyRole();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyRole")
    void livenessAsksHealthAndReadinessAsksReady(ValuesFile values, String role) {
        // Given the role's container
        var container = Chart.render(values).pod(role).container();
        // Then liveness and startup ask /health, readiness /ready
        assertThat(path(container.getLivenessProbe())).isEqualTo("/health");
        assertThat(path(container.getReadinessProbe())).isEqualTo("/ready");
        assertThat(container.getStartupProbe()).satisfiesAnyOf(
                startup -> assertThat(startup).isNull(),
                startup -> assertThat(path(startup)).isEqualTo("/health"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyRole")
    void everyProbeAsksThePortTheRoleListensOn(ValuesFile values, String role) {
        // Given the port the role is told to listen on
        PodOwner pod = Chart.render(values).pod(role);
        int listening = Integer.parseInt(pod.envValue(PORT_VARIABLE.get(role)));
        var container = pod.container();
        // Then every probe resolves to a container port of that number
        Stream.of(container.getLivenessProbe(), container.getReadinessProbe(), container.getStartupProbe())
                .filter(probe -> probe != null)
                .forEach(probe -> assertThat(pod.containerPort(probe.getHttpGet().getPort())).isEqualTo(listening));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyRole")
    void theRoleDeclaresTheOnePortItListensOn(ValuesFile values, String role) {
        // Given the role's pod
        PodOwner pod = Chart.render(values).pod(role);
        // Then its only container port is the one its variable names
        assertThat(pod.container().getPorts()).singleElement()
                .satisfies(port -> assertThat(port.getContainerPort())
                        .isEqualTo(Integer.parseInt(pod.envValue(PORT_VARIABLE.get(role)))));
    }

    private static String path(Probe probe) {
        return probe.getHttpGet().getPath();
    }
}
