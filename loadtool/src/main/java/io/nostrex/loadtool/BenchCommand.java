package io.nostrex.loadtool;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code nostrex bench <mode>}: the load tool. Runs against any relay URL (loopback by default) so
 * the same figures can be taken from other relays. Every mode signs its events before measuring,
 * bounds every wait, prints a summary, can write JSON, and exits 1 when anything went missing.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Load tool: measure a relay (this one or any other) over WebSocket.",
                "Modes: publish (ingest), fanout (live delivery), query (REQ->EOSE), idle (memory per connection),",
                "hops (time between pipeline stages, read from Kafka), flood (malformed frames at scale).",
                "Exit status 0 when every EVENT, delivery and query was answered, 1 when something was missing."},
        subcommands = {PublishCommand.class, FanoutCommand.class, QueryCommand.class, IdleCommand.class, HopsCommand.class,
                FloodCommand.class,
                CommandLine.HelpCommand.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
