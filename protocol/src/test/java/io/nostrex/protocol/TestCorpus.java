package io.nostrex.protocol;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The corpus of 2,348 real signed events in {@code data/real-events.jsonl.gz} (one minified event per
 * line, every one with a valid id and signature). Found by walking up from the working directory, so
 * it works from any module; read once and cached.
 */
public final class TestCorpus {
    public static final String RELATIVE_PATH = "data/real-events.jsonl.gz";
    public static final int SIZE = 2348;

    private static volatile List<String> lines;
    private static volatile List<Event> events;

    private TestCorpus() {}

    /** The corpus file, looked up in the working directory and each of its parents. */
    public static Path path() {
        return RepoFiles.find(RELATIVE_PATH);
    }

    /** Every event as its original JSON line. */
    public static List<String> lines() {
        if (lines == null) {
            synchronized (TestCorpus.class) {
                if (lines == null) {
                    lines = List.copyOf(read(path()));
                }
            }
        }
        return lines;
    }

    /** Every event, parsed (not verified). */
    public static List<Event> events() {
        if (events == null) {
            synchronized (TestCorpus.class) {
                if (events == null) {
                    events = lines().stream().map(TestCorpus::parse).toList();
                }
            }
        }
        return events;
    }

    private static List<String> read(Path file) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            List<String> out = new ArrayList<>(SIZE);
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    out.add(line);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Event parse(String line) {
        try {
            return EventParser.parse(line);
        } catch (InvalidEventException e) {
            throw new IllegalStateException("corpus line does not parse: " + e.getMessage(), e);
        }
    }
}
