package io.nostrex.app;

import io.nostrex.protocol.Event;

/** Where an import sends its events; the answers go to the {@link ImportTally}, keyed by line. */
interface ImportSender extends AutoCloseable {
    /**
     * Sends the event of {@code line}; its slot in the tally is taken already. Throws
     * IllegalStateException when the way to the relay is gone for good.
     */
    void send(long line, Event event);

    @Override
    void close();
}
