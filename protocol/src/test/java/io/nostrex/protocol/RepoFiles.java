package io.nostrex.protocol;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository, for tests of any module: looked up from the working directory upwards. */
public final class RepoFiles {
    private RepoFiles() {}

    /** The file at {@code relative} (a path from the repository root) in the working directory or a parent. */
    public static Path find(String relative) {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(relative + " not found in " + start + " or any parent");
    }
}
