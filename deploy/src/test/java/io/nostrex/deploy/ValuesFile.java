package io.nostrex.deploy;

import java.nio.file.Path;

/** The values files the chart ships and the tests render: its defaults and the two examples. */
enum ValuesFile {
    DEFAULT(null),
    PRODUCTION("examples/values-production.yaml"),
    STRIMZI_CNPG("examples/values-strimzi-cnpg.yaml");

    /** Relative to the chart; null for the chart's own values.yaml alone. */
    private final String path;

    ValuesFile(String path) {
        this.path = path;
    }

    /** The file in the given chart directory, or null for the defaults. */
    Path in(Path chart) {
        return path == null ? null : chart.resolve(path);
    }
}
