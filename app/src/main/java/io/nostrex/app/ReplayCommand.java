package io.nostrex.app;

import io.nostrex.archiver.ArchiverConfig;
import io.nostrex.contract.PolicyReader;
import io.nostrex.contract.PolicyView;
import io.nostrex.archiver.Replay;
import io.nostrex.store.Database;
import io.nostrex.store.EventStore;
import io.nostrex.store.PartitionMaintainer;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nostrex replay}: rebuilds the PostgreSQL of {@code DATABASE_URL} from {@code nostr.events}
 * (see {@link Replay}). Ctrl-C or SIGTERM stops it after the batch in hand; run it again to resume.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Store the events of nostr.events (KAFKA_BOOTSTRAP_SERVERS) in the",
                "PostgreSQL of DATABASE_URL, creating the schema in an empty database.",
                "Resumes where the last replay into that database stopped (positions are kept",
                "in the database), else starts from the beginning of the log. Stops at the end",
                "offsets it saw when it started, or keeps going with --follow until Ctrl-C.",
                "Progress on a terminal (else in the log every 30 s); the last line is",
                "'replayed N events: S stored, D duplicate, R replaced or deleted'."})
final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--since-time", paramLabel = "TIME",
            description = "start at the first record the log appended at or after TIME (ISO-8601, e.g. 2026-12-01T00:00:00Z, or unix seconds)")
    String sinceTime;

    @Option(names = "--from-offsets", paramLabel = "P:O[,P:O...]",
            description = "start partition P at offset O; partitions not named resume")
    String fromOffsets;

    @Option(names = "--follow", description = "keep replaying until stopped, never ahead of what the live archivers have stored (their group's committed offsets); the lag shown is behind them")
    boolean follow;

    @Option(names = "--group", defaultValue = Replay.DEFAULT_GROUP, description = "consumer group for lag tools (default: ${DEFAULT-VALUE})")
    String group;

    @Option(names = "--batch", defaultValue = "5000", description = "records per transaction (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--writers", defaultValue = "2",
            description = "database connections writing at once, each for a share of the authors (default: ${DEFAULT-VALUE})")
    int writers;

    @Override
    public Integer call() throws InterruptedException {
        Replay.Start start = start();
        Settings s = Settings.fromEnvironment();
        if (s.databaseUrl() == null) {
            throw new ParameterException(spec.commandLine(), "DATABASE_URL is not set (e.g. jdbc:postgresql://db:5432/nostrex)");
        }
        if (batchSize < 1 || writers < 1) {
            throw new ParameterException(spec.commandLine(), "--batch and --writers must be at least 1");
        }
        PrintStream progress = TerminalProgress.terminal();
        CountDownLatch finished = new CountDownLatch(1);
        ProgressLine line = new ProgressLine(progress, follow);
        try {
            Replay.Counts counts = replay(s, start, follow, group, batchSize, writers, r -> stopOnSignal(r, finished), line::show);
            line.clear();
            if (counts.skipped() > 0) {
                System.err.println("skipped " + counts.skipped() + " records that are not events (logged above)");
            }
            System.err.println(counts.summary());
            return 0;
        } catch (RuntimeException e) {
            line.clear();
            System.err.println(TerminalProgress.failure("replay", e));
            return 1;
        } finally {
            finished.countDown();
        }
    }

    /**
     * The replay into the database of {@code s}: schema and partitions made ready, the log replayed
     * ({@code started} gets the {@link Replay} first, to stop it; each batch's months get their
     * partitions before its rows), then the partitions and the purge of expired events that the live
     * archiver's housekeeping does.
     */
    static Replay.Counts replay(Settings s, Replay.Start start, boolean follow, String group, int batchSize, int writers,
                                Consumer<Replay> started, Consumer<Replay.Progress> progress) throws InterruptedException {
        try (Database db = Database.connect(s.databaseUrl(), s.databaseUser(), s.databasePassword(), writers + 1);
             PolicyReader policy = PolicyReader.start(s.kafka(), new PolicyView(), "replay")) {
            PartitionMaintainer partitions = new PartitionMaintainer(db.dataSource(), PartitionMaintainer.DEFAULT_MONTHS_AHEAD);
            partitions.maintain();
            // what the operators banned (NIP-86) stays out, as the live archivers keep it out
            if (!policy.awaitCaughtUp(Duration.ofSeconds(30))) {
                throw new IllegalStateException("could not read the policy topic (bans) in 30 s: " + policy.problem());
            }
            Replay replay = new Replay(s.kafka(), group, db.dataSource(), batchSize, writers,
                    ArchiverConfig.defaults(s.kafka()).group(), s.access().publicRelayUrls(), Relay.banned(policy.view()));
            started.accept(replay);
            Replay.Counts counts = replay.run(start, follow, progress);
            try {
                partitions.maintain(); // the replay prepared each batch's months; this is the daily upkeep, run once
                new EventStore(db.dataSource()).purgeExpired(Clock.systemUTC());
            } catch (RuntimeException e) {
                // what was replayed is stored and its positions too; the live archiver's housekeeping does this later
                System.err.println("after the replay, partition upkeep and the purge of expired events failed: " + e.getMessage());
            }
            return counts;
        }
    }

    /** Ctrl-C or SIGTERM: stop after the batch in hand, and let the summary print before the JVM ends. */
    private static void stopOnSignal(Replay replay, CountDownLatch finished) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            replay.stop();
            try {
                finished.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "replay-stop"));
    }

    Replay.Start start() {
        if (sinceTime != null && fromOffsets != null) {
            throw new ParameterException(spec.commandLine(), "--since-time and --from-offsets cannot go together");
        }
        if (sinceTime != null) {
            return new Replay.Start.SinceTime(parseTime(sinceTime));
        }
        if (fromOffsets != null) {
            return new Replay.Start.FromOffsets(parseOffsets(fromOffsets));
        }
        return new Replay.Start.Resume();
    }

    private long parseTime(String text) {
        try {
            return text.matches("\\d+") ? Long.parseLong(text) * 1000 : Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new ParameterException(spec.commandLine(),
                    "--since-time " + text + ": expected ISO-8601 (2026-12-01T00:00:00Z) or unix seconds");
        }
    }

    private Map<Integer, Long> parseOffsets(String text) {
        Map<Integer, Long> offsets = new TreeMap<>();
        for (String pair : text.split(",")) {
            String[] po = pair.trim().split(":");
            try {
                if (po.length != 2 || Integer.parseInt(po[0]) < 0 || Long.parseLong(po[1]) < 0) {
                    throw new NumberFormatException();
                }
                offsets.put(Integer.parseInt(po[0]), Long.parseLong(po[1]));
            } catch (NumberFormatException e) {
                throw new ParameterException(spec.commandLine(),
                        "--from-offsets " + text + ": expected partition:offset pairs, e.g. 0:1200,1:980");
            }
        }
        return offsets;
    }

    /** Count, rate, the log time reached, what is left and the ETA (or the lag when following). */
    private static final class ProgressLine {
        /** Without a terminal (a Kubernetes Job, say), the progress goes to the log this often. */
        private static final long LOG_EVERY_NANOS = 30_000_000_000L;
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReplayCommand.class);
        private final TerminalProgress line;
        private final boolean terminal;
        private final boolean follow;
        private final long started = System.nanoTime();
        private long lastLogged = started;

        ProgressLine(PrintStream to, boolean follow) {
            this.line = new TerminalProgress(to);
            this.terminal = to != null;
            this.follow = follow;
        }

        void show(Replay.Progress p) {
            double seconds;
            if (terminal) {
                seconds = line.due();
            } else {
                long now = System.nanoTime();
                seconds = now - lastLogged < LOG_EVERY_NANOS ? -1 : (now - started) / 1e9;
                lastLogged = seconds < 0 ? lastLogged : now;
            }
            if (seconds < 0) {
                return;
            }
            long n = p.counts().events() + p.counts().skipped();
            double rate = n / seconds;
            String tail = follow ? String.format("lag %,d", p.remaining())
                    : String.format("%,d left, ETA %.0f s", p.remaining(), rate > 0 ? p.remaining() / rate : 0.0);
            String text = String.format("replayed %,d events, %,.0f/s, log at %s, %s", n, rate,
                    Instant.ofEpochMilli(p.lastRecordMillis()), tail);
            if (terminal) {
                line.show(text);
            } else {
                LOG.info(text);
            }
        }

        void clear() {
            line.clear();
        }
    }
}
