package io.nostrex.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The gateway's Service, and in production its Ingress: WebSockets kept open, only the relay published. */
class ExposureTest {
    private static final String GATEWAY = Chart.name("gateway");

    @ParameterizedTest
    @EnumSource(ValuesFile.class)
    void theGatewayServiceSendsToThePortTheGatewayListensOn(ValuesFile values) {
        // Given the gateway Service and pod
        Manifests manifests = Chart.render(values);
        Service service = manifests.one(Service.class, GATEWAY);
        PodOwner gateway = manifests.pod("gateway");
        ServicePort port = service.getSpec().getPorts().get(0);
        // Then it selects the gateway's pods and reaches NOSTREX_PORT
        assertThat(gateway.labels()).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(gateway.containerPort(port.getTargetPort()))
                .isEqualTo(Integer.parseInt(gateway.envValue("NOSTREX_PORT")));
        assertThat(port.getPort()).isEqualTo(7777);
    }

    @Test
    void thereIsNoIngressUnlessAskedFor() {
        assertThat(Chart.render(ValuesFile.DEFAULT).all(Ingress.class)).isEmpty();
    }

    @Test
    void theIngressKeepsQuietWebSocketsOpenAndAddsItsOwnAnnotations() {
        // Given the production Ingress
        Ingress ingress = Chart.render(ValuesFile.PRODUCTION).one(Ingress.class, GATEWAY);
        // Then ingress-nginx waits an hour on a quiet socket, and the values' annotations are there too
        assertThat(ingress.getMetadata().getAnnotations())
                .containsEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600")
                .containsEntry("nginx.ingress.kubernetes.io/proxy-send-timeout", "3600")
                .containsEntry("cert-manager.io/cluster-issuer", "letsencrypt");
        assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
    }

    @Test
    void aWebSocketTimeoutOfZeroLeavesTheTimeoutAnnotationsOut() {
        // Given the production Ingress with no WebSocket timeout
        Ingress ingress = Chart.render(ValuesFile.PRODUCTION, Map.of("gateway.ingress.websocketTimeoutSeconds", 0))
                .one(Ingress.class, GATEWAY);
        // Then only the values' own annotations are there
        assertThat(ingress.getMetadata().getAnnotations())
                .containsOnlyKeys("cert-manager.io/cluster-issuer");
    }

    @Test
    void theIngressPublishesOnlyTheRelayOverTls() {
        // Given the production Ingress and the gateway Service
        Manifests manifests = Chart.render(ValuesFile.PRODUCTION);
        Ingress ingress = manifests.one(Ingress.class, GATEWAY);
        Service service = manifests.one(Service.class, GATEWAY);
        HTTPIngressPath path = ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0);
        // Then "/" exactly (not /metrics, /health, /ready) goes to a port of the gateway Service, with TLS
        assertThat(path.getPath()).isEqualTo("/");
        assertThat(path.getPathType()).isEqualTo("Exact");
        assertThat(path.getBackend().getService().getName()).isEqualTo(service.getMetadata().getName());
        assertThat(service.getSpec().getPorts()).extracting(ServicePort::getName)
                .contains(path.getBackend().getService().getPort().getName());
        assertThat(ingress.getSpec().getTls()).singleElement()
                .satisfies(tls -> assertThat(tls.getHosts()).containsExactly("relay.example.com"));
    }
}
