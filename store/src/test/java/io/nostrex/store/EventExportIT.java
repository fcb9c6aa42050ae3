package io.nostrex.store;

import static io.nostrex.store.TestEvents.BOB;
import static io.nostrex.store.TestEvents.event;
import static io.nostrex.store.TestEvents.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.FilterParser;
import io.nostrex.protocol.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The export read path against a real PostgreSQL: order, filters ORed, limits ignored, expiry, the cursor. */
class EventExportIT {
    private static final long NOW = 1_000_000L;
    private static final Event NOTE_1 = event().id(id(0x11)).at(100).tag("t", "nostr").build();
    private static final Event NOTE_2 = event().id(id(0x12)).at(200).tag("e", id(0x11)).build();
    private static final Event REACTION = event().id(id(0x14)).by(BOB).kind(7).at(300).tag("e", id(0x12)).build();
    private static final Event TIE_HIGH = event().id(id(0x22)).kind(1111).at(400).build();
    private static final Event TIE_LOW = event().id(id(0x21)).kind(1111).at(400).build();
    private static final Event EXPIRED = event().id(id(0x31)).at(500).tag("expiration", String.valueOf(NOW)).build();
    private static final Event ARTICLE = event().id(id(0x41)).kind(30023).tag("d", "post").at(50).build();
    private static Database db;
    private static EventExport export;

    @BeforeAll
    static void open() {
        db = TestDatabase.newDatabase();
        new EventStore(db.dataSource()).store(List.of(NOTE_2, TIE_HIGH, REACTION, EXPIRED, NOTE_1, ARTICLE, TIE_LOW));
        export = new EventExport(db.dataSource());
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static List<String> exported(String... filters) throws IOException {
        List<Filter> parsed = new ArrayList<>();
        for (String f : filters) {
            try {
                parsed.add(FilterParser.parse(Json.read(f)));
            } catch (Exception e) {
                throw new IllegalArgumentException(f, e);
            }
        }
        List<String> out = new ArrayList<>();
        long n = export.export(parsed, NOW, (json, createdAt) -> out.add(json));
        assertThat(n).isEqualTo(out.size());
        return out;
    }

    private static List<String> json(Event... events) {
        return Arrays.stream(events).map(EventJson::write).toList();
    }

    @Test
    void everythingOldestFirstTiesByLowestIdExpiredLeftOut() throws IOException {
        assertThat(exported()).containsExactlyElementsOf(json(ARTICLE, NOTE_1, NOTE_2, REACTION, TIE_LOW, TIE_HIGH));
    }

    @Test
    void filtersAreOredAndTheirLimitsDoNotApply() throws IOException {
        assertThat(exported("{\"kinds\":[7]}", "{\"#t\":[\"nostr\"]}", "{\"kinds\":[1111],\"limit\":1}"))
                .containsExactlyElementsOf(json(NOTE_1, REACTION, TIE_LOW, TIE_HIGH));
        assertThat(exported("{\"since\":200,\"until\":300}")).containsExactlyElementsOf(json(NOTE_2, REACTION));
    }

    @Test
    void filtersThatMatchNothingExportNothing() throws IOException {
        assertThat(exported("{\"ids\":[\"" + "ff".repeat(32) + "\"]}")).isEmpty();
        assertThat(exported("{\"kinds\":[]}")).isEmpty();
    }

    @Test
    void theSpanIsTheOldestAndNewestStoredEvent() {
        assertThat(export.span()).isEqualTo(new EventExport.Span(50, 500));
    }

    @Test
    void moreRowsThanOneFetchComeThroughTheCursorInOrder() throws IOException {
        Database big = TestDatabase.newDatabase();
        try {
            int n = EventExport.FETCH * 2 + 17;
            List<Event> events = IntStream.range(0, n)
                    .mapToObj(i -> event().id(id(0x1000 + i)).at(1_000 + (n - i) / 3).build()).toList();
            new EventStore(big.dataSource()).store(events);
            List<Long> times = new ArrayList<>();
            long count = new EventExport(big.dataSource()).export(List.of(), NOW * 10, (json, at) -> times.add(at));
            assertThat(count).isEqualTo(n);
            assertThat(times).isSorted().hasSize(n);
        } finally {
            big.close();
        }
    }

    @Test
    void aSinkThatFailsEndsTheExportWithItsError() {
        assertThatThrownBy(() -> export.export(List.of(), NOW, (json, at) -> {
            throw new IOException("stdout closed");
        })).isInstanceOf(IOException.class).hasMessage("stdout closed");
    }
}
