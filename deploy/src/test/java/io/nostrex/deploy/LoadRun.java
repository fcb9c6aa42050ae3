package io.nostrex.deploy;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import io.nostrex.protocol.message.RelayMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Publishers on the gateways, each on its own connection, sending signed notes one at a time (the
 * next after the OK, or after waiting for it in vain) for a while and up to a count each. Each
 * publisher signs with a few keys in turn, so that its notes spread over the partitions of
 * {@code nostr.events} (keyed by author) as well as of {@code nostr.ingress} (keyed by id). Every
 * note sent is kept with its outcome.
 */
final class LoadRun {
    /** Longer than the gateway's wait for a verdict (30 s), after which it answers OK false "error:". */
    static final Duration OK_WAIT = Duration.ofSeconds(40);
    private static final int KEYS_PER_PUBLISHER = 8;

    /** One note and its OK, null when none came. */
    record Outcome(Event event, RelayMessage.Ok ok) {
        boolean accepted() {
            return ok != null && ok.accepted();
        }
    }

    /** What a run got. */
    record Tally(List<Outcome> outcomes) {
        List<String> acceptedIds() {
            return outcomes.stream().filter(Outcome::accepted).map(o -> o.event().id()).toList();
        }

        /** The notes that got OK false or no OK: the relay may have stored them, or not. */
        List<String> notAcceptedIds() {
            return outcomes.stream().filter(o -> !o.accepted()).map(o -> o.event().id()).toList();
        }

        /** How many got OK false, by the message's prefix ("error:", "invalid:", ...). */
        Map<String, Long> refusals() {
            return outcomes.stream().filter(o -> o.ok() != null && !o.ok().accepted())
                    .collect(Collectors.groupingBy(o -> o.ok().message().replaceFirst(":.*", ":"), TreeMap::new, Collectors.counting()));
        }

        long unanswered() {
            return outcomes.stream().filter(o -> o.ok() == null).count();
        }

        @Override
        public String toString() {
            return "published " + outcomes.size() + ", OK true " + acceptedIds().size() + ", OK false "
                    + refusals().values().stream().mapToLong(Long::longValue).sum() + " " + refusals() + ", no OK " + unanswered();
        }
    }

    private final ExecutorService publishers;
    private final List<Future<List<Outcome>>> results = new ArrayList<>();
    private final Duration duration;

    private LoadRun(List<Integer> gatewayPorts, int perGateway, String tag, Duration duration, int maxEach) {
        this.duration = duration;
        this.publishers = Executors.newFixedThreadPool(gatewayPorts.size() * perGateway);
        long deadline = System.nanoTime() + duration.toNanos();
        int index = 0;
        for (int port : gatewayPorts) {
            for (int i = 0; i < perGateway; i++, index++) {
                String name = "publisher " + index;
                results.add(publishers.submit(() -> publish(port, name, tag, deadline, maxEach)));
            }
        }
    }

    /** Starts {@code perGateway} publishers on each gateway; each stops after {@code duration} or {@code maxEach} notes. */
    static LoadRun start(List<Integer> gatewayPorts, int perGateway, String tag, Duration duration, int maxEach) {
        return new LoadRun(gatewayPorts, perGateway, tag, duration, maxEach);
    }

    /** Waits for every publisher (bounded: the run's time and one wait for an OK, and a margin). */
    Tally finish() throws Exception {
        publishers.shutdown();
        long bound = duration.plus(OK_WAIT).plusSeconds(30).toMillis();
        if (!publishers.awaitTermination(bound, TimeUnit.MILLISECONDS)) {
            publishers.shutdownNow();
            throw new AssertionError("the publishers did not finish within " + bound + " ms");
        }
        List<Outcome> all = new ArrayList<>();
        for (Future<List<Outcome>> result : results) {
            all.addAll(result.get());
        }
        return new Tally(all);
    }

    private static List<Outcome> publish(int port, String name, String tag, long deadline, int maxEach) throws InterruptedException {
        List<EventSigner> keys = Stream.generate(EventSigner::random).limit(KEYS_PER_PUBLISHER).toList();
        List<Outcome> outcomes = new ArrayList<>();
        try (RelayConnection gateway = new RelayConnection(port)) {
            for (int n = 0; n < maxEach && System.nanoTime() < deadline; n++) {
                Event note = keys.get(n % keys.size()).sign(1, List.of(List.of("t", tag)), name + ", note " + n);
                outcomes.add(new Outcome(note, gateway.tryPublish(note, OK_WAIT).orElse(null)));
            }
        }
        return outcomes;
    }
}
