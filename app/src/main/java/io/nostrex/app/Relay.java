package io.nostrex.app;

import io.nostrex.archiver.Archiver;
import io.nostrex.archiver.ArchiverConfig;
import io.nostrex.gateway.Gateway;
import io.nostrex.gateway.GatewayConfig;
import io.nostrex.gateway.History;
import io.nostrex.gateway.RelayInfo;
import io.nostrex.matcher.Matcher;
import io.nostrex.matcher.MatcherConfig;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.Filter;
import io.nostrex.store.Database;
import io.nostrex.store.EventQuery;
import io.nostrex.store.EventStore;
import io.nostrex.validator.KnownEvents;
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
    private final List<AutoCloseable> parts = new ArrayList<>();
    private final List<Gateway> gateways = new ArrayList<>();

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
        return Gateway.start(config, history(new EventQuery(db.dataSource())), info);
    }

    public static Validator validator(Settings s, Database db) {
        EventQuery query = new EventQuery(db.dataSource());
        KnownEvents known = new KnownEvents() {
            @Override
            public boolean exists(String eventId) {
                return query.exists(eventId);
            }

            @Override
            public boolean isDeleted(Event event) {
                return query.isDeleted(event);
            }
        };
        ValidatorConfig defaults = ValidatorConfig.defaults(s.kafka());
        return Validator.start(new ValidatorConfig(s.kafka(), defaults.group(), s.eventLimits(), defaults.recentIds()),
                known);
    }

    public static Matcher matcher(Settings s) {
        MatcherConfig defaults = MatcherConfig.defaults(String.valueOf(s.kafka().get("bootstrap.servers")));
        java.util.Map<String, String> kafka = new java.util.HashMap<>();
        s.kafka().forEach((k, v) -> kafka.put(k, String.valueOf(v)));
        return Matcher.start(new MatcherConfig(defaults.applicationId(), defaults.bootstrapServers(),
                s.dataDir().resolve("matcher").toString(), defaults.heartbeatCheckInterval(),
                defaults.gatewayTimeout(), s.streamThreads(), kafka));
    }

    public static Archiver archiver(Settings s, Database db) {
        return Archiver.start(ArchiverConfig.defaults(s.kafka()), new EventStore(db.dataSource()));
    }

    private static History history(EventQuery query) {
        return new History() {
            @Override
            public List<String> query(List<Filter> filters, int maxLimit) {
                return query.query(filters, maxLimit);
            }

            @Override
            public long count(List<Filter> filters) {
                return query.count(filters);
            }
        };
    }

    /** All four roles in this process, over the Kafka and PostgreSQL named in the settings. */
    public static Relay all(Settings s) {
        Relay r = new Relay();
        Database db = database(s);
        r.parts.add(db::close);
        r.parts.add(archiver(s, db));
        r.parts.add(matcher(s));
        r.parts.add(validator(s, db));
        r.addGateway(s, db);
        return r;
    }

    public Gateway addGateway(Settings s, Database db) {
        Gateway g = gateway(s, db);
        gateways.add(g);
        parts.add(g);
        return g;
    }

    public List<Gateway> gateways() {
        return Collections.unmodifiableList(gateways);
    }

    /** Stops the parts in the reverse order of their start. */
    @Override
    public void close() {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                System.getLogger(Relay.class.getName()).log(System.Logger.Level.WARNING, "stopping " + parts.get(i), e);
            }
        }
        parts.clear();
    }
}
