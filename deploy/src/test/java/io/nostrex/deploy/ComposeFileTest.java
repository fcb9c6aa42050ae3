package io.nostrex.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.nostrex.app.Settings;
import io.nostrex.deploy.Compose.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docker-compose.yml as users run it (with docker-compose.override.yml, its published ports) and
 * as the tests run it (with deploy/compose/host-network.yml), each merged as Compose merges them.
 */
class ComposeFileTest {

    static final Compose USERS = Compose.load("docker-compose.yml", "docker-compose.override.yml");
    static final Compose HOST = Compose.load("docker-compose.yml", "deploy/compose/host-network.yml");
    static final String LOOPBACK = "127.0.0.1";

    static Stream<Compose> bothWays() {
        return Stream.of(USERS, HOST);
    }

    static Stream<Arguments> servicesEachWay() {
        Set<String> stack = Set.of("kafka", "postgres", "topics", "gateway-1", "gateway-2", "validator", "matcher",
                "archiver", "prometheus", "grafana");
        Set<String> twice = new TreeSet<>(stack);
        twice.addAll(Set.of("validator-2", "matcher-2", "archiver-2"));
        return Stream.of(arguments(USERS, stack), arguments(HOST, twice));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servicesEachWay")
    void theStackHasItsServices(Compose compose, Set<String> expected) {
        assertThat(compose.services().keySet()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"gateway-1, 7777", "gateway-2, 7778"})
    void gatewaysListenOn7777And7778(String gateway, String port) {
        Service service = USERS.service(gateway);
        assertThat(service.role()).isEqualTo("gateway");
        assertThat(service.environment()).containsEntry("NOSTREX_PORT", port);
        assertThat(service.ports()).containsExactly(LOOPBACK + ":" + port + ":" + port);
    }

    @Test
    void usersGetPortsPublishedOnLoopbackOnly() {
        assertThat(USERS.services().values()).flatExtracting(Service::ports).isNotEmpty()
                .allSatisfy(port -> assertThat(port).startsWith(LOOPBACK + ":"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bothWays")
    void nostrexServicesSetOnlyVariablesNostrexReads(Compose compose) {
        Map<String, List<String>> unknown = new TreeMap<>();
        for (Service service : compose.nostrex()) {
            List<String> names = service.environment().keySet().stream().filter(name -> !isNostrexVariable(name)).toList();
            if (!names.isEmpty()) {
                unknown.put(service.name(), names);
            }
        }
        assertThat(unknown).as("variables no role reads").isEmpty();
    }

    static boolean isNostrexVariable(String name) {
        return Settings.variables().contains(name) || name.startsWith("KAFKA_") || name.equals("JAVA_TOOL_OPTIONS");
    }

    // --- images ---

    private static final Pattern IMAGE = Pattern.compile("\\$\\{([A-Z_]+):-([^}]+)}");
    private static final Pattern PINNED_TAG = Pattern.compile("[a-z0-9./-]+:v?\\d+\\.\\d+[A-Za-z0-9.-]*");

    static Stream<Arguments> imageVariables() {
        return Stream.of(
                arguments("kafka", "IMAGE_KAFKA"),
                arguments("postgres", "IMAGE_POSTGRES"),
                arguments("prometheus", "IMAGE_PROMETHEUS"),
                arguments("grafana", "IMAGE_GRAFANA"),
                arguments("topics", "IMAGE_NOSTREX"),
                arguments("gateway-1", "IMAGE_NOSTREX"),
                arguments("gateway-2", "IMAGE_NOSTREX"),
                arguments("validator", "IMAGE_NOSTREX"),
                arguments("matcher", "IMAGE_NOSTREX"),
                arguments("archiver", "IMAGE_NOSTREX"));
    }

    @ParameterizedTest(name = "{0}: ${1}")
    @MethodSource("imageVariables")
    void eachImageIsAVariableWithAPinnedDefault(String service, String variable) {
        Matcher image = imageAsWritten("docker-compose.yml", service);
        assertThat(image.group(1)).isEqualTo(variable);
        assertThat(image.group(2)).matches(PINNED_TAG).doesNotEndWith(":latest");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"validator-2", "matcher-2", "archiver-2"})
    void theSecondRolesOfTheHostOverrideUseTheNostrexImageVariable(String service) {
        Matcher image = imageAsWritten("deploy/compose/host-network.yml", service);
        assertThat(image.group(1)).isEqualTo("IMAGE_NOSTREX");
        assertThat(image.group(2)).isEqualTo(USERS.service("validator").image());
    }

    @Test
    void kafkaIsTheVersionTheProjectBuildsWith() {
        assertThat(USERS.service("kafka").image()).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
    }

    @Test
    void nostrexIsTheProjectsVersionAndBuiltFromTheRepository() {
        for (Service service : USERS.nostrex()) {
            assertThat(service.image()).as(service.name()).isEqualTo("nostrex/nostrex:" + projectVersion());
            assertThat(service.node().path("build").asText()).as(service.name()).isEqualTo(".");
        }
    }

    static Matcher imageAsWritten(String file, String service) {
        String image = Compose.read(Compose.ROOT.resolve(file)).path("services").path(service).path("image").asText();
        Matcher m = IMAGE.matcher(image);
        assertThat(m.matches()).as("%s image %s is ${VARIABLE:-default}", service, image).isTrue();
        return m;
    }

    static String projectVersion() {
        try {
            String pom = Files.readString(Compose.ROOT.resolve("pom.xml"));
            Matcher m = Pattern.compile("<artifactId>nostrex-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
            assertThat(m.find()).as("the parent's version in pom.xml").isTrue();
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- order and restarts ---

    @ParameterizedTest(name = "{0}")
    @MethodSource("bothWays")
    void topicsWaitsForAHealthyKafkaAndEveryRoleForTheTopics(Compose compose) {
        assertThat(compose.service("topics").dependsOn()).containsEntry("kafka", "service_healthy");
        assertThat(compose.roles()).hasSizeGreaterThanOrEqualTo(5).allSatisfy(role ->
                assertThat(role.dependsOn()).as(role.name()).containsEntry("topics", "service_completed_successfully"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bothWays")
    void rolesWithADatabaseWaitForAHealthyPostgres(Compose compose) {
        assertThat(compose.roles()).filteredOn(role -> role.environment().containsKey("DATABASE_URL"))
                .extracting(Service::role).containsOnly("gateway", "archiver");
        compose.roles().stream().filter(role -> role.environment().containsKey("DATABASE_URL")).forEach(role ->
                assertThat(role.dependsOn()).as(role.name()).containsEntry("postgres", "service_healthy"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bothWays")
    void everyRoleRestartsUnlessStoppedAndTopicsRunsOnce(Compose compose) {
        assertThat(compose.roles()).allSatisfy(role -> assertThat(role.restart()).as(role.name()).isEqualTo("unless-stopped"));
        assertThat(compose.service("topics").restart()).isIn("", "no");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bothWays")
    void infrastructureHasHealthChecks(Compose compose) {
        assertThat(compose.service("postgres").healthcheck()).contains("pg_isready");
        assertThat(compose.service("kafka").healthcheck()).contains("/opt/kafka/bin/kafka-broker-api-versions.sh");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bothWays")
    void eachMatcherKeepsItsStateInItsOwnVolumeUnderItsOwnInstanceId(Compose compose) {
        List<Service> matchers = compose.roles().stream().filter(role -> role.role().equals("matcher")).toList();
        assertThat(matchers).isNotEmpty().allSatisfy(matcher -> {
            assertThat(matcher.environment()).containsKey("NOSTREX_INSTANCE_ID");
            assertThat(matcher.volumes()).containsKey("/var/lib/nostrex");
        });
        assertThat(matchers).extracting(m -> m.environment().get("NOSTREX_INSTANCE_ID")).doesNotHaveDuplicates();
        assertThat(matchers).extracting(m -> m.volumes().get("/var/lib/nostrex")).doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bothWays")
    void everyFileMountedFromDeployExists(Compose compose) {
        compose.services().values().forEach(service -> service.volumes().values().stream()
                .filter(source -> source.startsWith("./deploy/"))
                .forEach(source -> assertThat(Compose.ROOT.resolve(source)).as(service.name()).exists()));
    }

    // --- the host-network override ---

    @Test
    void hostNetwork_everyServiceIsOnTheHostsNetworkWithoutPublishedPorts() {
        assertThat(HOST.services().values()).allSatisfy(service -> {
            assertThat(service.networkMode()).as(service.name()).isEqualTo("host");
            assertThat(service.ports()).as(service.name() + " publishes ports").isEmpty();
        });
    }

    @Test
    void hostNetwork_everyAddressIsLoopback() {
        Map<String, List<String>> addresses = new TreeMap<>();
        HOST.services().values().forEach(service -> addresses.put(service.name(), Addresses.of(service)));
        assertThat(addresses).allSatisfy((service, list) -> assertThat(list).as(service).containsOnly(LOOPBACK));
        assertThat(addresses.get("kafka")).hasSizeGreaterThanOrEqualTo(4);
        assertThat(HOST.nostrex()).allSatisfy(s -> assertThat(s.environment()).as(s.name()).containsKey("KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(HOST.roles()).allSatisfy(s -> assertThat(s.environment()).as(s.name()).containsEntry("NOSTREX_HOST", LOOPBACK));
    }

    @Test
    void hostNetwork_noTwoServicesShareAPort() {
        Map<Integer, List<String>> owners = new TreeMap<>();
        HOST.services().values().forEach(service -> Ports.listenedOn(service).forEach(port ->
                owners.computeIfAbsent(port, p -> new ArrayList<>()).add(service.name())));
        assertThat(owners).allSatisfy((port, services) -> assertThat(services).as("port " + port).hasSize(1));
        HOST.services().values().stream().filter(s -> !s.role().equals("topics")).forEach(service ->
                assertThat(Ports.listenedOn(service)).as(service.name()).isNotEmpty());
    }

    @Test
    void hostNetwork_everyRoleRunsTwiceOnFourPartitions() {
        Map<String, Long> replicas = new TreeMap<>();
        HOST.roles().forEach(role -> replicas.merge(role.role(), 1L, Long::sum));
        assertThat(replicas).containsOnly(Map.entry("gateway", 2L), Map.entry("validator", 2L),
                Map.entry("matcher", 2L), Map.entry("archiver", 2L));
        assertThat(HOST.service("topics").environment()).containsEntry("NOSTREX_PARTITIONS", "4");
    }

    @Test
    void hostNetwork_theTestsJavaOptionsReachEveryNostrexJvmAndNothingElse() {
        Compose withOptions = Compose.load(Map.of("NOSTREX_TEST_JAVA_OPTS", "-Xmx64m"),
                "docker-compose.yml", "deploy/compose/host-network.yml");

        assertThat(withOptions.nostrex()).hasSize(9).allSatisfy(service ->
                assertThat(service.environment()).as(service.name()).containsEntry("JAVA_TOOL_OPTIONS", "-Xmx64m"));
        assertThat(HOST.nostrex()).allSatisfy(service ->
                assertThat(service.environment()).as(service.name()).containsEntry("JAVA_TOOL_OPTIONS", ""));
        assertThat(USERS.nostrex()).allSatisfy(service ->
                assertThat(service.environment()).as(service.name()).doesNotContainKey("JAVA_TOOL_OPTIONS"));
    }

    @Test
    void hostNetwork_grafanaStartsOnlyWhenNamed() {
        assertThat(HOST.services().values()).allSatisfy(service -> assertThat(service.profiles()).as(service.name())
                .isEqualTo(service.name().equals("grafana") ? List.of("grafana") : List.of()));
    }

    // --- Prometheus ---

    static Stream<Arguments> prometheusConfigs() {
        return Stream.of(
                arguments(USERS, "/etc/prometheus/prometheus.yml"),
                arguments(HOST, "/etc/prometheus/host/prometheus.yml"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("prometheusConfigs")
    void prometheusScrapesEveryRolesMetricsPort(Compose compose, String configInContainer) {
        Service prometheus = compose.service("prometheus");
        String file = prometheus.volumes().get(configInContainer);
        Set<String> scraped = ScrapeTargets.of(Compose.ROOT.resolve(file), prometheus.environment());
        boolean host = prometheus.networkMode().equals("host");
        for (Service role : compose.roles()) {
            String address = (host ? LOOPBACK : role.name()) + ":" + Ports.metrics(role);
            assertThat(scraped).as("%s scrapes %s", file, role.name()).contains(address);
        }
    }
}
