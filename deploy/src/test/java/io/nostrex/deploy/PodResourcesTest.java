package io.nostrex.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every container asks for CPU and memory and is bounded; the JVM sizes its heap from the limit. */
class PodResourcesTest {

    static Stream<Arguments> everyPod() {
        return EnvironmentTest.everyPod();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyPod")
    void everyContainerRequestsCpuAndMemoryWithinItsLimits(ValuesFile values, PodOwner pod) {
        // Given the container's resources
        ResourceRequirements resources = pod.container().getResources();
        // Then both are requested, both limited, and no request is above its limit
        for (String resource : new String[] {"cpu", "memory"}) {
            Quantity request = resources.getRequests().get(resource);
            Quantity limit = resources.getLimits().get(resource);
            assertThat(request).as(resource + " request").isNotNull();
            assertThat(limit).as(resource + " limit").isNotNull();
            assertThat(request.getNumericalAmount()).as(resource).isLessThanOrEqualTo(limit.getNumericalAmount());
        }
    }

    @ParameterizedTest(name = "{0} by default: {1} cpu, {2} memory")
    @CsvSource({"gateway, 500m, 1Gi", "validator, 500m, 512Mi", "matcher, 500m, 1Gi", "archiver, 250m, 512Mi"})
    void eachRoleHasItsOwnDefaultRequests(String role, String cpu, String memory) {
        // Given the role with the chart's defaults
        Map<String, Quantity> requests = Chart.render(ValuesFile.DEFAULT).pod(role).container()
                .getResources().getRequests();
        // Then
        assertThat(requests.get("cpu")).isEqualTo(new Quantity(cpu));
        assertThat(requests.get("memory")).isEqualTo(new Quantity(memory));
    }
}
