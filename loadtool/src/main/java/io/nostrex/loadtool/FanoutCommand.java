package io.nostrex.loadtool;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nostrex bench fanout}: live delivery to many subscribers, all counted. */
@Command(name = "fanout", mixinStandardHelpOptions = true,
        description = {"Live fan-out: S subscribers, one publisher at R events/s; every delivery checked.",
                "The subscribers wait for EOSE, then the publisher sends R events/s for D seconds; reports",
                "deliveries/s, send->receive latency, and exit status 1 when any of the S x events is missing."})
final class FanoutCommand implements Callable<Integer> {
    @Mixin
    BenchOptions options;

    @Option(names = "--subscribers", defaultValue = "1000", description = "subscriber connections (default: ${DEFAULT-VALUE})")
    int subscribers;

    @Option(names = "--rate", defaultValue = "50", description = "events/s the publisher sends (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--duration", defaultValue = "10", paramLabel = "SECONDS", description = "how long to publish (default: ${DEFAULT-VALUE})")
    double durationSeconds;

    @Option(names = "--connect-concurrency", defaultValue = "100", description = "handshakes in flight while connecting (default: ${DEFAULT-VALUE})")
    int connectConcurrency;

    @Option(names = "--settle", defaultValue = "0", paramLabel = "SECONDS",
            description = "wait after the last EOSE before publishing, to tell the cost of the REQs apart from the"
                    + " first events (default: ${DEFAULT-VALUE}, publish at once)")
    double settleSeconds;

    @Override
    public Integer call() throws Exception {
        validate();
        options.header("fanout", String.format("%,d subscribers, %,.0f events/s for %s s", subscribers, rate, durationSeconds));
        FanoutResult r = new FanoutRun(plan()).run(options.connect());
        System.out.print(r.summary());
        options.writeJson("fanout", params(), r.json());
        return r.complete() ? 0 : 1;
    }

    void validate() {
        options.validate();
        options.positive("--subscribers", subscribers);
        options.positive("--rate", rate);
        options.positive("--duration", durationSeconds);
        options.positive("--connect-concurrency", connectConcurrency);
        if (settleSeconds < 0) {
            throw options.fail("--settle must be 0 or more, got " + settleSeconds);
        }
    }

    FanoutRun.Plan plan() {
        return new FanoutRun.Plan(subscribers, rate, Duration.ofMillis((long) (durationSeconds * 1000)),
                connectConcurrency, options.timeout(), options.relayPid(), Duration.ofMillis((long) (settleSeconds * 1000)));
    }

    Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("subscribers", subscribers);
        p.put("rate", rate);
        p.put("duration_seconds", durationSeconds);
        p.put("settle_seconds", settleSeconds);
        return p;
    }
}
