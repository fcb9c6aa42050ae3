package io.nostrex.loadtool;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The well-behaved clients of {@code bench flood}, in a JVM of their own: other users of the relay
 * are not in the attacker's process, and in the same JVM the attackers' garbage stopped the probes
 * too (a 57 ms collection of the tool's showed up as a 73 ms REQ of every probe). Each probe asks a
 * small REQ (kind 1, limit 10) every 50 ms, one at a time, and its latency to EOSE is recorded in the
 * current phase; one not answered within the timeout counts as unanswered.
 *
 * <p>The parent drives it over standard input and output: the child prints {@code ready} once its
 * sockets are open and starts phase 0; each {@code next} line starts the next phase; {@code end}
 * stops it, and it prints one line per phase ({@code phase I N s1 s2 ... sN}, the latencies in
 * nanoseconds) and then {@code unanswered U}.
 */
final class ProbeProcess {
    private ProbeProcess() {
    }

    /** The child: {@code ProbeProcess URL PROBES TIMEOUT_MILLIS}. */
    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int n = Integer.parseInt(args[1]);
        Duration timeout = Duration.ofMillis(Long.parseLong(args[2]));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Probes probes = new Probes(Target.of(uri, timeout, 1), n, timeout);
        out.println("ready");
        Thread rounds = new Thread(() -> {
            try {
                probes.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "probe-rounds");
        rounds.start();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.equals("end"); line = in.readLine()) {
            if (line.equals("next")) {
                probes.nextPhase();
            }
        }
        rounds.interrupt();
        rounds.join();
        probes.close();
        List<long[]> phases = probes.phases();
        for (int i = 0; i < phases.size(); i++) {
            StringBuilder sb = new StringBuilder("phase ").append(i).append(' ').append(phases.get(i).length);
            for (long v : phases.get(i)) {
                sb.append(' ').append(v);
            }
            out.println(sb);
        }
        out.println("unanswered " + probes.unanswered.get());
        System.exit(0);
    }

    /** The probes as seen from the parent: a child process started and ready. */
    static final class Child implements AutoCloseable {
        private final Process process;
        private final PrintStream commands;
        private final BufferedReader answers;

        private Child(Process process) {
            this.process = process;
            this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
            this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        /**
         * Starts {@code n} probes against {@code uri} in a new JVM (this JVM's java and class path; a
         * small heap and the serial collector, whose young collections of a few MB take well under a
         * millisecond), and waits until they are connected and asking (phase 0).
         */
        static Child start(URI uri, int n, Duration timeout) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process p = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-cp",
                    System.getProperty("java.class.path"), ProbeProcess.class.getName(),
                    uri.toString(), Integer.toString(n), Long.toString(timeout.toMillis()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Child c = new Child(p);
            String first = c.answers.readLine();
            if (!"ready".equals(first)) {
                p.destroyForcibly();
                throw new IOException("the probe process did not start (" + first + "); its errors are above");
            }
            return c;
        }

        /** Ends the current phase and starts the next. */
        void next() {
            commands.println("next");
        }

        /** Stops the probes; the latencies of each phase, in order, and the count of unanswered REQs. */
        Result end() throws IOException, InterruptedException {
            commands.println("end");
            List<Latencies> phases = new ArrayList<>();
            int unanswered = -1;
            for (String line = answers.readLine(); line != null; line = answers.readLine()) {
                String[] f = line.split(" ");
                if (f[0].equals("phase")) {
                    Latencies l = new Latencies();
                    for (int i = 3; i < f.length; i++) {
                        l.add(Long.parseLong(f[i]));
                    }
                    phases.add(l);
                } else if (f[0].equals("unanswered")) {
                    unanswered = Integer.parseInt(f[1]);
                }
            }
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0 || unanswered < 0) {
                throw new IOException("the probe process failed (exit " + (process.isAlive() ? "none" : process.exitValue())
                        + "); its errors are above");
            }
            return new Result(phases, unanswered);
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    record Result(List<Latencies> phases, int unanswered) {}

    /** The probe sockets and their rounds. */
    private static final class Probes implements AutoCloseable {
        private final List<RelaySocket> sockets;
        private final long[] askedAt;
        private final int[] serial;
        private final Duration timeout;
        private final List<long[]> done = new ArrayList<>();
        private List<Long> current = new ArrayList<>();
        final AtomicInteger unanswered = new AtomicInteger();

        Probes(Target target, int n, Duration timeout) throws InterruptedException {
            this.timeout = timeout;
            this.askedAt = new long[n];
            this.serial = new int[n];
            RelaySocket.Opened opened = RelaySocket.openAll(target, n, n, i -> (socket, text, now) -> {
                String eose = "[\"EOSE\",\"p" + serial[i] + "\"]";
                synchronized (this) {
                    if (askedAt[i] != 0 && text.equals(eose)) {
                        current.add(now - askedAt[i]);
                        askedAt[i] = 0;
                        socket.send("[\"CLOSE\",\"p" + serial[i] + "\"]");
                    }
                }
            }, timeout);
            if (opened.sockets().size() < n) {
                throw new IllegalStateException("could not open the probes' sockets: " + opened.firstError());
            }
            this.sockets = opened.sockets();
        }

        /** Asks a round every 50 ms until interrupted. */
        void run() throws InterruptedException {
            long nextRound = System.nanoTime();
            while (!Thread.currentThread().isInterrupted()) {
                synchronized (this) {
                    for (int i = 0; i < sockets.size(); i++) {
                        long now = System.nanoTime();
                        if (askedAt[i] != 0 && now - askedAt[i] > timeout.toNanos()) {
                            unanswered.incrementAndGet();
                            askedAt[i] = 0;
                        }
                        if (askedAt[i] == 0) {
                            serial[i]++;
                            askedAt[i] = now;
                            sockets.get(i).send("[\"REQ\",\"p" + serial[i] + "\",{\"kinds\":[1],\"limit\":10}]");
                        }
                    }
                }
                nextRound += 50_000_000L;
                long wait = nextRound - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        }

        synchronized void nextPhase() {
            done.add(current.stream().mapToLong(Long::longValue).toArray());
            current = new ArrayList<>();
        }

        synchronized List<long[]> phases() {
            List<long[]> all = new ArrayList<>(done);
            all.add(current.stream().mapToLong(Long::longValue).toArray());
            return all;
        }

        @Override
        public void close() {
            sockets.forEach(RelaySocket::abort);
        }
    }
}
