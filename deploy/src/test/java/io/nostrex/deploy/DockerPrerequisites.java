package io.nostrex.deploy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What the Docker tests need of this machine: a Docker engine that answers, Compose (v2's
 * {@code docker compose}, else {@code docker-compose}) and the images, already there (no registry
 * is asked). {@code missing} says, one entry each, what is not there.
 */
record DockerPrerequisites(List<String> compose, List<String> missing) {
    private static final Duration ASK = Duration.ofSeconds(30);
    private static final List<List<String>> COMPOSE_COMMANDS = List.of(List.of("docker", "compose"), List.of("docker-compose"));

    static DockerPrerequisites check(Collection<String> images) {
        Command.Result engine = Command.run(ASK, List.of("docker", "info", "--format", "{{.ServerVersion}}"));
        if (!engine.ok()) {
            return new DockerPrerequisites(List.of(), List.of("a Docker engine (docker info: " + engine.tail(3).strip() + ")"));
        }
        List<String> missing = new ArrayList<>();
        List<String> compose = composeCommand();
        if (compose.isEmpty()) {
            missing.add("Docker Compose (neither `docker compose version` nor `docker-compose version` works)");
        }
        for (String image : images) {
            if (!Command.run(ASK, List.of("docker", "image", "inspect", "--format", "{{.Id}}", image)).ok()) {
                missing.add("the image " + image + " on this engine");
            }
        }
        return new DockerPrerequisites(compose, missing);
    }

    boolean met() {
        return missing.isEmpty();
    }

    private static List<String> composeCommand() {
        for (List<String> command : COMPOSE_COMMANDS) {
            List<String> version = new ArrayList<>(command);
            version.add("version");
            if (Command.run(ASK, version).ok()) {
                return command;
            }
        }
        return List.of();
    }
}
