package io.nostrex.loadtool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PublishResultTest {

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "invalid: bad signature|invalid",
            "duplicate: already have this event|duplicate",
            "rate-limited: slow down|rate-limited",
            "error: could not store|error",
            "blocked:no colon space|blocked",
            "something without a prefix|something without a prefix",
            "''|(no message)",
            "': starts with a colon'|: starts with a colon"})
    void reasonPrefix(String message, String prefix) {
        assertThat(PublishResult.prefix(message)).isEqualTo(prefix);
    }

    @Test
    void everyAnswerIsCountedOnceByAcceptanceAndPrefix() {
        // Given 5 EVENTs sent, 4 answered
        PublishResult.Tally t = new PublishResult.Tally();
        t.ok(true, "");
        t.ok(true, "duplicate: have it");
        t.ok(false, "invalid: bad id");
        t.ok(false, "invalid: bad sig");
        t.unknown();
        // When the result is taken
        PublishResult r = t.result(5, 5, 1.0, 2.0, Latencies.Summary.of(new long[] {1}),
                new RelaySocket.Opened(List.of(), 0, null), false);
        // Then
        assertThat(r.accepted()).isEqualTo(2);
        assertThat(r.acceptedNotes()).isEqualTo(Map.of("duplicate", 1L));
        assertThat(r.rejected()).isEqualTo(Map.of("invalid", 2L));
        assertThat(r.missing()).isEqualTo(1);
        assertThat(r.unknownOks()).isEqualTo(1);
        assertThat(r.acceptedPerSecond()).isEqualTo(1.0);
        assertThat(r.complete()).isFalse();
        assertThat(r.summary()).contains("missing     1", "invalid=2");
    }

    @Test
    void completeWhenEveryEventHasItsOk() {
        PublishResult.Tally t = new PublishResult.Tally();
        t.ok(true, "");
        t.ok(false, "blocked: no");
        PublishResult r = t.result(2, 2, 1.0, 1.0, Latencies.Summary.of(new long[] {1, 2}),
                new RelaySocket.Opened(List.of(), 0, null), false);
        assertThat(r.complete()).isTrue();
        assertThat(r.json()).containsEntry("missing", 0L).containsEntry("complete", true);
    }
}
