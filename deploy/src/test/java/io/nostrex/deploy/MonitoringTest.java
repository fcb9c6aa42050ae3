package io.nostrex.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PodMetricsEndpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/** Prometheus Operator monitors scrape /metrics on each role's port; the dashboard reaches Grafana's sidecar. */
class MonitoringTest {
    private static final Map<String, Object> POD_MONITORS = Map.of("metrics.monitor.kind", "PodMonitor");

    static List<String> roles() {
        return Manifests.ROLES;
    }

    @ParameterizedTest
    @MethodSource("roles")
    void aServiceMonitorScrapesTheRolesPortThroughItsService(String role) {
        // Given the production ServiceMonitor of a role
        Manifests manifests = Chart.render(ValuesFile.PRODUCTION);
        ServiceMonitor monitor = manifests.one(ServiceMonitor.class, Chart.name(role));
        Endpoint endpoint = monitor.getSpec().getEndpoints().get(0);
        // When the Service it selects is found
        Service service = manifests.all(Service.class).stream()
                .filter(s -> s.getMetadata().getLabels().entrySet()
                        .containsAll(monitor.getSpec().getSelector().getMatchLabels().entrySet()))
                .findFirst().orElseThrow();
        ServicePort port = service.getSpec().getPorts().stream()
                .filter(p -> p.getName().equals(endpoint.getPort())).findFirst().orElseThrow();
        // Then /metrics is asked of the port the role listens on, for the Prometheus that selects the label
        PodOwner pod = manifests.pod(role);
        assertThat(endpoint.getPath()).isEqualTo("/metrics");
        assertThat(pod.containerPort(port.getTargetPort())).isEqualTo(pod.container().getPorts().get(0).getContainerPort());
        assertThat(pod.labels()).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
    }

    @ParameterizedTest
    @MethodSource("roles")
    void aPodMonitorScrapesTheRolesNamedPort(String role) {
        // Given the PodMonitor of a role
        Manifests manifests = Chart.render(ValuesFile.PRODUCTION, POD_MONITORS);
        PodMonitor monitor = manifests.one(PodMonitor.class, Chart.name(role));
        PodMetricsEndpoint endpoint = monitor.getSpec().getPodMetricsEndpoints().get(0);
        PodOwner pod = manifests.pod(role);
        // Then it selects the role's pods and asks /metrics of its port
        assertThat(pod.labels()).containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels());
        assertThat(pod.container().getPorts()).extracting(p -> p.getName()).contains(endpoint.getPort());
        assertThat(endpoint.getPath()).isEqualTo("/metrics");
        assertThat(manifests.all(ServiceMonitor.class)).isEmpty();
    }

    @Test
    void theDashboardIsAConfigMapForGrafanasSidecar() {
        // Given the production dashboard ConfigMap
        ConfigMap dashboard = Chart.render(ValuesFile.PRODUCTION).one(ConfigMap.class, Chart.name("dashboard"));
        // Then it carries the sidecar's label and the dashboard as JSON
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getMetadata().getAnnotations()).containsEntry("grafana_folder", "Nostr");
        assertThat(JsonMapper.builder().build().readTree(dashboard.getData().get("nostrex.json")).path("title").asString())
                .isEqualTo("Nostrex");
    }

    @Test
    void nothingForPrometheusOrGrafanaByDefault() {
        Manifests manifests = Chart.render(ValuesFile.DEFAULT);
        assertThat(manifests.all(ServiceMonitor.class)).isEmpty();
        assertThat(manifests.all(PodMonitor.class)).isEmpty();
        assertThat(manifests.find(ConfigMap.class, Chart.name("dashboard"))).isEmpty();
    }
}
