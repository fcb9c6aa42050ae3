package io.nostrex.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Everything one rendering of the chart produced, hooks and tests included. */
record Manifests(List<Manifest> all) {
    /** The four roles: each a workload of its own. */
    static final List<String> ROLES = List.of("gateway", "validator", "matcher", "archiver");

    static Manifests parse(String yaml) {
        return new Manifests(StrictManifests.parse(yaml));
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return all.stream().map(Manifest::object).filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    /** The ConfigMap every role reads its relay settings from. */
    ConfigMap settings() {
        return one(ConfigMap.class, Chart.FULLNAME);
    }

    /** Every pod the chart would run: the roles, the topics Job, the test Pod. */
    List<PodOwner> pods() {
        return Stream.of(
                all(Deployment.class).stream().map(d -> owner(d, d.getSpec().getTemplate())),
                all(StatefulSet.class).stream().map(s -> owner(s, s.getSpec().getTemplate())),
                all(Job.class).stream().map(j -> owner(j, j.getSpec().getTemplate())),
                all(Pod.class).stream().map(p -> owner(p, new PodTemplateSpec(p.getMetadata(), p.getSpec()))))
                .flatMap(s -> s)
                .toList();
    }

    /** The pod of one component (gateway, validator, matcher, archiver, topics, test). */
    PodOwner pod(String component) {
        return findPod(component).orElseThrow(() -> new AssertionError("no pod for " + component));
    }

    Optional<PodOwner> findPod(String component) {
        return pods().stream().filter(p -> component.equals(p.component())).findFirst();
    }

    private static PodOwner owner(HasMetadata owner, PodTemplateSpec template) {
        return new PodOwner(owner.getKind(), owner.getMetadata().getName(),
                Manifest.orEmpty(owner.getMetadata().getAnnotations()), template);
    }
}
