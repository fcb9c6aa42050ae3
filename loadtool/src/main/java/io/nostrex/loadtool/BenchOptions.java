package io.nostrex.loadtool;

import io.nostrex.protocol.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options every bench mode shares: the target, the JSON result file, the wait bound. */
final class BenchOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--url", defaultValue = "ws://127.0.0.1:7777/", paramLabel = "URL",
            description = "relay WebSocket URL (default: ${DEFAULT-VALUE}); any relay, not only Nostrex")
    String url;

    @Option(names = "--allow-remote", description = "allow a URL that is not on this machine (loopback only by default)")
    boolean allowRemote;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the result as JSON to FILE")
    Path json;

    @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "longest any wait may take: connecting, EOSE, the last OK or delivery (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--relay-pid", paramLabel = "PID",
            description = "the relay's process id on this machine: its CPU time (and for idle its VmRSS) is read from /proc")
    Long relayPid;

    /** The relay's pid as a /proc folder name, or null. */
    String relayPid() {
        return relayPid == null ? null : relayPid.toString();
    }

    /** The relay URL, checked: ws or wss, and loopback unless --allow-remote. */
    URI target() {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw fail("--url is not a URL: " + url);
        }
        if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme())) {
            throw fail("--url must start with ws:// or wss://, got " + url);
        }
        if (uri.getHost() == null) {
            throw fail("--url has no host: " + url);
        }
        if (!allowRemote && !isLoopback(uri.getHost())) {
            throw fail("--url " + url + " is not on this machine; the load tool targets loopback unless --allow-remote");
        }
        return uri.getPath() == null || uri.getPath().isEmpty() ? URI.create(url + "/") : uri;
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    Duration timeout() {
        return Duration.ofSeconds(timeoutSeconds);
    }

    /** The relay and the clients of a run. */
    Target connect() {
        return Target.of(target(), timeout());
    }

    /** Checks the shared options; throws a usage error naming the option. */
    void validate() {
        positive("--timeout", timeoutSeconds);
        target();
        if (relayPid != null && ProcStatus.rssKib(relayPid()).isEmpty()) {
            throw fail("--relay-pid " + relayPid + ": cannot read /proc/" + relayPid + "/status");
        }
    }

    void positive(String option, double value) {
        if (!(value > 0)) {
            throw fail(option + " must be positive, got " + value);
        }
    }

    void atLeast(String option, double value, double min) {
        if (!(value >= min)) {
            throw fail(option + " must be at least " + min + ", got " + value);
        }
    }

    ParameterException fail(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Prints the header line of a mode. */
    void header(String mode, String what) {
        System.out.printf("bench %s %s: %s%n", mode, url, what);
    }

    /** Writes {@code {"mode","url","date","machine","params","result"}} to the --json file, if any. */
    void writeJson(String mode, Map<String, Object> params, Map<String, Object> result) throws IOException {
        if (json == null) {
            return;
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("mode", mode);
        doc.put("url", url);
        doc.put("date", Instant.now().toString());
        doc.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "java", System.getProperty("java.version"), "os", System.getProperty("os.name") + " "
                        + System.getProperty("os.version")));
        doc.put("params", params);
        doc.put("result", result);
        Json.mapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), doc);
        System.out.println("  result written to " + json);
    }
}
