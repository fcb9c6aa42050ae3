package io.nostrex.loadtool;

import io.nostrex.protocol.EventSigner;
import io.nostrex.protocol.message.MessageCodec;
import io.nostrex.protocol.message.MessageException;
import io.nostrex.protocol.message.RelayMessage;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * S subscribers hold a REQ for the run's events, each under its own subscription id as real clients
 * do (so every delivery is a frame of its own); once every one has its EOSE (and the plan's settling
 * time has passed), one publisher sends R events/s, open loop. Event i says in its content when it was due ({@code i/R} after the start),
 * so a delivery's latency is its arrival minus that time. Every subscriber must get every accepted
 * event once: the run counts what arrived against S x accepted.
 */
final class FanoutRun {
    /** Prefix of the content; what follows is the event's index and its due offset in nanoseconds. */
    static final String MARK = "nostrex-fanout ";

    /** {@code settle}: how long to wait after the last EOSE before publishing (zero: at once). */
    record Plan(int subscribers, double rate, Duration duration, int connectConcurrency, Duration timeout,
                String relayPid, Duration settle) {
        Plan(int subscribers, double rate, Duration duration, int connectConcurrency, Duration timeout,
             String relayPid) {
            this(subscribers, rate, duration, connectConcurrency, timeout, relayPid, Duration.ZERO);
        }
    }

    private final Plan plan;
    private final String runTag = Corpus.runTag();
    private final Latencies latencies = new Latencies();
    private final AtomicInteger eose = new AtomicInteger();
    private final LongAdder delivered = new LongAdder();
    private final AtomicLong duplicates = new AtomicLong();
    private final LongAccumulator lastDelivery = new LongAccumulator(Math::max, 0);
    private final Notes notes = new Notes();
    private volatile BitSet[] seen;
    private volatile PublishRun publisher;

    FanoutRun(Plan plan) {
        this.plan = plan;
    }

    /** The events of the run: kind 1, the run tag, and their index and due offset in the content. */
    static Corpus sign(int n, double rate, String runTag) {
        EventSigner key = EventSigner.random();
        long now = System.currentTimeMillis() / 1000;
        double interval = 1e9 / rate;
        return Corpus.sign(n, i -> key.sign(now, 1, List.of(List.of("t", runTag)),
                MARK + i + " " + (long) (i * interval)));
    }

    FanoutResult run(Target target) throws InterruptedException {
        int n = (int) Math.max(1, Math.round(plan.rate() * plan.duration().toMillis() / 1000.0));
        Corpus corpus = sign(n, plan.rate(), runTag);
        BitSet[] bits = new BitSet[plan.subscribers()];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = new BitSet(n);
        }
        seen = bits;
        publisher = new PublishRun(corpus, new PublishRun.Plan(1, 100_000, plan.rate(), null, plan.timeout()));
        long t = System.nanoTime();
        RelaySocket.Opened subs = RelaySocket.openAll(target, plan.subscribers(), plan.connectConcurrency(),
                i -> this::onMessage, plan.timeout());
        // each subscriber its own subscription id, as real clients: every delivery is its own frame
        subs.sockets().forEach(s -> s.send("[\"REQ\",\"fan-" + s.index() + "\",{\"kinds\":[1],\"#t\":[\""
                + runTag + "\"]}]"));
        long until = System.nanoTime() + plan.timeout().toNanos();
        while (eose.get() < subs.sockets().size() && System.nanoTime() < until && notes.closed() == 0) {
            Thread.sleep(5);
        }
        double setupSeconds = (System.nanoTime() - t) / 1e9;
        Thread.sleep(plan.settle().toMillis());
        CpuUse.Meter meter = CpuUse.start(plan.relayPid());
        PublishResult published = publisher.run(target);
        long expected = (long) subs.sockets().size() * published.accepted();
        until = System.nanoTime() + plan.timeout().toNanos();
        while (delivered.sum() < expected && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        CpuUse cpu = meter.stop();
        int dropped = (int) subs.sockets().stream().filter(s -> s.closed().isDone()).count();
        subs.sockets().forEach(RelaySocket::abort);
        double seconds = (Math.max(lastDelivery.get(), publisher.startNanos()) - publisher.startNanos()) / 1e9;
        return new FanoutResult(plan.subscribers(), subs.sockets().size(), subs.failed(), subs.firstError(), eose.get(),
                setupSeconds, dropped, notes, published, expected, delivered.sum(), duplicates.get(), seconds,
                latencies.summary(publisher.startNanos()), cpu);
    }

    private void onMessage(RelaySocket socket, String text, long now) {
        int at = text.startsWith("[\"EVENT\",") ? text.indexOf(MARK) : -1;
        if (at < 0) {
            other(text);
            return;
        }
        int from = at + MARK.length();
        int space = text.indexOf(' ', from);
        int end = space + 1;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        int i;
        long due;
        try {
            i = Integer.parseInt(text, from, space, 10);
            due = Long.parseLong(text, space + 1, end, 10);
        } catch (RuntimeException e) {
            notes.other(text);
            return;
        }
        BitSet mine = seen[socket.index()];
        if (mine.get(i)) {
            duplicates.incrementAndGet();
            return;
        }
        mine.set(i);
        latencies.add(now - (publisher.startNanos() + due), now);
        lastDelivery.accumulate(now);
        delivered.increment();
    }

    private void other(String text) {
        try {
            RelayMessage m = MessageCodec.decodeRelay(text);
            if (m instanceof RelayMessage.Eose) {
                eose.incrementAndGet();
            } else if (m instanceof RelayMessage.Closed c) {
                notes.closed(c.message());
            } else if (!(m instanceof RelayMessage.AuthChallenge)) {
                notes.other(text);
            }
        } catch (MessageException e) {
            notes.other("unreadable: " + e.getMessage());
        }
    }

    /** CLOSED and unexpected messages the subscribers got, with the first of each. */
    static final class Notes {
        private int closed;
        private String closedSample;
        private long other;
        private String otherSample;

        synchronized void closed(String message) {
            closed++;
            closedSample = closedSample == null ? message : closedSample;
        }

        synchronized void other(String text) {
            other++;
            otherSample = otherSample == null ? (text.length() > 160 ? text.substring(0, 160) : text) : otherSample;
        }

        synchronized int closed() {
            return closed;
        }

        synchronized String describe() {
            return (closed == 0 ? "" : closed + " CLOSED (e.g. " + closedSample + ") ")
                    + (other == 0 ? "" : other + " other messages (e.g. " + otherSample + ")");
        }
    }
}
