package io.nostrex.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the reference implementations run: nostr-tools under node, in {@code protocol/src/test/node}.
 * Without node or {@code npm ci} there, a test that needs them is skipped, unless
 * NOSTREX_REQUIRE_NODE=1 (set by .ci/run), which makes the skip a failure.
 */
public final class NodeReference {
    private NodeReference() {}

    public static Path dir() {
        Path dir = RepoFiles.find("protocol/src/test/node/harness.js").getParent();
        boolean ready = Files.isDirectory(dir.resolve("node_modules/nostr-tools")) && nodeRuns();
        if (!"1".equals(System.getenv("NOSTREX_REQUIRE_NODE"))) {
            assumeTrue(ready, "node and protocol/src/test/node/node_modules (npm ci there) are needed for the reference");
        }
        assertThat(ready).as("node and npm ci in protocol/src/test/node (NOSTREX_REQUIRE_NODE=1)").isTrue();
        return dir;
    }

    private static boolean nodeRuns() {
        try {
            return new ProcessBuilder("node", "--version").start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
