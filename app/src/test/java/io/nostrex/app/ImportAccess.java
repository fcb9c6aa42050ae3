package io.nostrex.app;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** The import command's work, for the integration tests in another package. */
public final class ImportAccess {
    private ImportAccess() {}

    /** Imports {@code file} through the Kafka of {@code kafka}, or over WebSocket to {@code url} when not null; returns the summary. */
    public static String importFile(Path file, Map<String, Object> kafka, URI url, int window, PrintStream report) throws Exception {
        ImportTally tally = new ImportTally(window, report);
        try (ImportCommand.Input in = ImportCommand.Input.open(file.toString());
                ImportSender sender = url == null ? new KafkaImportSender(kafka, tally) : RelayImportSender.open(url, tally)) {
            ImportCommand.run(in, sender, tally, null);
        }
        return tally.summary();
    }
}
