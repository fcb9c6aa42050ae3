package io.nostrex.app.it;

import static io.nostrex.app.it.Nostr.event;
import static io.nostrex.app.it.Nostr.isOk;
import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.app.ExportAccess;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.EventParser;
import io.nostrex.protocol.EventSigner;
import io.nostrex.protocol.EventVerifier;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.FilterParser;
import io.nostrex.protocol.Json;
import io.nostrex.store.EventExport;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code nostrex export} against the relay's own PostgreSQL and its nostr.events. */
class ExportIT {
    static final Duration WAIT = Duration.ofSeconds(20);
    static TestRelay relay;
    static final EventSigner AUTHOR = EventSigner.random();
    static final long NOW = System.currentTimeMillis() / 1000;
    static final List<Event> PUBLISHED = new ArrayList<>();

    @BeforeAll
    static void publish() throws Exception {
        relay = TestRelay.get();
        // created out of order, two of them at the same second, one replaced by a newer version
        PUBLISHED.add(AUTHOR.sign(NOW - 30, 1, List.of(List.of("t", "export")), "third"));
        PUBLISHED.add(AUTHOR.sign(NOW - 90, 1, List.of(), "first"));
        PUBLISHED.add(AUTHOR.sign(NOW - 60, 7, List.of(), "+"));
        PUBLISHED.add(AUTHOR.sign(NOW - 60, 1, List.of(List.of("t", "export")), "second"));
        PUBLISHED.add(AUTHOR.sign(NOW - 50, 0, List.of(), "{\"name\":\"old\"}"));
        PUBLISHED.add(AUTHOR.sign(NOW - 10, 0, List.of(), "{\"name\":\"new\"}"));
        try (WsClient c = new WsClient(relay.gatewayA().port())) {
            for (Event e : PUBLISHED) {
                c.send(event(e));
                List<String> got = c.until(m -> isOk(m, e), WAIT);
                assertThat(got.get(got.size() - 1)).contains("true");
            }
        }
    }

    private static List<Filter> filters(String... json) throws Exception {
        List<Filter> out = new ArrayList<>();
        for (String f : json) {
            out.add(FilterParser.parse(Json.read(f)));
        }
        return out;
    }

    private static List<Event> lines(String text) throws Exception {
        List<Event> events = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                Event e = EventParser.parse(line);
                EventVerifier.best().verify(e); // one signed event object per line, as strfry export writes
                events.add(e);
            }
        }
        return events;
    }

    @Test
    void theStoreIsExportedOldestFirstWithOnlyWhatItServes() throws Exception {
        StringWriter out = new StringWriter();
        long n = ExportAccess.export(new EventExport(relay.relay.database().dataSource()),
                filters("{\"authors\":[\"" + AUTHOR.pubkey() + "\"]}"), out);
        List<Event> got = lines(out.toString());
        assertThat(n).isEqualTo(5);
        // the replaced profile is gone; ties at the same second by id
        Event second = PUBLISHED.get(3);
        Event reaction = PUBLISHED.get(2);
        List<Event> tied = second.id().compareTo(reaction.id()) < 0 ? List.of(second, reaction) : List.of(reaction, second);
        assertThat(got).containsExactly(PUBLISHED.get(1), tied.get(0), tied.get(1), PUBLISHED.get(0), PUBLISHED.get(5));
        assertThat(out.toString()).contains(EventJson.write(PUBLISHED.get(1)) + "\n");
    }

    @Test
    void filtersAreOred() throws Exception {
        StringWriter out = new StringWriter();
        ExportAccess.export(new EventExport(relay.relay.database().dataSource()),
                filters("{\"authors\":[\"" + AUTHOR.pubkey() + "\"],\"kinds\":[7]}", "{\"#t\":[\"export\"],\"authors\":[\""
                        + AUTHOR.pubkey() + "\"]}"), out);
        assertThat(lines(out.toString())).containsExactlyInAnyOrder(PUBLISHED.get(2), PUBLISHED.get(3), PUBLISHED.get(0));
    }

    @Test
    void theLogHasEveryAcceptedEventInLogOrder() throws Exception {
        StringWriter out = new StringWriter();
        long n = ExportAccess.fromLog(Map.of("bootstrap.servers", TestInfra.get().bootstrapServers()),
                filters("{\"authors\":[\"" + AUTHOR.pubkey() + "\"]}"), out);
        // the log keeps the replaced profile too: it is history, in the order the relay accepted it
        assertThat(n).isEqualTo(6);
        assertThat(lines(out.toString())).containsExactlyElementsOf(PUBLISHED);
    }
}
