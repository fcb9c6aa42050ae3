package io.nostrex.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.app.ExportAccess;
import io.nostrex.app.ImportAccess;
import io.nostrex.app.Relay;
import io.nostrex.app.Settings;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.EventSigner;
import io.nostrex.protocol.FilterParser;
import io.nostrex.protocol.Json;
import io.nostrex.protocol.TestCorpus;
import io.nostrex.store.EventExport;
import io.nostrex.store.EventQuery;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code nostrex import}: every line judged as a client's EVENT, through Kafka or over WebSocket,
 * each line not taken reported; and a round trip, export then import into an empty relay, gives
 * back the same export.
 */
class ImportIT {
    static TestRelay relay;
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        relay = TestRelay.get();
        dir = Files.createTempDirectory("nostrex-import-it");
    }

    @AfterAll
    static void removeFiles() {
        TestInfra.deleteRecursively(dir);
    }

    static Path gzip(String name, List<String> lines) throws Exception {
        Path file = dir.resolve(name);
        try (Writer w = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8)) {
            for (String line : lines) {
                w.write(line);
                w.write('\n');
            }
        }
        return file;
    }

    @Test
    void everyLineIsJudgedAsALiveEventAndEachOneNotTakenIsReported() throws Exception {
        EventSigner ivy = EventSigner.random();
        Event e1 = ivy.sign(1, List.of(List.of("t", "import")), "one");
        Event e2 = ivy.sign(1, List.of(), "two");
        Event e3 = ivy.sign(7, List.of(List.of("e", e1.id())), "+");
        Event deleted = ivy.sign(1, List.of(), "deleted before the import");
        Event tampered = ivy.sign(1, List.of(), "signed");
        String forged = EventJson.write(tampered).replace("\"signed\"", "\"changed\"");
        try (WsClient c = new WsClient(relay.gatewayA().port())) {
            assertThat(RelayIT.publish(c, deleted)).contains("true");
            Event deletion = ivy.sign(5, List.of(List.of("e", deleted.id())), "");
            assertThat(RelayIT.publish(c, deletion)).contains("true");
        }
        Path file = gzip("mixed.jsonl.gz", List.of(
                EventJson.write(e1),                              // 1 accepted
                "[\"EVENT\"," + EventJson.write(e2) + "]",        // 2 accepted
                "[\"EVENT\",\"sub\"," + EventJson.write(e3) + "]", // 3 accepted
                "",                                               // 4 blank: not an event
                EventJson.write(e1),                              // 5 duplicate
                "{\"kind\":1, not json",                          // 6 invalid, here
                forged,                                           // 7 invalid, by the validator
                EventJson.write(deleted),                         // 8 blocked
                "{\"kind\":1}"));                                 // 9 invalid, here
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        String summary = ImportAccess.importFile(file, relay.settings.kafka(), null, 4,
                new PrintStream(report, true, StandardCharsets.UTF_8));

        assertThat(summary).isEqualTo("imported 8 events: 3 accepted, 1 duplicate, 3 invalid, 1 blocked");
        assertThat(report.toString(StandardCharsets.UTF_8).lines().sorted().toList()).satisfiesExactly(
                l -> assertThat(l).startsWith("line 6: invalid: malformed JSON"),
                l -> assertThat(l).startsWith("line 7: " + tampered.id() + ": invalid: "),
                l -> assertThat(l).isEqualTo("line 8: " + deleted.id() + ": blocked: this event was deleted by its author"),
                l -> assertThat(l).isEqualTo("line 9: invalid: missing id"));
        EventQuery q = new EventQuery(relay.relay.database());
        assertThat(q.query(List.of(FilterParser.parse(Json.read("{\"authors\":[\"" + ivy.pubkey() + "\"],\"kinds\":[1,7]}"))), 10))
                .containsExactlyInAnyOrder(EventJson.write(e1), EventJson.write(e2), EventJson.write(e3));
    }

    @Test
    void anExportImportedIntoAnEmptyRelayExportsTheSame() throws Exception {
        // Given the real corpus imported through Kafka (some may be there already: duplicates then; a
        // few break the relay's limits, as CorpusIT sees them over WebSocket)
        String corpus = ImportAccess.importFile(TestCorpus.path(), relay.settings.kafka(), null, 500, System.err);
        assertThat(corpus).matches("imported " + TestCorpus.SIZE + " events: \\d+ accepted, \\d+ duplicate, \\d+ invalid, 0 blocked");
        // ... and exported (every corpus event is older than any test's own)
        String until = "{\"until\":" + TestCorpus.events().stream().mapToLong(Event::createdAt).max().orElseThrow() + "}";
        StringWriter exported = new StringWriter();
        long n = ExportAccess.export(new EventExport(relay.relay.database().dataSource()),
                List.of(FilterParser.parse(Json.read(until))), exported);
        assertThat(n).isGreaterThan(2_000);
        Path file = dir.resolve("export.jsonl");
        Files.writeString(file, exported.toString());

        // When it is imported over WebSocket into a relay with an empty store and a broker of its own
        try (OwnBroker broker = OwnBroker.start("import_it")) {
            Settings s = broker.settings;
            try (Relay empty = Relay.all(s, io.nostrex.ops.Ops.create())) {
                URI url = URI.create("ws://127.0.0.1:" + empty.gateways().get(0).port() + "/");
                String summary = ImportAccess.importFile(file, null, url, 200, System.err);

                // Then every event is accepted, and the new relay exports exactly the same lines
                assertThat(summary).isEqualTo("imported " + n + " events: " + n + " accepted, 0 duplicate, 0 invalid, 0 blocked");
                StringWriter again = new StringWriter();
                ExportAccess.export(new EventExport(empty.database().dataSource()), List.of(), again);
                assertThat(again.toString()).isEqualTo(exported.toString());
                // each month of that history went into its own partition as it came, none into the default one
                try (java.sql.Connection c = empty.database().dataSource().getConnection()) {
                    String months = ReplayIT.monthsWithPartitions();
                    assertThat(ReplayIT.count(c, "SELECT count(*) FROM events WHERE " + months)).isGreaterThan(1_000);
                    assertThat(ReplayIT.count(c, "SELECT count(*) FROM events_default WHERE " + months)).isZero();
                }
                // and both answer the same REQs and COUNTs
                EventQuery source = new EventQuery(relay.relay.database());
                EventQuery copy = new EventQuery(empty.database());
                for (String f : List.of("{\"kinds\":[0],\"limit\":100}", "{\"kinds\":[1],\"limit\":300}", "{\"#p\":[\""
                        + TestCorpus.events().get(0).pubkey() + "\"]}", "{\"kinds\":[3,7,10002]}")) {
                    var filters = List.of(FilterParser.parse(Json.read(until.replace("}", "," + f.substring(1)))));
                    assertThat(copy.query(filters, 500)).as(f).isEqualTo(source.query(filters, 500));
                    assertThat(copy.count(filters)).as(f).isEqualTo(source.count(filters));
                }
                // and importing it again through Kafka changes nothing
                assertThat(ImportAccess.importFile(file, s.kafka(), null, 1000, System.err))
                        .isEqualTo("imported " + n + " events: 0 accepted, " + n + " duplicate, 0 invalid, 0 blocked");
            }
        }
    }
}
