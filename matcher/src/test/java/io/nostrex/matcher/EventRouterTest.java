package io.nostrex.matcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.contract.Delivery.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventRouterTest {
    @ParameterizedTest(name = "{0} targets of one 10-char id, budget {1} -> {2} records")
    @CsvSource(textBlock = """
            1,    10,     1
            3,    1000,   1
            3,    87,     3
            3,    174,    2
            10,   261,    4
            1000, 262144, 1
            """)
    void targetsAreCutIntoRunsUnderTheBudget(int count, int budget, int expectedChunks) {
        // Given targets of 24 + 3 + 6*10 = 87 estimated header bytes each
        List<Target> targets = IntStream.range(0, count)
                .mapToObj(i -> new Target(i, List.of("0123456789"))).toList();
        // When cut
        List<List<Target>> chunks = EventRouter.chunks(targets, budget);
        // Then there are as many runs as expected, together the targets in order
        assertThat(chunks).hasSize(expectedChunks);
        List<Target> joined = new ArrayList<>();
        chunks.forEach(joined::addAll);
        assertThat(joined).isEqualTo(targets);
    }
}
