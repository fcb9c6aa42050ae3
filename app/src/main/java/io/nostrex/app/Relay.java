package io.nostrex.app;

import io.nostrex.archiver.Archiver;
import io.nostrex.contract.PolicyReader;
import io.nostrex.contract.PolicyRecord;
import io.nostrex.contract.PolicyView;
import io.nostrex.archiver.ArchiverConfig;
import io.nostrex.gateway.Gateway;
import io.nostrex.gateway.GatewayConfig;
import io.nostrex.gateway.History;
import io.nostrex.gateway.RelayInfo;
import io.nostrex.matcher.Matcher;
import io.nostrex.matcher.MatcherConfig;
import io.nostrex.ops.Ops;
import io.nostrex.ops.Status;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.auth.ReadAccess;
import io.nostrex.store.Database;
import io.nostrex.store.EventQuery;
import io.nostrex.store.EventStore;
import io.nostrex.store.PartitionMaintainer;
import io.nostrex.validator.Validator;
import io.nostrex.validator.ValidatorConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The composition root: builds each role from {@link Settings} by hand. The role commands start
 * one role; {@code dev} and the integration tests start all four.
 */
public final class Relay implements AutoCloseable {
    private final Settings settings;
    private final Ops ops;
    private final Database database;
    private final InfraChecks kafkaCheck;
    private final List<Gateway> gateways = new ArrayList<>();
    private Validator validator;
    private Archiver archiver;
    private Matcher matcher;
    private final PolicyReader policy;

    /** The database pools, their meters in {@code ops} and their checks in its health. */
    public static Database database(Settings s, Ops ops) {
        if (s.databaseUrl() == null) {
            throw new IllegalArgumentException("DATABASE_URL is not set (e.g. jdbc:postgresql://db:5432/nostrex)");
        }
        Database db = Database.connect(s.databaseUrl(), s.databaseUser(), s.databasePassword(), s.databasePoolSize(),
                ops.registry());
        InfraChecks.database(ops.health(), db);
        return db;
    }

    /** Probes Kafka for the process's readiness; close it on shutdown. */
    public static AutoCloseable kafkaCheck(Settings s, Ops ops) {
        return InfraChecks.kafka(ops.health(), s.kafka());
    }

    /**
     * Starts reading the operators' policy (NIP-86, {@code nostr.policy}) for the roles of this
     * process; readiness waits until it has been read. Close it on shutdown.
     */
    public static PolicyReader policy(Settings s, Ops ops) {
        PolicyReader reader = PolicyReader.start(s.kafka(), new PolicyView(), s.instanceId());
        ops.health().ready("policy", () -> Status.when(reader.caughtUp(), "the policy topic has been read",
                "the policy topic has not been read yet: " + reader.problem()));
        return reader;
    }

    public static Gateway gateway(Settings s, Database db, Ops ops, PolicyReader policy) {
        PolicyView view = policy.view();
        GatewayConfig config = new GatewayConfig(s.host(), s.port(), GatewayConfig.newGatewayId(), s.gatewayLimits(),
                s.access(), s.hygiene(),
                new RelayInfo(s.relayName(), s.relayDescription(), s.relayPubkey(), s.relayContact(), Main.version(), null),
                s.kafka(), s.queryThreads(), s.warmupSeconds());
        // NIP-86: the name, description and icon an admin set win over the settings
        java.util.function.Supplier<String> info = () -> new RelayInfo(
                or(view.relayField(PolicyRecord.Kind.RELAY_NAME), s.relayName()),
                or(view.relayField(PolicyRecord.Kind.RELAY_DESCRIPTION), s.relayDescription()), s.relayPubkey(),
                s.relayContact(), Main.version(), view.relayField(PolicyRecord.Kind.RELAY_ICON))
                .toJson(s.gatewayLimits(), s.access(), s.eventLimits().maxContentLength(), s.eventLimits().maxTags(),
                        s.eventLimits().minPowDifficulty(), s.eventLimits().maxFutureSeconds(), s.eventLimits().maxAgeSeconds());
        return Gateway.start(config, history(new EventQuery(db)), info, policy, view, ops);
    }

    private static String or(String value, String fallback) {
        return value != null ? value : fallback;
    }

    /**
     * The Kafka settings of a role's consumer group: static membership under this instance's id and
     * a 10 s session, so that a member restarted after a crash gets its partitions back at once
     * instead of waiting out the dead member's session (Kafka's default 45 s), and a member gone for
     * good is replaced within 10 s. Settings the operator passed win.
     */
    static java.util.Map<String, Object> staticMember(Settings s, String role) {
        java.util.Map<String, Object> kafka = new java.util.HashMap<>();
        kafka.put("group.instance.id", s.instanceId() + "-" + role);
        kafka.put("session.timeout.ms", "10000");
        kafka.putAll(s.kafka());
        return kafka;
    }

    public static Validator validator(Settings s, Ops ops, PolicyReader policy) {
        ValidatorConfig defaults = ValidatorConfig.defaults(s.kafka());
        return Validator.start(new ValidatorConfig(staticMember(s, "validator"), defaults.group(), s.eventLimits(), s.writeAccess(),
                s.eventsPerPubkeyPerSecond(), defaults.recentIds(), s.okAfterLog()), policy.view(), ops);
    }

    public static Matcher matcher(Settings s, Ops ops) {
        MatcherConfig defaults = MatcherConfig.defaults(String.valueOf(s.kafka().get("bootstrap.servers")));
        java.util.Map<String, String> kafka = new java.util.HashMap<>();
        // static membership: a restarted matcher gets its partitions back at once, and on close it
        // leaves the group, so a replacement does not wait for the session timeout either
        kafka.put("group.instance.id", s.instanceId() + "-matcher");
        kafka.put("session.timeout.ms", "10000");
        kafka.put("num.standby.replicas", Integer.toString(s.standbyReplicas()));
        s.kafka().forEach((k, v) -> kafka.put(k, String.valueOf(v)));
        return Matcher.start(new MatcherConfig(defaults.applicationId(), defaults.bootstrapServers(),
                s.dataDir().resolve("matcher").toString(), defaults.heartbeatCheckInterval(),
                defaults.gatewayTimeout(), s.streamThreads(), kafka), ops);
    }

    /**
     * The archiver's housekeeping (every 6 hours, and at start): monthly partitions made ahead and
     * old ones filled, then the expired events (NIP-40) deleted, counted in
     * {@code nostrex_store_expired_purged_total}.
     */
    public static Runnable housekeeping(PartitionMaintainer partitions, EventStore store,
                                 io.micrometer.core.instrument.MeterRegistry registry) {
        io.micrometer.core.instrument.Counter purged = io.micrometer.core.instrument.Counter
                .builder("nostrex.store.expired.purged").tag("role", "archiver")
                .description("Expired events (NIP-40) deleted from PostgreSQL by the archiver's housekeeping")
                .register(registry);
        return () -> {
            partitions.maintain();
            int n = store.purgeExpired(java.time.Clock.systemUTC());
            purged.increment(n);
            if (n > 0) {
                org.slf4j.LoggerFactory.getLogger(Relay.class).info("purged {} expired events", n);
            }
        };
    }

    /** What the operators banned (NIP-86): the event, or its author. */
    public static java.util.function.Predicate<io.nostrex.protocol.Event> banned(PolicyView view) {
        return e -> view.isBannedEvent(e.id()) || view.isBannedPubkey(e.pubkey());
    }

    public static Archiver archiver(Settings s, Database db, Ops ops, PolicyReader policy) {
        PartitionMaintainer partitions = new PartitionMaintainer(db.dataSource(), PartitionMaintainer.DEFAULT_MONTHS_AHEAD);
        EventStore store = new EventStore(db.dataSource(), s.access().publicRelayUrls(), banned(policy.view()));
        // NIP-86 banevent: the archivers take the event out of the store (each one; it is idempotent)
        policy.view().onChange(r -> {
            if (r.kind() == PolicyRecord.Kind.BAN_EVENT && r.by() != null && store.deleteEvent(r.subject())) {
                org.slf4j.LoggerFactory.getLogger(Relay.class).info("deleted banned event {}", r.subject());
            }
        });
        return Archiver.start(ArchiverConfig.defaults(staticMember(s, "archiver")).withOks(!s.okAfterLog()), store,
                partitions, housekeeping(partitions, store, ops.registry()), ops);
    }

    /** The gateway's read path over the store. */
    public static History history(EventQuery query) {
        return new History() {
            @Override
            public List<byte[]> query(List<Filter> filters, int maxLimit, ReadAccess access) {
                return query.queryUtf8(filters, maxLimit, access);
            }

            @Override
            public List<byte[]> queryStoredSince(List<Filter> filters, long storedSinceMillis, int cap,
                                                 ReadAccess access) {
                return query.queryStoredSinceUtf8(filters, storedSinceMillis, cap, access);
            }

            @Override
            public Count count(List<Filter> filters, ReadAccess access, int cap) {
                EventQuery.Count n = query.count(filters, access, cap);
                return new Count(n.count(), n.approximate(), n.hll());
            }

            @Override
            public int timesAndIds(List<Filter> filters, int cap, ReadAccess access,
                                   java.util.function.ObjLongConsumer<byte[]> sink) {
                return query.timesAndIds(filters, cap, access, (createdAt, id) -> sink.accept(id, createdAt));
            }
        };
    }

    /**
     * All four roles in this process, over the Kafka and PostgreSQL named in the settings, sharing
     * {@code ops}: every gateway serves the metrics and health of them all.
     */
    public static Relay all(Settings s, Ops ops) {
        Relay r = new Relay(s, ops, database(s, ops), InfraChecks.kafka(ops.health(), s.kafka()), policy(s, ops));
        r.archiver = archiver(s, r.database, ops, r.policy);
        r.matcher = matcher(s, ops);
        r.validator = validator(s, ops, r.policy);
        r.addGateway();
        return r;
    }

    private Relay(Settings settings, Ops ops, Database database, InfraChecks kafkaCheck, PolicyReader policy) {
        this.policy = policy;
        this.settings = settings;
        this.ops = ops;
        this.database = database;
        this.kafkaCheck = kafkaCheck;
    }

    public Gateway addGateway() {
        Gateway g = gateway(settings, database, ops, policy);
        gateways.add(g);
        return g;
    }

    public List<Gateway> gateways() {
        return Collections.unmodifiableList(gateways);
    }

    public Database database() {
        return database;
    }

    /** The policy reader the roles of this relay share. */
    public PolicyReader policy() {
        return policy;
    }

    /** Stops and starts the validator, as a redeploy or crash-and-restart would. */
    public void restartValidator() throws Exception {
        validator.close();
        validator = validator(settings, ops, policy);
    }

    public void stopArchiver() throws Exception {
        archiver.close();
    }

    public void startArchiver() {
        archiver = archiver(settings, database, ops, policy);
    }

    public void restartMatcher() {
        matcher.close();
        matcher = matcher(settings, ops);
    }

    public Ops ops() {
        return ops;
    }

    /** Stops the roles, gateways first, then the database pool. */
    @Override
    public void close() {
        List<AutoCloseable> parts = new ArrayList<>(gateways);
        parts.add(validator);
        parts.add(matcher);
        parts.add(archiver);
        parts.add(kafkaCheck);
        parts.add(policy);
        parts.add(database::close);
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                System.getLogger(Relay.class.getName()).log(System.Logger.Level.WARNING, "stopping " + part, e);
            }
        }
        gateways.clear();
    }
}
