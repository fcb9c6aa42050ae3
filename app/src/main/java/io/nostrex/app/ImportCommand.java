package io.nostrex.app;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.InvalidEventException;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nostrex import [FILE|-]}: sends every event of a JSONL file (or .gz) through a relay's
 * validation and policy, exactly as a client's EVENT, and reports what became of each line.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import the events of a JSONL file (.gz too; '-' or nothing: standard input).",
                "Lines are event objects, [\"EVENT\",{...}] or [\"EVENT\",\"subid\",{...}].",
                "Each event is judged as a client's EVENT: through nostr.ingress of",
                "KAFKA_BOOTSTRAP_SERVERS, or over WebSocket to any relay with --url.",
                "Each line not taken is reported (line number, reason). The last line is",
                "'imported N events: A accepted, D duplicate, I invalid, B blocked'",
                "(then ', F failed' and exit status 1 when the relay could not confirm some)."})
final class ImportCommand implements Callable<Integer> {
    /** How long an import waits for the last answers when none comes. */
    static final long STALL_MILLIS = 120_000;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "FILE", defaultValue = "-", description = "JSONL file, .gz or not ('-': standard input)")
    String file;

    @Option(names = "--url", paramLabel = "ws://...", description = "import over WebSocket into this relay instead of through Kafka")
    URI url;

    @Option(names = "--window", paramLabel = "N",
            description = "events sent and not answered yet, at most (default: 20000 through Kafka, 1000 over WebSocket)")
    Integer window;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Settings s = Settings.fromEnvironment();
        if (url == null && !s.kafka().containsKey("bootstrap.servers")) {
            throw new ParameterException(spec.commandLine(), "KAFKA_BOOTSTRAP_SERVERS is not set; or import into a relay with --url ws://...");
        }
        if (url != null && !url.getScheme().matches("wss?")) {
            throw new ParameterException(spec.commandLine(), "--url must be ws:// or wss://: " + url);
        }
        ImportTally tally = new ImportTally(window != null ? window : url == null ? 20_000 : 1_000, System.err);
        Input in = Input.open(file);
        try (in; ImportSender sender = url == null ? new KafkaImportSender(s.kafka(), tally) : RelayImportSender.open(url, tally)) {
            run(in, sender, tally, TerminalProgress.terminal());
        } catch (IllegalStateException | org.apache.kafka.common.KafkaException e) {
            System.err.println(TerminalProgress.failure("import", e));
            return 1;
        }
        System.err.println(tally.summary());
        return tally.count(ImportTally.Outcome.FAILED) == 0 ? 0 : 1;
    }

    /** Sends every line's event, then waits for the last answers (giving up after a stall). */
    static void run(Input in, ImportSender sender, ImportTally tally, PrintStream progress) throws IOException, InterruptedException {
        Progress p = new Progress(progress, in);
        long line = 0;
        for (String text; (text = in.reader.readLine()) != null; ) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            Event e;
            try {
                e = LineChecker.event(text);
            } catch (InvalidEventException bad) {
                tally.rejectedHere(line, bad.getMessage());
                continue;
            }
            if (!tally.sending(line, e.id(), STALL_MILLIS)) {
                tally.giveUp("no answer within " + STALL_MILLIS / 1000 + " s");
                System.err.println("import stopped at line " + line + ": the relay stopped answering");
                break;
            }
            try {
                sender.send(line, e);
            } catch (IllegalStateException gone) {
                tally.giveUp(gone.getMessage());
                System.err.println("import stopped at line " + line + ": " + gone.getMessage());
                break;
            }
            p.show(tally, line);
        }
        long lastLine = line;
        tally.awaitAnswers(STALL_MILLIS, () -> p.show(tally, lastLine));
        p.clear();
    }

    /** The input's lines, and how many bytes of the file were read (for the ETA). */
    static final class Input implements AutoCloseable {
        final BufferedReader reader;
        final long size;
        private final Counting counting;

        private Input(InputStream raw, long size, boolean gzip) throws IOException {
            this.counting = new Counting(raw);
            this.size = size;
            InputStream in = gzip ? new GZIPInputStream(counting, 1 << 16) : counting;
            this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        }

        static Input open(String file) throws IOException {
            if ("-".equals(file)) {
                return new Input(System.in, -1, false);
            }
            Path p = Path.of(file);
            return new Input(Files.newInputStream(p), Files.size(p), file.endsWith(".gz"));
        }

        long bytesRead() {
            return counting.count;
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(0, n);
            return n;
        }
    }

    /** Answered, rate, the line reached, how much of the file and the ETA. */
    private static final class Progress {
        private final TerminalProgress line;
        private final Input in;

        Progress(PrintStream to, Input in) {
            this.line = new TerminalProgress(to);
            this.in = in;
        }

        void show(ImportTally tally, long lineNumber) {
            double seconds = line.due();
            if (seconds < 0) {
                return;
            }
            long n = tally.answered();
            String where = "line " + lineNumber;
            if (in.size > 0) {
                double done = (double) in.bytesRead() / in.size;
                where += String.format(", %.0f%% of the file, ETA %.0f s", 100 * done, done > 0 ? seconds * (1 - done) / done : 0.0);
            }
            line.show(String.format("imported %,d events, %,.0f/s, %s", n, n / seconds, where));
        }

        void clear() {
            line.clear();
        }
    }
}
