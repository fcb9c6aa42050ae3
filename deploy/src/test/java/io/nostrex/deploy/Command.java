package io.nostrex.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A program of this machine (docker, docker-compose) run to its end or a time bound, its output kept. */
final class Command {

    /** How it ended: the exit status (-1 when it could not start or ran out of time) and stdout with stderr. */
    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }

        /** The output's last lines, for a failure message. */
        String tail(int lines) {
            List<String> all = output.lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
    }

    private Command() {
    }

    static Result run(Duration timeout, List<String> args) {
        return run(Compose.ROOT, Map.of(), timeout, args);
    }

    /** Runs {@code args} in {@code dir} with {@code env} added to this JVM's environment. */
    static Result run(Path dir, Map<String, String> env, Duration timeout, List<String> args) {
        File output = null;
        try {
            output = File.createTempFile("nostrex-command", ".out");
            ProcessBuilder builder = new ProcessBuilder(args).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(output);
            builder.environment().putAll(env);
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new Result(-1, read(output) + "\n(" + String.join(" ", args) + ": no end within " + timeout.toSeconds() + " s)");
            }
            return new Result(process.exitValue(), read(output));
        } catch (IOException e) {
            return new Result(-1, String.join(" ", args) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, String.join(" ", args) + ": interrupted");
        } finally {
            if (output != null) {
                output.delete();
            }
        }
    }

    private static String read(File file) throws IOException {
        return new String(Files.readAllBytes(file.toPath()), StandardCharsets.UTF_8);
    }
}
