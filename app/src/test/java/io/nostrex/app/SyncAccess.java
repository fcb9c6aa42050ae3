package io.nostrex.app;

import io.nostrex.protocol.Filter;
import io.nostrex.store.EventQuery;
import java.io.PrintStream;
import java.net.URI;
import java.util.Map;

/** The sync command's work, for the integration tests in another package. */
public final class SyncAccess {
    private SyncAccess() {}

    /** Syncs the store of {@code local} (its Kafka for what is fetched) with the relay at {@code url}; returns the summary. */
    public static String sync(EventQuery local, Map<String, Object> kafka, URI url, Filter filter, String direction,
                              PrintStream log) throws Exception {
        return SyncCommand.sync(local, kafka, url, filter, SyncCommand.Direction.valueOf(direction), log,
                new TerminalProgress(null)).summary();
    }
}
