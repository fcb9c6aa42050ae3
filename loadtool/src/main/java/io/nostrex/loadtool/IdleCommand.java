package io.nostrex.loadtool;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nostrex bench idle}: many idle connections, each with one REQ; relay memory per connection. */
@Command(name = "idle", mixinStandardHelpOptions = true,
        description = {"Idle connections: hold N connections with one REQ each; relay memory per connection.",
                "With --relay-pid, reads the relay's VmRSS before and after connecting.",
                "Each connection needs a file descriptor here and in the relay: raise 'ulimit -n' first.",
                "Connecting may take --timeout per 1,000 connections; then every REQ must get EOSE within --timeout."})
final class IdleCommand implements Callable<Integer> {
    /** Descriptors this JVM needs besides its sockets (jars, selector, stdio). */
    static final int SPARE_FILES = 200;

    @Mixin
    BenchOptions options;

    @Option(names = "--connections", defaultValue = "10000", description = "connections to open (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--hold", defaultValue = "10", paramLabel = "SECONDS", description = "how long to hold them (default: ${DEFAULT-VALUE})")
    int holdSeconds;

    @Option(names = "--connect-concurrency", defaultValue = "200", description = "handshakes in flight (default: ${DEFAULT-VALUE})")
    int connectConcurrency;

    @Override
    public Integer call() throws Exception {
        validate();
        options.header("idle", String.format("%,d connections held %d s%s", connections, holdSeconds,
                options.relayPid == null ? "" : ", relay pid " + options.relayPid));
        System.out.print(fileLimits());
        IdleResult r = new IdleRun(plan()).run(options.connect());
        System.out.print(r.summary());
        options.writeJson("idle", params(), r.json());
        return r.complete() ? 0 : 1;
    }

    void validate() {
        options.validate();
        options.positive("--connections", connections);
        options.atLeast("--hold", holdSeconds, 0);
        options.positive("--connect-concurrency", connectConcurrency);
    }

    /** The open-files limits here and in the relay, with a warning when they are too low for N connections. */
    String fileLimits() {
        StringBuilder sb = new StringBuilder();
        ProcStatus.FileLimit mine = ProcStatus.openFiles("self");
        long open = ProcStatus.openFileCount();
        sb.append(String.format("  files       this tool: limit %s (hard %s), %d open%n", limit(mine.soft()), limit(mine.hard()), open));
        if (mine.soft() >= 0 && mine.soft() - Math.max(0, open) < connections + SPARE_FILES) {
            sb.append(String.format("  WARNING     %,d connections need about %,d files here: only about %,d will open;"
                    + " raise it with 'ulimit -n %d' (at most the hard limit) before starting the tool%n", connections,
                    connections + SPARE_FILES, Math.max(0, mine.soft() - open - SPARE_FILES), connections + SPARE_FILES));
        }
        if (options.relayPid != null) {
            ProcStatus.FileLimit relay = ProcStatus.openFiles(options.relayPid());
            sb.append(String.format("  files       relay: limit %s (hard %s)%n", limit(relay.soft()), limit(relay.hard())));
            if (relay.soft() >= 0 && relay.soft() < connections + 1000) {
                sb.append("  WARNING     the relay may run out of files: start it after 'ulimit -n "
                        + (connections + 1000) + "'\n");
            }
        }
        return sb.toString();
    }

    private static String limit(long v) {
        return v < 0 ? "unlimited" : String.format("%,d", v);
    }

    IdleRun.Plan plan() {
        return new IdleRun.Plan(connections, Duration.ofSeconds(holdSeconds), connectConcurrency, options.timeout(),
                options.relayPid());
    }

    Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("connections", connections);
        p.put("hold_seconds", holdSeconds);
        p.put("relay_pid", options.relayPid);
        return p;
    }
}
