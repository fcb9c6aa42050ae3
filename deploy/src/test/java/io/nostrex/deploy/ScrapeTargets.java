package io.nostrex.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The host:port targets a Prometheus configuration scrapes at /metrics. */
final class ScrapeTargets {
    private static final YAMLMapper YAML = new YAMLMapper();

    private ScrapeTargets() {
    }

    /**
     * Reads a configuration, first filling each ${NAME} with the value given for it (as
     * run-prometheus does for the host-network template).
     */
    static Set<String> of(Path file, Map<String, String> values) {
        Set<String> targets = new TreeSet<>();
        for (JsonNode job : parse(file, values).path("scrape_configs")) {
            if (job.path("metrics_path").asText("/metrics").equals("/metrics")) {
                job.path("static_configs").forEach(c -> c.path("targets").forEach(t -> targets.add(t.asText())));
                job.path("dns_sd_configs").forEach(c -> c.path("names").forEach(n -> targets.add(n.asText() + ":" + c.path("port").asText())));
            }
        }
        return targets;
    }

    private static JsonNode parse(Path file, Map<String, String> values) {
        try {
            String text = Files.readString(file);
            for (Map.Entry<String, String> e : values.entrySet()) {
                text = text.replace("${" + e.getKey() + "}", e.getValue());
            }
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
