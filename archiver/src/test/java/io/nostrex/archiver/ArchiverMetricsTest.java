package io.nostrex.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import io.nostrex.store.StoreOutcome;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ArchiverMetricsTest {
    private static final EventSigner SIGNER = EventSigner.random();

    @ParameterizedTest(name = "kind {0} -> {1}")
    @CsvSource({"0, 0", "1, 1", "7, 7", "9735, 9735", "30023, 30023", "2, other", "12345, other", "65535, other"})
    void commonKindsHaveTheirOwnLabelAndTheRestShareOne(int kind, String label) {
        assertThat(ArchiverMetrics.kindLabel(kind)).isEqualTo(label);
    }

    @Test
    void outcomesCountByKindClassAndStoredEventsByKind() {
        // Given
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ArchiverMetrics m = new ArchiverMetrics(registry);
        Event note = SIGNER.sign(1, List.of(), "hello");
        Event profile = SIGNER.sign(0, List.of(), "{}");

        // When
        m.outcome(note, StoreOutcome.STORED);
        m.outcome(note, StoreOutcome.DUPLICATE);
        m.outcome(profile, StoreOutcome.REPLACED_BY_NEWER);

        // Then
        assertThat(registry.get("nostrex.store.outcomes").tag("outcome", "stored").tag("kind_class", "regular")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("nostrex.store.outcomes").tag("outcome", "duplicate").counter().count()).isEqualTo(1);
        assertThat(registry.get("nostrex.store.outcomes").tag("outcome", "replaced_by_newer")
                .tag("kind_class", "replaceable").counter().count()).isEqualTo(1);
        assertThat(registry.get("nostr.events").tag("kind", "1").counter().count()).isEqualTo(1);
        assertThat(registry.find("nostr.events").tag("kind", "0").counter()).isNull();
    }
}
