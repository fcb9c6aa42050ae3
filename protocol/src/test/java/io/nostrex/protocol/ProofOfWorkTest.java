package io.nostrex.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ProofOfWorkTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // the NIP-13 example
            "000000000e9d97a1ab09fc381030b346cdd7a142ad57e6df0b46dc9bef6c7e2d, 36",
            "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff, 0",
            "8000000000000000000000000000000000000000000000000000000000000000, 0",
            "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff, 1",
            "4000000000000000000000000000000000000000000000000000000000000000, 1",
            "3fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff, 2",
            "2000000000000000000000000000000000000000000000000000000000000000, 2",
            "1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff, 3",
            "0fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff, 4",
            "0800000000000000000000000000000000000000000000000000000000000000, 4",
            "0010000000000000000000000000000000000000000000000000000000000000, 11",
            "0000000000000000000000000000000000000000000000000000000000000001, 255",
            "0000000000000000000000000000000000000000000000000000000000000000, 256",
    })
    void difficultyIsTheNumberOfLeadingZeroBits(String id, int expected) {
        assertThat(ProofOfWork.difficulty(id)).isEqualTo(expected);
    }

    static Stream<Arguments> nonceTags() {
        return Stream.of(
                Arguments.of(List.of(List.of("nonce", "776797", "20")), 20),
                Arguments.of(List.of(List.of("t", "x"), List.of("nonce", "1", "0")), 0),
                Arguments.of(List.of(List.of("nonce", "1", "256")), 256),
                Arguments.of(List.of(), -1),
                Arguments.of(List.of(List.of("nonce", "776797")), -1),
                Arguments.of(List.of(List.of("nonce", "1", "abc")), -1),
                Arguments.of(List.of(List.of("nonce", "1", "-5")), -1),
                Arguments.of(List.of(List.of("nonce", "1", "1000")), -1),
                Arguments.of(List.of(List.of("nonce", "1", "")), -1),
                Arguments.of(List.of(List.of("Nonce", "1", "20")), -1),
                Arguments.of(List.of(List.of("nonce", "1", "x"), List.of("nonce", "2", "21")), 21));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("nonceTags")
    void committedTargetIsTheThirdElementOfTheNonceTag(List<List<String>> tags, int expected) {
        Event e = new Event("0".repeat(64), "a".repeat(64), 1, 1, tags, "", "0".repeat(128));
        assertThat(ProofOfWork.committedTarget(e)).isEqualTo(expected);
    }
}
