package io.nostrex.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The chart helm/nostrex, linted and rendered by Helm 3 inside the test JVM (helm-java). Each
 * rendering is parsed once and shared by every test class.
 *
 * <p>helm-java's template answers the release manifest without its hooks (the topics Job and the
 * test Pod). To see them too, the chart is rendered from a copy in which the hook annotation key
 * is replaced by a stand-in Helm does not know, and the key is put back in the output: the objects
 * are the ones Helm creates as hooks, byte for byte.
 */
final class Chart {
    static final String RELEASE = "relay";
    static final String NAMESPACE = "nostr";
    /** The release's full name, the prefix of every resource. */
    static final String FULLNAME = RELEASE + "-nostrex";
    /** A current Kubernetes: helm-java's default, 1.20, is older than the chart's kubeVersion. */
    static final String KUBE_VERSION = "1.31.0";
    static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    static final Path SOURCE = MODULE.resolve("../helm/nostrex").normalize();

    private static final Path WORK = MODULE.resolve("target/charts");
    private static final String HOOK = "helm.sh/hook";
    private static final String HOOK_STAND_IN = "stand-in.nostrex.test/hook";
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final Map<Rendering, Manifests> RENDERED = new ConcurrentHashMap<>();
    private static Path hooksVisible;

    private Chart() {}

    /** The resource name of one component: relay-nostrex-gateway. */
    static String name(String component) {
        return FULLNAME + "-" + component;
    }

    static Manifests render(ValuesFile values) {
        return render(values, Map.of());
    }

    /** The chart rendered with a values file and --set values, parsed strictly; cached. */
    static Manifests render(ValuesFile values, Map<String, Object> sets) {
        return RENDERED.computeIfAbsent(new Rendering(values, new TreeMap<>(sets)),
                r -> Manifests.parse(template(r.values(), r.sets())));
    }

    /** Helm's output, hooks included; throws IllegalStateException with Helm's message when Helm refuses. */
    static String template(ValuesFile values, Map<String, Object> sets) {
        Path chart = hooksVisible();
        TemplateCommand command = new Helm(chart).template()
                .withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
        if (values.in(chart) != null) {
            command = command.withValuesFile(values.in(chart));
        }
        for (Map.Entry<String, Object> set : new TreeMap<>(sets).entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        return command.call().replace(HOOK_STAND_IN, HOOK);
    }

    /**
     * helm lint --strict with a values file. Helm's linter reads only the chart's values.yaml, so
     * the file is merged into it, as Helm merges -f files, in a copy of the chart.
     */
    static LintResult lint(ValuesFile values) {
        Path chart = values.in(SOURCE) == null ? SOURCE : withValuesMerged(values);
        return new Helm(chart).lint().strict().call();
    }

    private static synchronized Path hooksVisible() {
        if (hooksVisible == null) {
            hooksVisible = copy(WORK.resolve("hooks-visible"));
            replaceInTemplates(hooksVisible, HOOK, HOOK_STAND_IN);
        }
        return hooksVisible;
    }

    private static Path withValuesMerged(ValuesFile values) {
        Path chart = copy(WORK.resolve("lint-" + values.name().toLowerCase()));
        ObjectNode merged = (ObjectNode) read(SOURCE.resolve("values.yaml"));
        overlay(merged, read(values.in(SOURCE)));
        write(chart.resolve("values.yaml"), YAML.writeValueAsString(merged));
        return chart;
    }

    /** Helm's merge of values: maps merge key by key, anything else replaces, null removes. */
    static void overlay(ObjectNode base, JsonNode top) {
        for (Map.Entry<String, JsonNode> field : top.properties()) {
            JsonNode under = base.get(field.getKey());
            if (field.getValue().isNull()) {
                base.remove(field.getKey());
            } else if (under != null && under.isObject() && field.getValue().isObject()) {
                overlay((ObjectNode) under, field.getValue());
            } else {
                base.set(field.getKey(), field.getValue());
            }
        }
    }

    /** A fresh copy of the chart, named nostrex as Helm wants, under {@code parent}. */
    private static Path copy(Path parent) {
        Path target = parent.resolve("nostrex");
        delete(parent);
        try (Stream<Path> files = Files.walk(SOURCE)) {
            for (Path file : files.toList()) {
                Path copied = target.resolve(SOURCE.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copied);
                } else {
                    Files.copy(file, copied);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    private static void replaceInTemplates(Path chart, String text, String replacement) {
        try (Stream<Path> files = Files.walk(chart.resolve("templates"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                write(file, Files.readString(file).replace(text, replacement));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Rendering(ValuesFile values, Map<String, Object> sets) {}
}
