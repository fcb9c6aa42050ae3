package io.nostrex.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A change of a shared setting rolls every role (checksum/config); a change of something else does not. */
class ChecksumTest {
    private static final String CHECKSUM = "checksum/config";

    @ParameterizedTest(name = "{0} = {1} -> rolls: {2}")
    @CsvSource(delimiter = '|', value = {
            "relay.name                  | Another relay | true",
            "logging.level               | DEBUG         | true",
            "limits.maxTags              | 100           | true",
            "kafka.config.KAFKA_LINGER_MS | 5            | true",
            "kafka.bootstrapServers      | other:9092    | true",
            "gateway.replicas            | 3             | false",
            "matcher.standbyReplicas     | 1             | false"})
    void theConfigChecksumFollowsTheSharedSettings(String key, String value, boolean rolls) {
        for (String role : Manifests.ROLES) {
            // Given the role's checksum with the defaults
            String before = checksum(Chart.render(ValuesFile.DEFAULT), role);
            // When one value changes
            String after = checksum(Chart.render(ValuesFile.DEFAULT, Map.of(key, value)), role);
            // Then the checksum changes exactly when the ConfigMap does
            assertThat(after).as(role + " rolls").matches("[0-9a-f]{64}");
            assertThat(!after.equals(before)).as(role + " rolls").isEqualTo(rolls);
        }
    }

    private static String checksum(Manifests manifests, String role) {
        return manifests.pod(role).podAnnotations().get(CHECKSUM);
    }
}
