package io.nostrex.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one entry point: {@code ./nostrex <command>}. */
@Command(name = "nostrex", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Nostrex: a Nostr relay on Kafka and PostgreSQL.",
        subcommands = {RoleCommand.GatewayRole.class, RoleCommand.ValidatorRole.class,
                RoleCommand.MatcherRole.class, RoleCommand.ArchiverRole.class, RoleCommand.TopicsCommand.class,
                VerifyCommand.class, ExportCommand.class, ImportCommand.class, ReplayCommand.class, SyncCommand.class, CheckCommand.class, io.nostrex.loadtool.BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with every command of the app; the laptop launcher adds {@code dev}. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The version recorded in the jar manifest, or "dev" when run from classes. */
    public static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The version recorded in the jar manifest by Maven, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"nostrex " + version()};
        }
    }
}
