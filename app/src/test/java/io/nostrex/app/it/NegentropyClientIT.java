package io.nostrex.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import io.nostrex.protocol.RepoFiles;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client built on nostr-tools' NIP-77 Negentropy, over a WebSocket in node, reconciles with our
 * gateway: empty, equal, disjoint and overlapping sets, and one large enough for several rounds.
 * Needs node and {@code npm ci} in protocol/src/test/node (.ci/run does both); skipped without them
 * unless NOSTREX_REQUIRE_NODE=1.
 */
class NegentropyClientIT {
    static TestRelay relay;
    static Path node;

    @BeforeAll
    static void start() throws Exception {
        node = RepoFiles.find("protocol/src/test/node/ws-client.js").getParent();
        boolean ready = Files.isDirectory(node.resolve("node_modules/ws")) && Files.isDirectory(node.resolve("node_modules/nostr-tools"));
        if (!"1".equals(System.getenv("NOSTREX_REQUIRE_NODE"))) {
            assumeTrue(ready, "node and protocol/src/test/node/node_modules (npm ci there) are needed for the reference client");
        }
        assertThat(ready).as("npm ci in protocol/src/test/node (NOSTREX_REQUIRE_NODE=1)").isTrue();
        relay = TestRelay.get();
    }

    record Outcome(Set<String> have, Set<String> need) {}

    static Outcome reconcile(String filter, List<Event> local) throws Exception {
        Process p = new ProcessBuilder("node", "ws-client.js", "ws://127.0.0.1:" + relay.gatewayA().port() + "/", filter)
                .directory(node.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (PrintWriter in = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8)) {
            local.forEach(e -> in.println("item," + e.createdAt() + "," + e.id()));
        }
        Set<String> have = new HashSet<>();
        Set<String> need = new HashSet<>();
        String last = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; last = line) {
                if (line.startsWith("have,")) {
                    have.add(line.substring(5));
                } else if (line.startsWith("need,")) {
                    need.add(line.substring(5));
                }
            }
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(last).isEqualTo("done");
        return new Outcome(have, need);
    }

    static Set<String> ids(List<Event> events) {
        Set<String> ids = new HashSet<>();
        events.forEach(e -> ids.add(e.id()));
        return ids;
    }

    @Test
    void aNostrToolsClientReconcilesWithTheGateway() throws Exception {
        EventSigner wes = EventSigner.random();
        long now = System.currentTimeMillis() / 1000;
        List<Event> stored = new ArrayList<>();
        List<Event> notStored = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            Event e = wes.sign(now - 5_000 + i / 3, 1, List.of(), "n" + i); // three at a second: id prefixes
            (i % 10 == 0 ? notStored : stored).add(e);
        }
        try (WsClient c = new WsClient(relay.gatewayA().port())) {
            // pipelined, at most 500 waiting for their OK (a connection may have 1,000: NOSTREX_MAX_PENDING_OKS)
            int sent = 0;
            for (int oks = 0; oks < stored.size(); oks++) {
                while (sent < stored.size() && sent - oks < 500) {
                    c.send(Nostr.event(stored.get(sent++)));
                }
                assertThat(c.next(RelayIT.WAIT)).startsWith("[\"OK\"").contains(",true,");
            }
        }
        String filter = "{\"authors\":[\"" + wes.pubkey() + "\"]}";
        // empty here: the gateway sends every id
        assertThat(reconcile(filter, List.of()).need()).isEqualTo(ids(stored));
        // equal
        assertThat(reconcile(filter, stored)).isEqualTo(new Outcome(Set.of(), Set.of()));
        // disjoint
        assertThat(reconcile(filter, notStored)).isEqualTo(new Outcome(ids(notStored), ids(stored)));
        // overlapping, large enough for several rounds
        List<Event> overlap = new ArrayList<>(stored.subList(0, 700));
        overlap.addAll(notStored);
        assertThat(reconcile(filter, overlap)).isEqualTo(new Outcome(ids(notStored), ids(stored.subList(700, stored.size()))));
        // nothing matches the filter there
        assertThat(reconcile("{\"authors\":[\"" + EventSigner.random().pubkey() + "\"]}", notStored))
                .isEqualTo(new Outcome(ids(notStored), Set.of()));
    }
}
