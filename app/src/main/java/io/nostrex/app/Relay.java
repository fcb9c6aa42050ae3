package io.nostrex.app;

import io.nostrex.archiver.Archiver;
import io.nostrex.archiver.ArchiverConfig;
import io.nostrex.gateway.Gateway;
import io.nostrex.gateway.GatewayConfig;
import io.nostrex.gateway.History;
import io.nostrex.gateway.RelayInfo;
import io.nostrex.matcher.Matcher;
import io.nostrex.matcher.MatcherConfig;
import io.nostrex.protocol.Filter;
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
    private final Database database;
    private final List<Gateway> gateways = new ArrayList<>();
    private Validator validator;
    private Archiver archiver;
    private Matcher matcher;

    public static Database database(Settings s) {
        if (s.databaseUrl() == null) {
            throw new IllegalArgumentException("DATABASE_URL is not set (e.g. jdbc:postgresql://db:5432/nostrex)");
        }
        return Database.connect(s.databaseUrl(), s.databaseUser(), s.databasePassword(), s.databasePoolSize());
    }

    public static Gateway gateway(Settings s, Database db) {
        GatewayConfig config = new GatewayConfig(s.host(), s.port(), GatewayConfig.newGatewayId(), s.gatewayLimits(),
                new RelayInfo(s.relayName(), s.relayDescription(), s.relayPubkey(), s.relayContact(), Main.version()),
                s.kafka(), s.queryThreads());
        String info = config.info().toJson(s.gatewayLimits(), s.eventLimits().maxContentLength(),
                s.eventLimits().maxTags(), s.eventLimits().minPowDifficulty());
        return Gateway.start(config, history(new EventQuery(db)), info);
    }

    public static Validator validator(Settings s) {
        ValidatorConfig defaults = ValidatorConfig.defaults(s.kafka());
        return Validator.start(new ValidatorConfig(s.kafka(), defaults.group(), s.eventLimits(), defaults.recentIds()));
    }

    public static Matcher matcher(Settings s) {
        MatcherConfig defaults = MatcherConfig.defaults(String.valueOf(s.kafka().get("bootstrap.servers")));
        java.util.Map<String, String> kafka = new java.util.HashMap<>();
        // static membership: a restarted matcher gets its partitions back at once, and on close it
        // leaves the group, so a replacement does not wait for the session timeout either
        kafka.put("group.instance.id", s.instanceId() + "-matcher");
        kafka.put("session.timeout.ms", "10000");
        s.kafka().forEach((k, v) -> kafka.put(k, String.valueOf(v)));
        return Matcher.start(new MatcherConfig(defaults.applicationId(), defaults.bootstrapServers(),
                s.dataDir().resolve("matcher").toString(), defaults.heartbeatCheckInterval(),
                defaults.gatewayTimeout(), s.streamThreads(), kafka));
    }

    public static Archiver archiver(Settings s, Database db) {
        PartitionMaintainer partitions = new PartitionMaintainer(db.dataSource(), PartitionMaintainer.DEFAULT_MONTHS_AHEAD);
        return Archiver.start(ArchiverConfig.defaults(s.kafka()), new EventStore(db.dataSource()), partitions::maintain);
    }

    private static History history(EventQuery query) {
        return new History() {
            @Override
            public List<String> query(List<Filter> filters, int maxLimit) {
                return query.query(filters, maxLimit);
            }

            @Override
            public List<String> queryStoredSince(List<Filter> filters, long storedSinceMillis, int cap) {
                return query.queryStoredSince(filters, storedSinceMillis, cap);
            }

            @Override
            public long count(List<Filter> filters) {
                return query.count(filters);
            }
        };
    }

    /** All four roles in this process, over the Kafka and PostgreSQL named in the settings. */
    public static Relay all(Settings s) {
        Relay r = new Relay(s, database(s));
        r.archiver = archiver(s, r.database);
        r.matcher = matcher(s);
        r.validator = validator(s);
        r.addGateway();
        return r;
    }

    private Relay(Settings settings, Database database) {
        this.settings = settings;
        this.database = database;
    }

    public Gateway addGateway() {
        Gateway g = gateway(settings, database);
        gateways.add(g);
        return g;
    }

    public List<Gateway> gateways() {
        return Collections.unmodifiableList(gateways);
    }

    public Database database() {
        return database;
    }

    /** Stops and starts the validator, as a redeploy or crash-and-restart would. */
    public void restartValidator() throws Exception {
        validator.close();
        validator = validator(settings);
    }

    public void stopArchiver() throws Exception {
        archiver.close();
    }

    public void startArchiver() {
        archiver = archiver(settings, database);
    }

    public void restartMatcher() {
        matcher.close();
        matcher = matcher(settings);
    }

    public boolean isHealthy() {
        return validator.isRunning() && archiver.isRunning() && matcher.isRunning()
                && gateways.stream().allMatch(Gateway::isHealthy);
    }

    /** Stops the roles, gateways first, then the database pool. */
    @Override
    public void close() {
        List<AutoCloseable> parts = new ArrayList<>(gateways);
        parts.add(validator);
        parts.add(matcher);
        parts.add(archiver);
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
