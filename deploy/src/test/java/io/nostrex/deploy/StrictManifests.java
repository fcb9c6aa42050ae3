package io.nostrex.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads rendered YAML into typed Kubernetes objects and refuses what the API server would refuse
 * before any controller sees it: an unknown field, or a value of the wrong type.
 *
 * <p>The fabric8 models keep unknown fields in {@code additionalProperties} through
 * {@code @JsonAnySetter}, so failing on unknown properties alone lets a misspelt field through.
 * Here the any-setters are not seen at all, and scalars are never coerced ("1" is no integer, 1 no
 * string), as the API server's decoder does.
 */
final class StrictManifests {
    private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.ofEntries(
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/Pod", Pod.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", PodMonitor.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class));

    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final JsonMapper STRICT = JsonMapper.builder()
            .annotationIntrospector(new WithoutAnySetters())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .build();

    private StrictManifests() {}

    /** Every document of a multi-document YAML stream; empty documents are skipped. */
    static List<Manifest> parse(String yaml) {
        List<Manifest> manifests = new ArrayList<>();
        Iterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml);
        while (documents.hasNext()) {
            JsonNode document = documents.next();
            if (document != null && !document.isNull() && !document.isEmpty()) {
                manifests.add(typed(document));
            }
        }
        return manifests;
    }

    private static Manifest typed(JsonNode document) {
        String apiVersion = document.path("apiVersion").asString();
        String kind = document.path("kind").asString();
        String name = document.path("metadata").path("name").asString();
        Class<? extends HasMetadata> type = TYPES.get(apiVersion + "/" + kind);
        if (type == null) {
            throw new IllegalArgumentException(kind + " " + name + ": no model for " + apiVersion + " " + kind);
        }
        try {
            return new Manifest(apiVersion, kind, STRICT.treeToValue(document, type));
        } catch (JacksonException e) {
            throw new IllegalArgumentException(kind + " " + name + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Jackson's own annotations, less {@code @JsonAnySetter}: no bag for unknown fields. */
    private static final class WithoutAnySetters extends JacksonAnnotationIntrospector {
        private static final long serialVersionUID = 1L;

        @Override
        public Boolean hasAnySetter(MapperConfig<?> config, Annotated annotated) {
            return null;
        }
    }
}
