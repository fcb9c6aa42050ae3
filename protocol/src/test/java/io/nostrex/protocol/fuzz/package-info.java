/**
 * Coverage-guided fuzz targets for Jazzer (libFuzzer on the JVM): the client-message decoder, the
 * event parser, the filter parser and the canonical serialization. Each target takes the fuzzer's
 * bytes, runs the decoder, and throws {@link io.nostrex.protocol.fuzz.FuzzFinding} (a finding) when
 * anything but a typed error comes out or a decoded value breaks a rule. The long run is
 * {@code protocol/fuzz/run} (docs/RELIABILITY.md); {@code FuzzTargetsTest} runs each target over
 * the real-event corpus and mutations of it in every build, so the targets do not rot.
 */
package io.nostrex.protocol.fuzz;
