package io.nostrex.loadtool;

import io.nostrex.protocol.Hex;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * N connections, each with one small live REQ (one random id), held open: the relay keeps a
 * connection and a subscription for each. With the relay's pid, its resident memory is read before
 * connecting and once all are connected (and answered EOSE), so (after - before) / N is what one
 * idle connection costs it.
 */
final class IdleRun {
    record Plan(int connections, Duration hold, int connectConcurrency, Duration timeout, String relayPid) {}

    private final Plan plan;
    private final AtomicInteger eose = new AtomicInteger();
    private final AtomicInteger other = new AtomicInteger();
    private final AtomicReference<String> otherSample = new AtomicReference<>();

    IdleRun(Plan plan) {
        this.plan = plan;
    }

    IdleResult run(Target target) throws InterruptedException {
        OptionalLong before = relayRss();
        long t = System.nanoTime();
        RelaySocket.Opened opened = RelaySocket.openAll(target, plan.connections(), plan.connectConcurrency(),
                i -> (socket, text, now) -> {
                    if (text.startsWith("[\"EOSE\"")) {
                        eose.incrementAndGet();
                    } else if (!text.startsWith("[\"AUTH\"")) { // the relay's NIP-42 challenge is expected
                        other.incrementAndGet();
                        otherSample.compareAndSet(null, text.length() > 160 ? text.substring(0, 160) : text);
                    }
                }, plan.timeout().multipliedBy(Math.max(1, plan.connections() / 1000)));
        double connectSeconds = (System.nanoTime() - t) / 1e9;
        SecureRandom random = new SecureRandom();
        byte[] id = new byte[32];
        for (RelaySocket s : opened.sockets()) {
            random.nextBytes(id);
            s.send(req(Hex.encode(id)));
        }
        long until = System.nanoTime() + plan.timeout().toNanos();
        while (eose.get() < opened.sockets().size() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        double readySeconds = (System.nanoTime() - t) / 1e9;
        Thread.sleep(1000); // let the relay settle (subscription acks, buffers) before reading its memory
        OptionalLong connected = relayRss();
        OptionalLong clientRss = ProcStatus.rssKib("self");
        Thread.sleep(plan.hold().toMillis());
        int stillOpen = (int) opened.sockets().stream().filter(s -> !s.closed().isDone()).count();
        OptionalLong held = relayRss();
        opened.sockets().forEach(RelaySocket::abort);
        return new IdleResult(plan.connections(), opened.sockets().size(), opened.failed(), opened.firstError(),
                eose.get(), other.get(), otherSample.get(), connectSeconds, readySeconds, stillOpen, plan.hold().toSeconds(), before,
                connected, held, clientRss);
    }

    /**
     * The REQ each connection holds: one random id. It stays live (the relay keeps a subscription) and
     * its history is a primary-key lookup on any store, so the run measures connections, not queries.
     */
    static String req(String id) {
        return "[\"REQ\",\"idle\",{\"ids\":[\"" + id + "\"]}]";
    }

    private OptionalLong relayRss() {
        return plan.relayPid() == null ? OptionalLong.empty() : ProcStatus.rssKib(plan.relayPid());
    }
}
