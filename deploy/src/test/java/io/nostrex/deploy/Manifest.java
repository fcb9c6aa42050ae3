package io.nostrex.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;

/**
 * One rendered object, typed, with the apiVersion and kind it was written with (a typed model may
 * answer its own apiVersion: Strimzi's KafkaTopic says v1 whatever it was read from).
 */
record Manifest(String apiVersion, String kind, HasMetadata object) {

    String name() {
        return object.getMetadata().getName();
    }

    Map<String, String> labels() {
        return orEmpty(object.getMetadata().getLabels());
    }

    Map<String, String> annotations() {
        return orEmpty(object.getMetadata().getAnnotations());
    }

    static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
