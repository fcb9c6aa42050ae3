package io.nostrex.dev;

import io.nostrex.app.Main;
import picocli.CommandLine;

/**
 * The entry point of the laptop launcher ({@code ./nostrex}): every command of the app, plus
 * {@code dev}, which needs the embedded broker and database that the image leaves out.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return Main.commandLine().addSubcommand("dev", new DevCommand());
    }
}
