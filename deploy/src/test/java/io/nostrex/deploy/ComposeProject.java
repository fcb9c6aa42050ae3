package io.nostrex.deploy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Compose project of docker-compose.yml with the host-network override, run by whichever
 * Compose this machine has ({@code docker compose} or {@code docker-compose}), with its own name
 * and variables (ports, images). Every command has a time bound.
 */
final class ComposeProject {
    static final List<String> FILES = List.of("docker-compose.yml", "deploy/compose/host-network.yml");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);

    /** One container of a service, as {@code docker inspect} sees it; pid is on this machine. */
    record Container(String id, String status, long pid, int restartCount, int exitCode) {
        boolean running() {
            return status.equals("running");
        }
    }

    private final List<String> compose;
    private final String name;
    private final Map<String, String> variables;

    ComposeProject(List<String> compose, String name, Map<String, String> variables) {
        this.compose = List.copyOf(compose);
        this.name = name;
        this.variables = Map.copyOf(variables);
    }

    String name() {
        return name;
    }

    /** Starts the services and what they depend on, waiting for the dependencies' conditions; never builds. */
    Command.Result up(List<String> services, Duration timeout) {
        List<String> args = new ArrayList<>(List.of("up", "-d", "--no-build"));
        args.addAll(services);
        return compose(timeout, args);
    }

    /** Removes the containers, the volumes and the network. */
    Command.Result down() {
        return compose(COMMAND_TIMEOUT, List.of("down", "-v", "--remove-orphans"));
    }

    String logs(String service, int tail) {
        return compose(COMMAND_TIMEOUT, List.of("logs", "--no-color", "--tail=" + tail, service)).output();
    }

    /** The service's one container; fails when there is none. */
    Container container(String service) {
        Command.Result ps = compose(COMMAND_TIMEOUT, List.of("ps", "-a", "-q", service));
        String id = ps.output().strip();
        if (!ps.ok() || id.isEmpty() || id.contains("\n")) {
            throw new AssertionError("no single container for " + service + " in " + name + ": " + ps.output());
        }
        Command.Result inspect = Command.run(COMMAND_TIMEOUT, List.of("docker", "inspect", "--format",
                "{{.State.Status}} {{.State.Pid}} {{.RestartCount}} {{.State.ExitCode}}", id));
        String[] state = inspect.output().strip().split(" ");
        if (!inspect.ok() || state.length != 4) {
            throw new AssertionError("docker inspect " + id + " (" + service + "): " + inspect.output());
        }
        return new Container(id, state[0], Long.parseLong(state[1]), Integer.parseInt(state[2]), Integer.parseInt(state[3]));
    }

    private Command.Result compose(Duration timeout, List<String> args) {
        List<String> command = new ArrayList<>(compose);
        command.addAll(List.of("-p", name));
        FILES.forEach(file -> command.addAll(List.of("-f", file)));
        command.addAll(args);
        return Command.run(Compose.ROOT, variables, timeout, command);
    }
}
