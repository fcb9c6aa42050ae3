package io.nostrex.app;

import io.nostrex.gateway.GatewayConfig;
import io.nostrex.validator.Policies;
import io.nostrex.validator.WriteAccess;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every setting, read once from the environment, each with its default. {@code KAFKA_*} variables
 * pass straight to the Kafka clients ({@code KAFKA_SECURITY_PROTOCOL} becomes
 * {@code security.protocol}). The table in the README lists them all; {@link #describe} logs an
 * allow-list, never a secret.
 */
public record Settings(String host, int port, Path dataDir, Map<String, Object> kafka, String databaseUrl,
                       String databaseUser, String databasePassword, int databasePoolSize, int partitions,
                       short replication, GatewayConfig.Limits gatewayLimits, Policies.Limits eventLimits,
                       String relayName, String relayDescription, String relayPubkey, String relayContact,
                       int queryThreads, int streamThreads, String instanceId, int adminPort,
                       int standbyReplicas, GatewayConfig.Access access, WriteAccess writeAccess,
                       GatewayConfig.Hygiene hygiene, int eventsPerPubkeyPerSecond, boolean okAfterLog,
                       int warmupSeconds) {

    /** {@link #partitions} when NOSTREX_PARTITIONS is not set. */
    static final int UNSET = 0;
    /** Read by logback.xml, not by this class: {@code text} (default) or {@code json}, and the root level. */
    static final Set<String> LOGGING_VARIABLES = Set.of("NOSTREX_LOG_FORMAT", "NOSTREX_LOG_LEVEL");

    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    public static Settings from(Map<String, String> env) {
        return from(new Env(env, new TreeSet<>()));
    }

    /**
     * The name of every environment variable Nostrex reads, {@code KAFKA_*} aside (any of those
     * passes through): what a deployment may set, and nothing else.
     */
    public static Set<String> variables() {
        Env recorder = new Env(Map.of(), new TreeSet<>());
        from(recorder);
        Set<String> names = new TreeSet<>(recorder.asked());
        names.addAll(LOGGING_VARIABLES);
        return names;
    }

    private static Settings from(Env e) {
        Map<String, String> env = e.env();
        GatewayConfig.Limits g = GatewayConfig.Limits.defaults();
        Policies.Limits p = Policies.Limits.defaults();
        GatewayConfig.Hygiene h = GatewayConfig.Hygiene.defaults();
        return new Settings(
                e.text("NOSTREX_HOST", "127.0.0.1"),
                e.integer("NOSTREX_PORT", 7777),
                Path.of(e.text("NOSTREX_DATA", "nostrex-data")),
                kafka(env),
                e.text("DATABASE_URL", null),
                e.text("DATABASE_USER", "postgres"),
                e.text("DATABASE_PASSWORD", ""),
                e.integer("DATABASE_POOL_SIZE", 10),
                e.positiveOrUnset("NOSTREX_PARTITIONS"),
                (short) e.integer("NOSTREX_REPLICATION", 1),
                new GatewayConfig.Limits(
                        e.integer("NOSTREX_MAX_MESSAGE_LENGTH", g.maxMessageLength()),
                        e.integer("NOSTREX_MAX_SUBSCRIPTIONS", g.maxSubscriptions()),
                        e.integer("NOSTREX_MAX_FILTERS", g.maxFilters()),
                        e.integer("NOSTREX_MAX_SUBID_LENGTH", g.maxSubidLength()),
                        e.integer("NOSTREX_MAX_LIMIT", g.maxLimit()),
                        e.integer("NOSTREX_MAX_OUTBOUND_BYTES", (int) g.maxOutboundBytes()),
                        e.integer("NOSTREX_VERDICT_TIMEOUT_MS", (int) g.verdictTimeoutMillis()),
                        e.integer("NOSTREX_ACK_TIMEOUT_MS", (int) g.ackTimeoutMillis()),
                        e.integer("NOSTREX_NEGENTROPY_MAX_RECORDS", g.maxNegentropyRecords()),
                        e.integer("NOSTREX_MAX_COUNT_ROWS", g.maxCountRows()),
                        e.integer("NOSTREX_MAX_PENDING_OKS", g.maxPendingOks())),
                new Policies.Limits(
                        e.integer("NOSTREX_MAX_CONTENT_LENGTH", p.maxContentLength()),
                        e.integer("NOSTREX_MAX_TAGS", p.maxTags()),
                        e.integer("NOSTREX_MAX_TAG_VALUE_LENGTH", p.maxTagValueLength()),
                        e.integer("NOSTREX_MAX_FUTURE_SECONDS", (int) p.maxFutureSeconds()),
                        e.integer("NOSTREX_MAX_AGE_SECONDS", (int) p.maxAgeSeconds()),
                        e.integer("NOSTREX_MIN_POW", p.minPowDifficulty())),
                e.text("NOSTREX_RELAY_NAME", "Nostrex"),
                e.text("NOSTREX_RELAY_DESCRIPTION", "A Nostr relay on Kafka and PostgreSQL"),
                e.text("NOSTREX_RELAY_PUBKEY", null),
                e.text("NOSTREX_RELAY_CONTACT", null),
                e.integer("NOSTREX_QUERY_THREADS", 8),
                e.integer("NOSTREX_STREAM_THREADS", 1),
                e.text("NOSTREX_INSTANCE_ID", e.text("HOSTNAME", defaultHost())),
                e.integer("NOSTREX_ADMIN_PORT", DEFAULT_ADMIN_PORT),
                e.integer("NOSTREX_STANDBY_REPLICAS", 0),
                null, null, new GatewayConfig.Hygiene(
                        e.integer("NOSTREX_MAX_CONNECTIONS", h.maxConnections()),
                        e.integer("NOSTREX_MAX_CONNECTIONS_PER_IP", h.maxConnectionsPerIp()),
                        e.integer("NOSTREX_MAX_MESSAGES_PER_IP", h.maxMessagesPerIpPerSecond()),
                        e.integer("NOSTREX_GATEWAYS", h.gateways()),
                        e.integer("NOSTREX_IDLE_TIMEOUT_SECONDS", h.idleTimeoutSeconds()),
                        e.text("NOSTREX_CLIENT_IP_HEADER", h.clientIpHeader()),
                        e.integer("NOSTREX_MAX_INVALID_PER_SECOND", h.maxInvalidPerSecond())),
                e.integer("NOSTREX_EVENTS_PER_PUBKEY", 0), e.okAfterLog(),
                e.integer("NOSTREX_WARMUP_SECONDS", DEFAULT_WARMUP_SECONDS)).withAccess(e.list("NOSTREX_PUBLIC_URL"), e.kinds("NOSTREX_PRIVATE_KINDS"),
                e.bool("NOSTREX_AUTH_REQUIRED"), e.pubkeys("NOSTREX_ALLOWED_PUBKEYS"), e.pubkeys("NOSTREX_ADMIN_PUBKEYS"));
    }

    /**
     * With these NIP-42 settings: the relay's public URLs (empty: the Host header's), the kinds
     * served only to their parties, whether writes need authentication, the pubkeys whose events
     * alone are accepted (empty: anyone's), and the admins of the NIP-86 API.
     */
    public Settings withAccess(java.util.List<String> publicUrls, Set<Integer> privateKinds, boolean authRequired,
                               Set<String> allowedPubkeys, Set<String> adminPubkeys) {
        WriteAccess writes = new WriteAccess(authRequired, allowedPubkeys);
        return new Settings(host, port, dataDir, kafka, databaseUrl, databaseUser, databasePassword,
                databasePoolSize, partitions, replication, gatewayLimits, eventLimits, relayName,
                relayDescription, relayPubkey, relayContact, queryThreads, streamThreads, instanceId, adminPort,
                standbyReplicas, new GatewayConfig.Access(publicUrls, privateKinds, authRequired, writes.restricted(), adminPubkeys),
                writes, hygiene, eventsPerPubkeyPerSecond, okAfterLog, warmupSeconds);
    }

    /** How long a gateway warms up at start, before it is ready (see {@code Warmup}). */
    static final int DEFAULT_WARMUP_SECONDS = 3;

    /** Where validator, matcher and archiver serve /metrics, /health and /ready. */
    public static final int DEFAULT_ADMIN_PORT = 8081;

    private static String defaultHost() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "nostrex";
        }
    }

    /** KAFKA_BOOTSTRAP_SERVERS and every other KAFKA_* variable, as Kafka client properties. */
    static Map<String, Object> kafka(Map<String, String> env) {
        Map<String, Object> props = new HashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("KAFKA_") && name.length() > 6) {
                props.put(name.substring(6).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return props;
    }

    public Settings withKafka(Map<String, Object> more) {
        Map<String, Object> merged = new HashMap<>(kafka);
        merged.putAll(more);
        return new Settings(host, port, dataDir, merged, databaseUrl, databaseUser, databasePassword,
                databasePoolSize, partitions, replication, gatewayLimits, eventLimits, relayName,
                relayDescription, relayPubkey, relayContact, queryThreads, streamThreads, instanceId, adminPort,
                standbyReplicas, access, writeAccess, hygiene,
                eventsPerPubkeyPerSecond, okAfterLog, warmupSeconds);
    }

    public Settings withDatabase(String url, String user, String password) {
        return new Settings(host, port, dataDir, kafka, url, user, password, databasePoolSize, partitions,
                replication, gatewayLimits, eventLimits, relayName, relayDescription, relayPubkey, relayContact,
                queryThreads, streamThreads, instanceId, adminPort, standbyReplicas, access, writeAccess, hygiene,
                eventsPerPubkeyPerSecond, okAfterLog, warmupSeconds);
    }

    public Settings withPort(int newPort) {
        return new Settings(host, newPort, dataDir, kafka, databaseUrl, databaseUser, databasePassword,
                databasePoolSize, partitions, replication, gatewayLimits, eventLimits, relayName,
                relayDescription, relayPubkey, relayContact, queryThreads, streamThreads, instanceId, adminPort,
                standbyReplicas, access, writeAccess, hygiene,
                eventsPerPubkeyPerSecond, okAfterLog, warmupSeconds);
    }

    /** Another instance's settings: the id its static group memberships go by. */
    public Settings withInstanceId(String newInstanceId) {
        return new Settings(host, port, dataDir, kafka, databaseUrl, databaseUser, databasePassword,
                databasePoolSize, partitions, replication, gatewayLimits, eventLimits, relayName,
                relayDescription, relayPubkey, relayContact, queryThreads, streamThreads, newInstanceId, adminPort,
                standbyReplicas, access, writeAccess, hygiene,
                eventsPerPubkeyPerSecond, okAfterLog, warmupSeconds);
    }

    /**
     * Partitions for the topics a command creates: {@code NOSTREX_PARTITIONS} when set, else the
     * command's own default ({@code dev} runs one consumer per stage, so more would only add
     * requests; {@code topics} creates them for scaled roles).
     */
    public int partitionsOr(int commandDefault) {
        return partitions == UNSET ? commandDefault : partitions;
    }

    /** What {@link #describe()} says: a record's own toString would print the database password. */
    @Override
    public String toString() {
        return "Settings" + describe();
    }

    /** The settings safe to log: no passwords, no Kafka credentials (only the bootstrap servers). */
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("host", host);
        d.put("port", port);
        d.put("data", dataDir);
        d.put("kafka.bootstrap.servers", kafka.get("bootstrap.servers"));
        d.put("kafka.settings", new TreeMap<>(kafka).keySet());
        d.put("database", databaseUrl == null ? null : databaseUrl.replaceAll("password=[^&]*", "password=***"));
        d.put("partitions", partitions == UNSET ? "command default" : partitions);
        d.put("limits", gatewayLimits);
        d.put("eventLimits", eventLimits);
        d.put("access", access);
        d.put("writeAccess", writeAccess);
        d.put("hygiene", hygiene);
        d.put("eventsPerPubkeyPerSecond", eventsPerPubkeyPerSecond);
        d.put("okAfter", okAfterLog ? "log" : "stored");
        d.put("warmupSeconds", warmupSeconds);
        return d;
    }

    /** The environment, and the names asked of it. */
    private record Env(Map<String, String> env, Set<String> asked) {
        String text(String name, String fallback) {
            asked.add(name);
            String v = env.get(name);
            return v == null || v.isBlank() ? fallback : v.trim();
        }

        int integer(String name, int fallback) {
            String v = text(name, null);
            if (v == null) {
                return fallback;
            }
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be an integer, got '" + v + "'");
            }
        }

        /** Comma-separated values, blanks dropped; empty when unset. */
        java.util.List<String> list(String name) {
            String v = text(name, null);
            return v == null ? java.util.List.of()
                    : java.util.Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
        }

        /** Kinds, comma-separated; {@code none} for none; the NIP-04 and NIP-59 kinds when unset. */
        Set<Integer> kinds(String name) {
            java.util.List<String> values = list(name);
            if (values.isEmpty()) {
                return io.nostrex.protocol.auth.ReadAccess.DEFAULT_PRIVATE_KINDS;
            }
            if (values.size() == 1 && values.get(0).equalsIgnoreCase("none")) {
                return Set.of();
            }
            Set<Integer> kinds = new TreeSet<>();
            for (String v : values) {
                try {
                    int kind = Integer.parseInt(v);
                    if (kind < 0 || kind > 65535) {
                        throw new NumberFormatException();
                    }
                    kinds.add(kind);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(name + " must list kinds (0-65535) separated by commas, or be"
                            + " 'none'; got '" + v + "'");
                }
            }
            return kinds;
        }

        /** NOSTREX_OK_AFTER: {@code stored} (default: OK once stored and visible) or {@code log} (once in nostr.events). */
        boolean okAfterLog() {
            String v = text("NOSTREX_OK_AFTER", "stored");
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "stored" -> false;
                case "log" -> true;
                default -> throw new IllegalArgumentException("NOSTREX_OK_AFTER must be stored or log, got '" + v + "'");
            };
        }

        boolean bool(String name) {
            String v = text(name, "false");
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes" -> true;
                case "false", "0", "no" -> false;
                default -> throw new IllegalArgumentException(name + " must be true or false, got '" + v + "'");
            };
        }

        /** 64-character lowercase hex pubkeys, comma-separated. */
        Set<String> pubkeys(String name) {
            Set<String> keys = new TreeSet<>();
            for (String v : list(name)) {
                if (!io.nostrex.protocol.Hex.isLowerHex(v, 64)) {
                    throw new IllegalArgumentException(name + " must list pubkeys as 64 lowercase hex characters,"
                            + " separated by commas; got '" + v + "'");
                }
                keys.add(v);
            }
            return keys;
        }

        int positiveOrUnset(String name) {
            int v = integer(name, UNSET);
            if (v < 1 && text(name, null) != null) {
                throw new IllegalArgumentException(name + " must be at least 1, got " + v);
            }
            return v;
        }
    }
}
