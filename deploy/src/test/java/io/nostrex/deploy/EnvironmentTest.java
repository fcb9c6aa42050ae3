package io.nostrex.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.nostrex.app.Settings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The chart sets only what a role reads: Settings.variables(), KAFKA_* and JAVA_TOOL_OPTIONS. */
class EnvironmentTest {
    private static final Set<String> READ = Settings.variables();

    static Stream<Arguments> everyPod() {
        return Stream.of(ValuesFile.values())
                .flatMap(values -> Chart.render(values).pods().stream().map(pod -> Arguments.of(values, pod)));
    }

    static Stream<Arguments> everyRole() {
        return Stream.of(ValuesFile.values())
                .flatMap(values -> Manifests.ROLES.stream().map(role -> Arguments.of(values, role)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyPod")
    void everyVariableSetOnAPodIsOneARoleReads(ValuesFile values, PodOwner pod) {
        // Given a pod as rendered
        // When its variables are listed
        List<String> names = pod.container().getEnv().stream().map(EnvVar::getName).toList();
        // Then none is unknown to Nostrex
        assertThat(names).as("variables no role reads").filteredOn(name -> !isRead(name)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ValuesFile.class)
    void everyKeyOfTheSharedSettingsIsOneARoleReads(ValuesFile values) {
        // Given the ConfigMap every role takes with envFrom
        Set<String> keys = Chart.render(values).settings().getData().keySet();
        // Then each key is a variable Nostrex reads
        assertThat(keys).as("keys no role reads").filteredOn(key -> !isRead(key)).isEmpty();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyPod")
    void noPodGetsServiceLinks(ValuesFile values, PodOwner pod) {
        // Given a Service named "kafka" would otherwise give every pod KAFKA_PORT=tcp://..., a
        // Kafka client setting, and one named "nostrex" NOSTREX_PORT=tcp://..., a bad port
        // Then no pod takes the Services' variables
        assertThat(pod.spec().getEnableServiceLinks()).isFalse();
    }

    @ParameterizedTest(name = "{0}: {1} reads the database: {2}")
    @CsvSource({"gateway, true", "archiver, true", "validator, false", "matcher, false"})
    void onlyTheGatewayAndTheArchiverGetTheDatabase(String role, boolean readsDatabase) {
        for (ValuesFile values : ValuesFile.values()) {
            // Given the role's pod
            PodOwner pod = Chart.render(values).pod(role);
            // When its database variables are listed
            List<String> database = pod.container().getEnv().stream()
                    .map(EnvVar::getName).filter(n -> n.startsWith("DATABASE_")).toList();
            // Then they are there exactly when the role reads them
            if (readsDatabase) {
                assertThat(database).as(values + " " + role).contains("DATABASE_URL", "DATABASE_USER");
            } else {
                assertThat(database).as(values + " " + role).isEmpty();
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyRole")
    void settingsReadEveryRolesEnvironmentWithoutComplaint(ValuesFile values, String role) {
        // Given the environment a role's container would see (values from references stand in)
        Manifests manifests = Chart.render(values);
        Map<String, String> env = environment(manifests, manifests.pod(role));
        // When Settings reads it / Then every number is a number and Kafka is named
        assertThatCode(() -> Settings.from(env)).doesNotThrowAnyException();
        assertThat(Settings.from(env).kafka()).containsKey("bootstrap.servers");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "DEFAULT      | gateway  | ''               | ''",
            "DEFAULT      | archiver | ''               | ''",
            "PRODUCTION   | gateway  | nostrex-postgres | password",
            "PRODUCTION   | archiver | nostrex-postgres | password",
            "STRIMZI_CNPG | gateway  | nostrex-db-app   | password",
            "STRIMZI_CNPG | archiver | nostrex-db-app   | password"})
    void theDatabasePasswordComesFromTheExistingSecretOnly(ValuesFile values, String role, String secret, String key) {
        // Given the role's database password, if any
        var password = Chart.render(values).pod(role).env("DATABASE_PASSWORD");
        // Then it is there only with a Secret, and then as a reference to it, never a value
        if (secret.isEmpty()) {
            assertThat(password).isEmpty();
        } else {
            assertThat(password).get().satisfies(variable -> {
                assertThat(variable.getValue()).isNull();
                assertThat(variable.getValueFrom().getSecretKeyRef().getName()).isEqualTo(secret);
                assertThat(variable.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(key);
            });
        }
    }

    @org.junit.jupiter.api.Test
    void accessValuesReachEveryRoleAsTheRelayReadsThem() {
        // Given NIP-42 settings in the values
        String alice = "a".repeat(64);
        Map<String, Object> set = Map.of("access.publicUrls[0]", "wss://relay.example.com",
                "access.publicUrls[1]", "wss://nostr.example.com/", "access.privateKinds[0]", "4",
                "access.authRequired", "true", "access.allowedPubkeys[0]", alice);
        // When rendered and read by a role
        Settings settings = Settings.from(Chart.render(ValuesFile.DEFAULT, set).settings().getData());
        // Then
        assertThat(settings.access().publicUrls()).containsExactly("wss://relay.example.com", "wss://nostr.example.com/");
        assertThat(settings.access().privateKinds()).containsExactly(4);
        assertThat(settings.writeAccess().authRequired()).isTrue();
        assertThat(settings.writeAccess().allowedPubkeys()).containsExactly(alice);
        // and by default DMs and gift wraps are private, writes open
        Settings defaults = Settings.from(Chart.render(ValuesFile.DEFAULT).settings().getData());
        assertThat(defaults.access().privateKinds()).containsExactlyInAnyOrder(4, 1059);
        assertThat(defaults.writeAccess().restricted()).isFalse();
    }

    private static boolean isRead(String name) {
        return READ.contains(name) || name.startsWith("KAFKA_") || name.equals("JAVA_TOOL_OPTIONS");
    }

    /** The shared ConfigMap under the container's own variables; a reference reads as a stand-in. */
    private static Map<String, String> environment(Manifests manifests, PodOwner pod) {
        Map<String, String> env = new HashMap<>(manifests.settings().getData());
        for (EnvVar variable : pod.container().getEnv()) {
            env.put(variable.getName(), variable.getValue() != null ? variable.getValue() : "from-a-reference");
        }
        return env;
    }
}
