package io.nostrex.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.Map;
import java.util.Optional;

/**
 * What runs a pod (Deployment, StatefulSet, Job or bare Pod), seen through its pod template: every
 * pod of the chart has one container.
 */
record PodOwner(String kind, String name, Map<String, String> annotations, PodTemplateSpec template) {
    static final String COMPONENT = "app.kubernetes.io/component";

    String component() {
        return labels().get(COMPONENT);
    }

    Map<String, String> labels() {
        return Manifest.orEmpty(template.getMetadata().getLabels());
    }

    Map<String, String> podAnnotations() {
        return Manifest.orEmpty(template.getMetadata().getAnnotations());
    }

    PodSpec spec() {
        return template.getSpec();
    }

    Container container() {
        if (spec().getContainers().size() != 1) {
            throw new AssertionError(this + " has " + spec().getContainers().size() + " containers");
        }
        return spec().getContainers().get(0);
    }

    Optional<EnvVar> env(String name) {
        return container().getEnv().stream().filter(e -> e.getName().equals(name)).findFirst();
    }

    /** The plain value of a variable set on the container; fails when absent or taken from a reference. */
    String envValue(String name) {
        return env(name).map(EnvVar::getValue).orElseThrow(() -> new AssertionError(this + " sets no " + name));
    }

    /** The container port a probe or Service names, by number or by port name. */
    int containerPort(IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container().getPorts().stream()
                .filter(p -> port.getStrVal().equals(p.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(this + " has no port named " + port.getStrVal()))
                .getContainerPort();
    }

    @Override
    public String toString() {
        return kind + " " + name;
    }
}
