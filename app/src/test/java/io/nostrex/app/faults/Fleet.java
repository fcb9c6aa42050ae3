package io.nostrex.app.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The drill's processes, each a JVM of its own on this test's class path, its output in
 * {@code DIR/NAME.log} (appended across restarts). Stops only the processes it started.
 */
final class Fleet implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<String> JVM = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xss512k");

    private final Path dir;
    private final Map<String, Member> members = new LinkedHashMap<>();

    Fleet(Path dir) {
        this.dir = dir;
    }

    /** One process: how to start it, and how to tell it is ready. */
    final class Member {
        final String name;
        private final List<String> command;
        private final Map<String, String> env;
        /** An HTTP URL that answers 200 once ready, or null: ready when the log has one more {@link BrokerMain#READY}. */
        private final String readyUrl;
        private Process process;
        private int readyLines;

        Member(String name, List<String> command, Map<String, String> env, String readyUrl) {
            this.name = name;
            this.command = command;
            this.env = env;
            this.readyUrl = readyUrl;
        }

        Path log() {
            return dir.resolve(name + ".log");
        }

        void start() throws IOException {
            readyLines = readyLines();
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
            pb.environment().keySet().removeIf(k -> k.startsWith("NOSTREX_") || k.startsWith("KAFKA_")
                    || k.startsWith("DATABASE_"));
            pb.environment().putAll(env);
            process = pb.start();
        }

        void awaitReady(Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log());
                }
                if (readyUrl != null ? answers(readyUrl) : readyLines() > readyLines) {
                    return;
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException(name + " not ready after " + timeout + "; see " + log());
        }

        /** kill -9, and waits until it is gone. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        long pid() {
            return process.pid();
        }

        private int readyLines() throws IOException {
            if (!Files.exists(log())) {
                return 0;
            }
            return (int) Files.readAllLines(log()).stream().filter(l -> l.contains(BrokerMain.READY)).count();
        }
    }

    Member role(String name, String role, Map<String, String> env, String readyUrl) {
        return add(name, List.of(io.nostrex.app.Main.class.getName(), role), env, readyUrl);
    }

    Member main(String name, Class<?> main, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(main.getName());
        command.addAll(args);
        return add(name, command, Map.of(), null);
    }

    private Member add(String name, List<String> mainAndArgs, Map<String, String> env, String readyUrl) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(JVM);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(mainAndArgs);
        Member m = new Member(name, command, env, readyUrl);
        members.put(name, m);
        return m;
    }

    static boolean answers(String url) {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs a command to its end (the topics command, kill -STOP): its exit code. */
    int run(String name, String role, Map<String, String> env) throws Exception {
        Member m = role(name, role, env, null);
        m.start();
        if (!m.process.waitFor(120, TimeUnit.SECONDS)) {
            m.kill();
            throw new IllegalStateException(name + " did not finish; see " + m.log());
        }
        return m.process.exitValue();
    }

    /** Stops every process still running: SIGTERM, then kill -9 after 15 s. */
    @Override
    public void close() {
        for (Member m : members.values()) {
            if (m.process != null && m.process.isAlive()) {
                m.process.destroy();
            }
        }
        for (Member m : members.values()) {
            try {
                if (m.process != null && !m.process.waitFor(15, TimeUnit.SECONDS)) {
                    m.process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
