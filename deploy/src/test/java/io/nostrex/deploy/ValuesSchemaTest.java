package io.nostrex.deploy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json refuses bad values before anything is rendered. */
class ValuesSchemaTest {

    @ParameterizedTest(name = "{0}: {1} = {2}")
    @CsvSource(delimiter = '|', value = {
            "negative replicas       | gateway.replicas             | -1               | minimum",
            "wrong type              | gateway.replicas             | two              | want integer",
            "wrong type              | matcher.persistence.enabled  | maybe            | want boolean",
            "unknown key             | gateway.replica              | 2                | additional properties 'replica' not allowed",
            "unknown top-level key   | replicas                     | 2                | additional properties 'replicas' not allowed",
            "bad enum                | logging.format               | xml              | value must be one of",
            "bad enum                | metrics.monitor.kind         | Probe            | value must be one of",
            "bad enum                | gateway.service.type         | External         | value must be one of",
            "not a Kafka variable    | kafka.config.SECURITY_PROTOCOL | SSL            | does not match pattern",
            "not a JDBC URL          | database.url                 | postgres://db/x  | does not match pattern",
            "port out of range       | gateway.port                 | 70000            | maximum",
            "not a relay URL         | access.publicUrls[0]         | https://relay.example.com | does not match pattern",
            "not a pubkey            | access.allowedPubkeys[0]     | npub1xyz         | does not match pattern",
            "kind out of range       | access.privateKinds[0]       | 70000            | maximum",
            "number as annotation    | gateway.podAnnotations.port  | 8081             | want string",
            "Strimzi without cluster | strimzi.enabled              | true             | /strimzi/cluster"})
    void refuses(String mistake, String key, String value, String message) {
        // Given one bad value over the defaults
        Map<String, Object> set = Map.of(key, value);
        // When Helm renders / Then it refuses, saying why
        assertThatThrownBy(() -> Chart.template(ValuesFile.DEFAULT, set))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(message);
    }
}
