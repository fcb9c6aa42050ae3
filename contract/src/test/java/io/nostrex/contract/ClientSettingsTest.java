package io.nostrex.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class ClientSettingsTest {
    private static final Map<String, Object> OPERATOR = Map.of(ProducerConfig.ACKS_CONFIG, "0",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "k:9092",
            ProducerConfig.LINGER_MS_CONFIG, 5, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "pod-0");

    @Test
    void aProducerIsDurableAndIdempotentWhateverTheSettingsSay() {
        Map<String, Object> p = ClientSettings.producer(OPERATOR, "validator");
        assertThat(p).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "k:9092")
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 5)
                .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    }

    @Test
    void eachProducerIsNamedAfterItsRoleAndNoTwoShareAnId() {
        String first = (String) ClientSettings.producer(OPERATOR, "gateway").get(ProducerConfig.CLIENT_ID_CONFIG);
        String second = (String) ClientSettings.producer(OPERATOR, "gateway").get(ProducerConfig.CLIENT_ID_CONFIG);
        assertThat(first).startsWith("nostrex-gateway-");
        assertThat(second).startsWith("nostrex-gateway-").isNotEqualTo(first);
        assertThat((String) ClientSettings.producer(OPERATOR, "archiver").get(ProducerConfig.CLIENT_ID_CONFIG))
                .startsWith("nostrex-archiver-");
    }

    @Test
    void aClientIdTheOperatorSetIsKeptAsGivenForItsQuotas() {
        Map<String, Object> kafka = Map.of(ProducerConfig.CLIENT_ID_CONFIG, "tenant-a");
        assertThat(ClientSettings.producer(kafka, "gateway")).containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "tenant-a");
    }
}
