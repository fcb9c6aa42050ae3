package io.nostrex.loadtool;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nostrex bench flood}: malformed frames at scale, and what they do to well-behaved clients. */
@Command(name = "flood", mixinStandardHelpOptions = true,
        description = {"Bad input at scale: probe clients time a small REQ 20 times a second each, alone (the baseline),",
                "then while attackers send malformed frames of many shapes (deep nesting, huge numbers, oversized frames,",
                "1,000 filters, 10,000 authors, unknown verbs, NEG-* junk, tampered EVENTs) at --rate over --attackers",
                "connections, then after --settle. Reports the probes' p99 under flood against the baseline and, with",
                "--relay-pid, the relay's memory; exit status 1 when a probe REQ got no EOSE."})
final class FloodCommand implements Callable<Integer> {
    @Mixin
    BenchOptions options;

    @Option(names = "--attackers", defaultValue = "50", description = "connections sending malformed frames (default: ${DEFAULT-VALUE})")
    int attackers;

    @Option(names = "--frames", defaultValue = "100000", description = "malformed frames in all (default: ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--rate", defaultValue = "5000", description = "malformed frames per second (default: ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--probes", defaultValue = "4", description = "well-behaved clients (default: ${DEFAULT-VALUE})")
    int probes;

    @Option(names = "--baseline", defaultValue = "10", paramLabel = "SECONDS",
            description = "how long the probes run alone, before and after (default: ${DEFAULT-VALUE})")
    int baselineSeconds;

    @Option(names = "--own-addresses", description = {"each attacker connection names an address of its own in",
            "X-Forwarded-For: start the relay with NOSTREX_CLIENT_IP_HEADER=X-Forwarded-For to see the flood",
            "come from that many addresses"})
    boolean ownAddresses;

    @Option(names = "--settle", defaultValue = "10", paramLabel = "SECONDS",
            description = "wait after the flood before reading memory again (default: ${DEFAULT-VALUE})")
    int settleSeconds;

    @Override
    public Integer call() throws Exception {
        options.validate();
        options.positive("--attackers", attackers);
        options.positive("--frames", frames);
        options.positive("--rate", rate);
        options.positive("--probes", probes);
        options.positive("--baseline", baselineSeconds);
        options.atLeast("--settle", settleSeconds, 0);
        options.header("flood", String.format("%,d frames at %,d/s over %d connections, %d probes", frames, rate,
                attackers, probes));
        FloodResult r = new FloodRun(new FloodRun.Plan(attackers, frames, rate, probes,
                Duration.ofSeconds(baselineSeconds), Duration.ofSeconds(settleSeconds), options.timeout(),
                options.relayPid(), ownAddresses)).run(options.connect());
        System.out.print(r.summary());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("attackers", attackers);
        params.put("frames", frames);
        params.put("rate", rate);
        params.put("probes", probes);
        params.put("baseline_seconds", baselineSeconds);
        params.put("settle_seconds", settleSeconds);
        params.put("own_addresses", ownAddresses);
        options.writeJson("flood", params, r.json());
        return r.complete() ? 0 : 1;
    }
}
