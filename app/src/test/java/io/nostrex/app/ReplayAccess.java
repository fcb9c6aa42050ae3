package io.nostrex.app;

import io.nostrex.archiver.Replay;
import java.util.function.Consumer;

/** The replay command's work, for the integration tests in another package. */
public final class ReplayAccess {
    private ReplayAccess() {}

    public static Replay.Counts replay(Settings s, Replay.Start start, boolean follow, String group, int batchSize,
                                       int writers, Consumer<Replay> started, Consumer<Replay.Progress> progress)
            throws InterruptedException {
        return ReplayCommand.replay(s, start, follow, group, batchSize, writers, started, progress);
    }
}
