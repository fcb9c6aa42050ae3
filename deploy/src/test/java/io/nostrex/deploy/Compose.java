package io.nostrex.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compose files read as Compose reads them: each file's {@code ${VAR:-default}} replaced by its
 * default (so the result does not depend on the environment of the test), or by the value given
 * for VAR when one is, then later files merged over earlier ones: mappings key by key,
 * {@code ports} appended, {@code volumes} by their target, every other list (command, entrypoint,
 * a health check's test, profiles) replaced.
 */
record Compose(String name, ObjectNode document) {

    static final Path ROOT = repositoryRoot();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

    static Compose load(String... files) {
        return load(Map.of(), files);
    }

    /** The files with the values of {@code variables} in place of their defaults (an empty value counts as unset, as with ":-"). */
    static Compose load(Map<String, String> variables, String... files) {
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        for (String file : files) {
            merge(merged, (ObjectNode) interpolate(read(ROOT.resolve(file)), variables));
        }
        return new Compose(String.join(" + ", files), merged);
    }

    /** A file as written, variables and all. */
    static JsonNode read(Path file) {
        try {
            return YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Map<String, Service> services() {
        Map<String, Service> services = new TreeMap<>();
        document.path("services").properties().forEach(e -> services.put(e.getKey(), new Service(e.getKey(), e.getValue())));
        return services;
    }

    Service service(String name) {
        Service service = services().get(name);
        if (service == null) {
            throw new AssertionError("no service " + name + " in " + this.name);
        }
        return service;
    }

    /** The services that run the Nostrex image. */
    List<Service> nostrex() {
        return services().values().stream().filter(Service::isNostrex).toList();
    }

    /** The long-running Nostrex roles: every Nostrex service but the one-shot topics. */
    List<Service> roles() {
        return nostrex().stream().filter(s -> !s.role().equals("topics")).toList();
    }

    @Override
    public String toString() {
        return name;
    }

    /** One service of the merged files. */
    record Service(String name, JsonNode node) {
        String image() {
            return node.path("image").asText();
        }

        boolean isNostrex() {
            return image().startsWith("nostrex/");
        }

        /** The Nostrex command (gateway, validator, ..., topics). */
        String role() {
            return command().isEmpty() ? "" : command().get(0);
        }

        Map<String, String> environment() {
            Map<String, String> env = new TreeMap<>();
            node.path("environment").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
            return env;
        }

        List<String> command() {
            return texts(node.path("command"));
        }

        List<String> entrypoint() {
            return texts(node.path("entrypoint"));
        }

        List<String> healthcheck() {
            return texts(node.path("healthcheck").path("test"));
        }

        List<String> ports() {
            return texts(node.path("ports"));
        }

        List<String> profiles() {
            return texts(node.path("profiles"));
        }

        /** Volume and bind mounts by their target in the container. */
        Map<String, String> volumes() {
            Map<String, String> byTarget = new LinkedHashMap<>();
            for (String volume : texts(node.path("volumes"))) {
                String[] parts = volume.split(":");
                byTarget.put(parts[1], parts[0]);
            }
            return byTarget;
        }

        /** depends_on: service -> condition. */
        Map<String, String> dependsOn() {
            Map<String, String> conditions = new TreeMap<>();
            node.path("depends_on").properties().forEach(e -> conditions.put(e.getKey(), e.getValue().path("condition").asText()));
            return conditions;
        }

        String networkMode() {
            return node.path("network_mode").asText("");
        }

        String restart() {
            return node.path("restart").asText("");
        }

        /** Every text the container is started with: environment values, command, entrypoint, health check. */
        List<String> texts() {
            List<String> all = new ArrayList<>(environment().values());
            all.addAll(command());
            all.addAll(entrypoint());
            all.addAll(healthcheck());
            return all;
        }

        private static List<String> texts(JsonNode list) {
            List<String> texts = new ArrayList<>();
            list.forEach(item -> texts.add(item.asText()));
            return texts;
        }
    }

    // --- interpolation and merging, as Compose does them ---

    static JsonNode interpolate(JsonNode node, Map<String, String> variables) {
        if (node.isTextual()) {
            return TextNode.valueOf(interpolate(node.asText(), variables));
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), interpolate(e.getValue(), variables)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> copy.add(interpolate(item, variables)));
            return copy;
        }
        return node;
    }

    /**
     * {@code $$} -> {@code $}; {@code ${VAR:-default}} -> the value of VAR in {@code variables}
     * when it is there and not empty, else default; a variable without a default is an error.
     */
    static String interpolate(String text, Map<String, String> variables) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = m.group(1) == null ? null : variables.get(m.group(1));
            if (m.group().equals("$$")) {
                m.appendReplacement(out, "\\$");
            } else if (value != null && !value.isEmpty()) {
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            } else if (m.group(2) != null) {
                m.appendReplacement(out, Matcher.quoteReplacement(m.group(2)));
            } else {
                throw new AssertionError("${" + m.group(1) + "} has no default in: " + text);
            }
        }
        return m.appendTail(out).toString();
    }

    private static final Set<String> APPENDED = Set.of("ports");

    static void merge(ObjectNode base, ObjectNode override) {
        override.properties().forEach(e -> {
            JsonNode mine = base.get(e.getKey());
            JsonNode theirs = e.getValue();
            if (mine instanceof ObjectNode mineObject && theirs instanceof ObjectNode theirsObject) {
                merge(mineObject, theirsObject);
            } else if (mine instanceof ArrayNode mineArray && APPENDED.contains(e.getKey())) {
                mineArray.addAll((ArrayNode) theirs);
            } else if (mine instanceof ArrayNode mineArray && e.getKey().equals("volumes")) {
                base.set(e.getKey(), mergeVolumes(mineArray, (ArrayNode) theirs));
            } else {
                base.set(e.getKey(), theirs.deepCopy());
            }
        });
    }

    private static ArrayNode mergeVolumes(ArrayNode base, ArrayNode override) {
        Map<String, JsonNode> byTarget = new LinkedHashMap<>();
        base.forEach(v -> byTarget.put(v.asText().split(":")[1], v));
        override.forEach(v -> byTarget.put(v.asText().split(":")[1], v));
        ArrayNode merged = JsonNodeFactory.instance.arrayNode();
        byTarget.values().forEach(merged::add);
        return merged;
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no docker-compose.yml above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
