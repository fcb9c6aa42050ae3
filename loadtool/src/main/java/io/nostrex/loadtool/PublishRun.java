package io.nostrex.loadtool;

import io.nostrex.protocol.message.MessageCodec;
import io.nostrex.protocol.message.MessageException;
import io.nostrex.protocol.message.RelayMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes a {@link Corpus} over C connections with at most F EVENTs awaiting their OK on each.
 * Closed loop by default (an OK frees a slot for the next event); with a rate, a pacer releases
 * event i at {@code start + i/rate} and its latency counts from that intended time, so a relay
 * that falls behind is not hidden by the tool waiting for it. Every EVENT sent is accounted for:
 * OK true, OK false (by reason prefix), or missing when no OK came before the timeout.
 */
final class PublishRun {
    /** How to publish; {@code rate} 0 is closed loop, {@code duration} null sends the whole corpus. */
    record Plan(int connections, int inFlight, double rate, Duration duration, Duration timeout) {}

    private final Corpus corpus;
    private final Plan plan;
    private final Map<String, Integer> indexOf;
    private final AtomicLongArray sentAt;
    /** Per event: 0 not sent, 1 sent, 2 answered. */
    private final AtomicIntegerArray state;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong lastAnswer = new AtomicLong();
    private final Latencies latencies = new Latencies();
    private final PublishResult.Tally tally = new PublishResult.Tally();
    private volatile long start;
    private volatile long deadline = Long.MAX_VALUE;
    private volatile boolean stopped;
    private Lane[] lanes;

    PublishRun(Corpus corpus, Plan plan) {
        this.corpus = corpus;
        this.plan = plan;
        this.indexOf = new HashMap<>(corpus.size() * 2);
        for (int i = 0; i < corpus.size(); i++) {
            indexOf.put(corpus.ids[i], i);
        }
        this.sentAt = new AtomicLongArray(corpus.size());
        this.state = new AtomicIntegerArray(corpus.size());
    }

    /** Connects, publishes, waits for the last OK (bounded by the plan's timeout) and disconnects. */
    PublishResult run(Target target) throws InterruptedException {
        lanes = new Lane[plan.connections()];
        RelaySocket.Opened opened = RelaySocket.openAll(target, plan.connections(), plan.connections(),
                i -> (socket, text, now) -> onMessage(socket, text, now), plan.timeout());
        for (RelaySocket s : opened.sockets()) {
            lanes[s.index()] = new Lane(s);
        }
        List<Lane> live = java.util.Arrays.stream(lanes).filter(java.util.Objects::nonNull).toList();
        start = System.nanoTime();
        if (plan.duration() != null) {
            deadline = start + plan.duration().toNanos();
        }
        if (!live.isEmpty()) {
            if (plan.rate() > 0) {
                pace(live, start);
            } else {
                live.forEach(lane -> lane.fill());
                awaitSendingDone();
            }
        }
        stopped = true;
        long sendEnd = System.nanoTime();
        awaitAnswers(sendEnd + plan.timeout().toNanos());
        live.forEach(l -> l.socket.abort());
        long end = Math.max(lastAnswer.get(), sendEnd);
        return tally.result(corpus.size(), sent.get(), (sendEnd - start) / 1e9, (end - start) / 1e9,
                latencies.summary(start), opened, plan.duration() != null && sent.get() == corpus.size());
    }

    /** When sending started (System.nanoTime); event i of a paced run is due {@code i/rate} later. */
    long startNanos() {
        return start;
    }

    private void pace(List<Lane> live, long start) {
        double interval = 1e9 / plan.rate();
        for (int i = 0; i < corpus.size(); i++) {
            long due = start + (long) (i * interval);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(Math.min(wait, 1_000_000));
            }
            if (due >= deadline) {
                return;
            }
            live.get(i % live.size()).offer(i, due);
        }
    }

    private void awaitSendingDone() throws InterruptedException {
        while (next.get() < corpus.size() && System.nanoTime() < deadline && anyLaneOpen()) {
            Thread.sleep(5);
        }
    }

    private boolean anyLaneOpen() {
        for (Lane l : lanes) {
            if (l != null && !l.socket.closed().isDone()) {
                return true;
            }
        }
        return false;
    }

    private void awaitAnswers(long until) throws InterruptedException {
        while (tally.answered() < sent.get() && System.nanoTime() < until && anyLaneOpen()) {
            Thread.sleep(5);
        }
    }

    private void onMessage(RelaySocket socket, String text, long now) {
        RelayMessage m;
        try {
            m = MessageCodec.decodeRelay(text);
        } catch (MessageException e) {
            tally.other("unreadable: " + e.getMessage());
            return;
        }
        if (m instanceof RelayMessage.AuthChallenge) {
            return; // NIP-42: the relay's challenge on connect; this tool publishes without authenticating
        }
        if (!(m instanceof RelayMessage.Ok ok)) {
            tally.other(text.length() > 120 ? text.substring(0, 120) : text);
            return;
        }
        Integer i = indexOf.get(ok.eventId());
        if (i == null || state.get(i) == 0) {
            tally.unknown();
        } else if (!state.compareAndSet(i, 1, 2)) {
            tally.repeated();
        } else {
            latencies.add(now - sentAt.get(i), now);
            lastAnswer.accumulateAndGet(now, Math::max);
            tally.ok(ok.accepted(), ok.message());
            lanes[socket.index()].answered();
        }
    }

    /** One connection: its EVENTs awaiting an OK, and (with a rate) the ones waiting for a slot. */
    private final class Lane {
        final RelaySocket socket;
        private final ArrayDeque<long[]> waiting = new ArrayDeque<>();
        private int outstanding;

        Lane(RelaySocket socket) {
            this.socket = socket;
        }

        synchronized void fill() {
            while (outstanding < plan.inFlight() && takeNext()) {
                outstanding++;
            }
        }

        synchronized void offer(int i, long due) {
            if (outstanding < plan.inFlight()) {
                outstanding++;
                send(i, due);
            } else {
                waiting.add(new long[] {i, due});
            }
        }

        synchronized void answered() {
            outstanding = Math.max(0, outstanding - 1);
            if (!waiting.isEmpty()) {
                long[] w = waiting.poll();
                outstanding++;
                send((int) w[0], w[1]);
            } else if (plan.rate() <= 0) {
                fill();
            }
        }

        private boolean takeNext() {
            if (stopped || System.nanoTime() >= deadline) {
                return false;
            }
            int i = next.getAndIncrement();
            if (i >= corpus.size()) {
                return false;
            }
            send(i, System.nanoTime());
            return true;
        }

        private void send(int i, long at) {
            sentAt.set(i, at);
            state.set(i, 1);
            sent.incrementAndGet();
            socket.send(corpus.messages[i]);
        }
    }
}
