package io.nostrex.loadtool;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.EventSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bad input at scale. Probe clients ask the relay a small REQ each, 20 times a second, first alone
 * (the baseline), then while attackers send malformed frames of many shapes at a fixed rate over
 * many connections (a connection the relay closes is opened again). The probes run in a JVM of
 * their own ({@link ProbeProcess}), as other users of a relay would. The REQ→EOSE latencies of the
 * two phases are compared; with the relay's pid, its memory is read before, at the end of the flood
 * and after a settle; on Nostrex its JVM heap too ({@code /metrics}).
 */
final class FloodRun {
    /**
     * {@code ownAddresses}: each attacker connection names an address of its own in
     * {@code X-Forwarded-For} (from 198.18.0.0/15, the benchmarking range), so a relay that trusts
     * that header sees the flood come from {@code attackers} addresses instead of one.
     */
    record Plan(int attackers, int frames, int rate, int probes, Duration baseline, Duration settle, Duration timeout,
                String relayPid, boolean ownAddresses) {}

    /** The headers of attacker connection {@code slot}. */
    Map<String, String> attackerHeaders(int slot) {
        return plan.ownAddresses()
                ? Map.of("X-Forwarded-For", "198.18." + (slot / 250) + "." + (slot % 250 + 1)) : Map.of();
    }

    /** A malformed frame and how often it is sent (per thousand); a null frame is {@link NotUtf8Frames}'. */
    record Shape(String name, int weight, String frame) {}

    static final String NOT_UTF8 = "text that is not UTF-8 (a connection each)";

    private final Plan plan;
    private final Map<String, AtomicLong> sentByShape = new ConcurrentHashMap<>();
    private final AtomicLong answers = new AtomicLong();
    private final AtomicInteger closedByRelay = new AtomicInteger();
    private final AtomicInteger reconnects = new AtomicInteger();

    FloodRun(Plan plan) {
        this.plan = plan;
    }

    /** The shapes, in the words: deep nesting, huge numbers, invalid UTF-8, oversized frames, 1,000 filters, 10,000 authors, unknown verbs, NEG-* junk, and more. */
    static List<Shape> shapes() {
        EventSigner signer = EventSigner.random();
        Event e = signer.sign(1_700_000_000L, 1, List.of(List.of("t", "flood")), "a real event, then tampered with");
        String good = EventJson.write(e);
        String tampered = good.replace("tampered with", "tampered with!");
        String badSig = good.replace(e.sig(), "0".repeat(128));
        String manyFilters = "[\"REQ\",\"f\"" + ",{\"kinds\":[1],\"limit\":1}".repeat(1_000) + "]";
        String manyAuthors = "[\"REQ\",\"a\",{\"authors\":[" + String.join(",", Collections.nCopies(10_000,
                "\"" + e.pubkey() + "\"")) + "]}]";
        return List.of(
                new Shape("unknown verb", 110, "[\"HELLO\",1,{\"x\":[]}]"),
                new Shape(NOT_UTF8, 10, null),
                new Shape("not JSON", 100, "{{{[[[\"EVENT\",,,"),
                new Shape("empty", 30, ""),
                new Shape("EVENT with a wrong id", 120, "[\"EVENT\"," + tampered + "]"),
                new Shape("EVENT with a bad signature", 120, "[\"EVENT\"," + badSig + "]"),
                new Shape("EVENT not an object", 50, "[\"EVENT\",[1,2,3]]"),
                new Shape("REQ with junk filters", 120, "[\"REQ\",\"j\",{\"kinds\":\"all\",\"since\":-1,\"#\":[1]}]"),
                new Shape("huge numbers", 100, "[\"REQ\",\"n\",{\"limit\":1e999999999,\"since\":"
                        + "9".repeat(400) + "}]"),
                new Shape("NEG-OPEN junk", 60, "[\"NEG-OPEN\",\"g\",{\"kinds\":[1]},\"zz\"]"),
                new Shape("NEG-MSG junk", 60, "[\"NEG-MSG\",\"g\",\"61ffffffff\"]"),
                new Shape("NEG-CLOSE junk", 40, "[\"NEG-CLOSE\"]"),
                new Shape("CLOSE junk", 40, "[\"CLOSE\",{\"a\":1}]"),
                new Shape("1,000 filters", 20, manyFilters),
                new Shape("deep nesting", 5, "[\"REQ\",\"d\"," + "[".repeat(50_000) + "]".repeat(50_000) + "]"),
                new Shape("10,000 authors (an oversized frame)", 5, manyAuthors),
                new Shape("oversized frame", 10, "[\"EVENT\",\"" + "x".repeat(600_000) + "\"]"));
    }

    FloodResult run(Target target) throws InterruptedException {
        List<Shape> shapes = shapes();
        List<Shape> wheel = new ArrayList<>();
        for (Shape s : shapes) {
            for (int i = 0; i < s.weight(); i++) {
                wheel.add(s);
            }
            sentByShape.put(s.name(), new AtomicLong());
        }
        Collections.shuffle(wheel, new java.util.Random(7));
        // the probes are other users of the relay: a process of their own, so that neither this
        // JVM's collections nor its selector threads, busy with the attackers' frames, delay them
        ProbeProcess.Result probed;
        Memory before;
        Memory afterFlood;
        Memory settled;
        long sent = 0;
        double floodSeconds;
        NotUtf8Frames notUtf8 = new NotUtf8Frames(target.uri());
        try (notUtf8; ProbeProcess.Child probes = ProbeProcess.Child.start(target.uri(), plan.probes(), plan.timeout())) {
            Thread.sleep(plan.baseline().toMillis()); // a warm-up, so that the baseline is the relay's warm figure
            probes.next();
            Thread.sleep(plan.baseline().toMillis());
            before = memory(target);
            // each slot's attacker, open or opening again
            List<CompletableFuture<RelaySocket>> attackers = new ArrayList<>();
            RelaySocket.openAll(target, plan.attackers(), 50, i -> this::answered, this::attackerHeaders, plan.timeout())
                    .sockets().forEach(s -> attackers.add(CompletableFuture.completedFuture(s)));
            probes.next();
            long started = System.nanoTime();
            long perFrameNanos = 1_000_000_000L / plan.rate();
            while (sent < plan.frames()) {
                long wait = started + sent * perFrameNanos - System.nanoTime();
                if (wait > 1_000_000) {
                    Thread.sleep(wait / 1_000_000);
                    continue;
                }
                Shape shape = wheel.get((int) (sent % wheel.size()));
                if (shape.frame() == null) {
                    notUtf8.send(attackerHeaders((int) (sent % plan.attackers())));
                } else {
                    RelaySocket socket = null;
                    for (int k = 0; k < attackers.size() && socket == null; k++) {
                        socket = usable(target, attackers, (int) ((sent + k) % attackers.size()));
                    }
                    if (socket == null) {
                        Thread.sleep(1); // every attacker is reconnecting
                        continue;
                    }
                    socket.send(shape.frame());
                }
                sentByShape.get(shape.name()).incrementAndGet();
                sent++;
            }
            floodSeconds = (System.nanoTime() - started) / 1e9;
            probes.next();
            notUtf8.finish(plan.timeout().toMillis());
            afterFlood = memory(target);
            attackers.forEach(f -> f.thenAccept(RelaySocket::abort));
            Thread.sleep(plan.settle().toMillis());
            settled = memory(target);
            probes.next();
            Thread.sleep(plan.baseline().toMillis());
            probed = probes.end();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        Latencies baseline = probed.phases().get(1);
        Latencies flood = probed.phases().get(2);
        Latencies after = probed.phases().get(4);
        Map<String, Long> byShape = new LinkedHashMap<>();
        shapes.forEach(s -> byShape.put(s.name(), sentByShape.get(s.name()).get()));
        return new FloodResult(sent, floodSeconds, byShape, answers.get(), closedByRelay.get(), reconnects.get(),
                notUtf8.closedWith1007(), notUtf8.otherwise(),
                baseline.summary(), flood.summary(), after.summary(), probed.unanswered(), before.rss(), afterFlood.rss(),
                settled.rss(), before.heap(), afterFlood.heap(), settled.heap());
    }

    private void answered(RelaySocket socket, String text, long now) {
        answers.incrementAndGet();
    }

    /**
     * The attacker of {@code slot} when it is open. One the relay closed (or that failed to open) is
     * opened again in the background, never waited for here: that would hold up the flood's pace;
     * the slot is skipped until it is open.
     */
    private RelaySocket usable(Target target, List<CompletableFuture<RelaySocket>> attackers, int slot) {
        CompletableFuture<RelaySocket> f = attackers.get(slot);
        if (!f.isDone()) {
            return null;
        }
        if (!f.isCompletedExceptionally()) {
            RelaySocket socket = f.join();
            if (!socket.closed().isDone()) {
                return socket;
            }
            closedByRelay.incrementAndGet();
        }
        reconnects.incrementAndGet();
        attackers.set(slot, RelaySocket.open(target.clientFor(slot), target.uri(), slot, this::answered, plan.timeout(),
                attackerHeaders(slot)));
        return null;
    }

    /** The relay's RSS (with its pid) and live heap (on Nostrex), in KiB, read at one moment of the run. */
    private record Memory(OptionalLong rss, OptionalLong heap) {}

    private Memory memory(Target target) {
        return new Memory(plan.relayPid() == null ? OptionalLong.empty() : ProcStatus.rssKib(plan.relayPid()),
                heap(target.uri()));
    }

    /**
     * The relay JVM's live heap, in KiB: what its last collection left in the long-lived pool
     * ({@code jvm_memory_usage_after_gc} times {@code jvm_gc_max_data_size_bytes} on Nostrex's
     * /metrics, same host and port); empty elsewhere. Heap in use would count garbage not yet
     * collected.
     */
    static OptionalLong heap(URI ws) {
        try {
            URI metrics = new URI("ws".equals(ws.getScheme()) ? "http" : "https", null, ws.getHost(), ws.getPort(),
                    "/metrics", null, null);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics)
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return OptionalLong.empty();
            }
            double usedAfterGc = -1;
            double max = -1;
            for (String line : r.body().split("\n")) {
                String value = line.substring(line.lastIndexOf(' ') + 1);
                if (line.startsWith("jvm_memory_usage_after_gc{") && line.contains("pool=\"long-lived\"")) {
                    usedAfterGc = Double.parseDouble(value);
                } else if (line.startsWith("jvm_gc_max_data_size_bytes")) {
                    max = Double.parseDouble(value);
                }
            }
            boolean found = usedAfterGc >= 0 && max > 0;
            double bytes = usedAfterGc * max;
            return found ? OptionalLong.of((long) (bytes / 1024)) : OptionalLong.empty();
        } catch (Exception e) {
            return OptionalLong.empty();
        }
    }
}
