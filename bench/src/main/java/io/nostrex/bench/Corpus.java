package io.nostrex.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The real-event corpus (data/real-events.jsonl.gz), found from the working directory upwards. */
final class Corpus {
    private Corpus() {}

    static List<String> lines() {
        Path file = locate();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            return in.lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path locate() {
        String explicit = System.getProperty("nostrex.corpus");
        if (explicit != null) {
            return Path.of(explicit);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("data/real-events.jsonl.gz");
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("data/real-events.jsonl.gz not found above the working directory;"
                + " run from the repository or pass -Dnostrex.corpus=PATH");
    }
}
