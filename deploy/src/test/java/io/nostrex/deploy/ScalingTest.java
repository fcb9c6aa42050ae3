package io.nostrex.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Autoscalers and disruption budgets aim at the chart's own workloads. */
class ScalingTest {

    @ParameterizedTest(name = "{0}: {1} from {2} to {3}")
    @CsvSource({"PRODUCTION, gateway, 3, 12", "PRODUCTION, validator, 2, 12"})
    void anAutoscalerOwnsTheReplicasOfItsDeployment(ValuesFile values, String role, int min, int max) {
        // Given the role's autoscaler and Deployment
        Manifests manifests = Chart.render(values);
        HorizontalPodAutoscaler hpa = manifests.one(HorizontalPodAutoscaler.class, Chart.name(role));
        Deployment deployment = manifests.one(Deployment.class, hpa.getSpec().getScaleTargetRef().getName());
        // Then it scales that Deployment, on CPU, and the Deployment leaves the count to it
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(min);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(max);
        assertThat(hpa.getSpec().getMetrics()).extracting(m -> m.getResource().getName()).contains("cpu");
        assertThat(deployment.getSpec().getReplicas()).isNull();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "DEFAULT      | gateway",
            "PRODUCTION   | gateway, validator, matcher, archiver",
            "STRIMZI_CNPG | gateway"})
    void everyDisruptionBudgetCoversTheRolesPods(ValuesFile values, String roles) {
        // Given the rendered disruption budgets
        Manifests manifests = Chart.render(values);
        List<PodDisruptionBudget> budgets = manifests.all(PodDisruptionBudget.class);
        // Then there is one per role asked for, each selecting that role's pods, none blocking every eviction
        assertThat(budgets).extracting(b -> b.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(List.of(roles.split(", ")).stream().map(Chart::name).toList());
        assertThat(budgets).allSatisfy(budget -> {
            String role = budget.getMetadata().getName().substring(Chart.FULLNAME.length() + 1);
            assertThat(manifests.pod(role).labels()).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
            assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        });
    }

    @ParameterizedTest
    @EnumSource(value = ValuesFile.class, names = "DEFAULT")
    void withoutAutoscalingEveryRoleHasOneReplica(ValuesFile values) {
        Manifests manifests = Chart.render(values);
        assertThat(manifests.all(HorizontalPodAutoscaler.class)).isEmpty();
        assertThat(manifests.all(Deployment.class)).allSatisfy(d -> assertThat(d.getSpec().getReplicas()).isEqualTo(1));
    }
}
