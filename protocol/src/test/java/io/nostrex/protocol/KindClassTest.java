package io.nostrex.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KindClassTest {

    @ParameterizedTest(name = "kind {0} -> {1}")
    @CsvSource({
            "0, REPLACEABLE",
            "1, REGULAR",
            "2, REGULAR",
            "3, REPLACEABLE",
            "4, REGULAR",
            "5, REGULAR",
            "9999, REGULAR",
            "10000, REPLACEABLE",
            "19999, REPLACEABLE",
            "20000, EPHEMERAL",
            "29999, EPHEMERAL",
            "30000, ADDRESSABLE",
            "39999, ADDRESSABLE",
            "40000, REGULAR",
            "65535, REGULAR",
    })
    void kindBoundaries(int kind, KindClass expected) {
        assertThat(KindClass.of(kind)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} stored: {1}")
    @CsvSource({"REGULAR, true", "REPLACEABLE, true", "EPHEMERAL, false", "ADDRESSABLE, true"})
    void onlyEphemeralEventsAreNotStored(KindClass kindClass, boolean stored) {
        assertThat(kindClass.stored()).isEqualTo(stored);
    }
}
