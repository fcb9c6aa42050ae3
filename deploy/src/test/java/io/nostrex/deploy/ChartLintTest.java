package io.nostrex.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChartLintTest {

    @ParameterizedTest
    @EnumSource(ValuesFile.class)
    void lintsCleanWithEveryValuesFile(ValuesFile values) {
        // Given the chart with the values file merged into its values.yaml
        // When Helm lints it strictly (warnings fail)
        LintResult result = Chart.lint(values);
        // Then nothing is wrong and nothing above INFO is said
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
        assertThat(result.getMessages()).allMatch(m -> m.startsWith("[INFO]"), "only [INFO] messages");
    }

    @ParameterizedTest
    @EnumSource(ValuesFile.class)
    void rendersAStrictlyTypedWorkloadForEveryRole(ValuesFile values) {
        // Given / When the chart rendered with the values file (parsed strictly on the way)
        Manifests manifests = Chart.render(values);
        // Then there is a workload for every role
        assertThat(Manifests.ROLES).allSatisfy(role -> assertThat(manifests.findPod(role)).isPresent());
    }
}
