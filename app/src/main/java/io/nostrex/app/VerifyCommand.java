package io.nostrex.app;

import io.nostrex.protocol.EventVerifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code nostrex verify FILE}: checks every event of a JSONL file. Reads in batches (bounded memory
 * whatever the file size), checks a batch on all cores, prints invalid lines in file order.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check every event in a JSONL file: shape, id and BIP-340 signature.",
                "Lines may be event objects, [\"EVENT\",{...}] or [\"EVENT\",\"subid\",{...}].",
                "Prints one line per invalid event, then 'checked N events: V valid, I invalid'.",
                "Exit status 0 only when no event is invalid."})
final class VerifyCommand implements Callable<Integer> {
    private static final int BATCH = 4096;

    @Parameters(paramLabel = "FILE", description = "JSONL file to check ('-' for standard input)")
    String file;

    @Override
    public Integer call() throws IOException {
        try (BufferedReader in = "-".equals(file)
                ? new BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            Tally tally = run(in, System.out, TerminalProgress.terminal());
            return tally.invalid == 0 ? 0 : 1;
        }
    }

    /** Counts of one run. */
    static final class Tally {
        long checked;
        long invalid;
    }

    static Tally run(BufferedReader in, PrintStream out, PrintStream progress) throws IOException {
        LineChecker checker = new LineChecker(EventVerifier.best());
        Tally tally = new Tally();
        long lineNumber = 0;
        long lastProgress = System.nanoTime();
        List<String> batch = new ArrayList<>(BATCH);
        String line;
        do {
            line = in.readLine();
            if (line != null) {
                batch.add(line);
            }
            if (batch.size() == BATCH || (line == null && !batch.isEmpty())) {
                lineNumber = report(checker, batch, lineNumber, tally, out);
                batch.clear();
                if (progress != null && System.nanoTime() - lastProgress > 1_000_000_000L) {
                    progress.print("\rchecked " + tally.checked + " events, " + tally.invalid + " invalid...");
                    lastProgress = System.nanoTime();
                }
            }
        } while (line != null);
        if (progress != null) {
            progress.print("\r\033[K");
        }
        out.println("checked " + tally.checked + " events: " + (tally.checked - tally.invalid) + " valid, "
                + tally.invalid + " invalid");
        return tally;
    }

    private static long report(LineChecker checker, List<String> batch, long firstLine, Tally tally, PrintStream out) {
        LineChecker.Result[] results = new LineChecker.Result[batch.size()];
        IntStream.range(0, batch.size()).parallel().forEach(i ->
                results[i] = batch.get(i).isBlank() ? null : checker.check(batch.get(i)));
        for (int i = 0; i < results.length; i++) {
            LineChecker.Result r = results[i];
            if (r == null) {
                continue;
            }
            tally.checked++;
            if (!r.valid()) {
                tally.invalid++;
                out.println("line " + (firstLine + i + 1) + ": " + (r.eventId() == null ? "-" : r.eventId())
                        + ": " + r.reason());
            }
        }
        return firstLine + batch.size();
    }
}
