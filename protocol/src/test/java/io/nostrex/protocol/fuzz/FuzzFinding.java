package io.nostrex.protocol.fuzz;

/** A rule a decoder broke on a fuzzer's input: Jazzer reports it as a finding and keeps the input. */
public final class FuzzFinding extends RuntimeException {
    public FuzzFinding(String message) {
        super(message);
    }

    public FuzzFinding(String message, Throwable cause) {
        super(message, cause);
    }

    static void check(boolean rule, String message) {
        if (!rule) {
            throw new FuzzFinding(message);
        }
    }
}
