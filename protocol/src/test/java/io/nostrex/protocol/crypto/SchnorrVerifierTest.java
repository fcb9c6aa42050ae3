package io.nostrex.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.TestCorpus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Both verifiers against the BIP-340 vectors, the real corpus, and hostile input. */
class SchnorrVerifierTest {
    private static final SchnorrVerifier NATIVE = new NativeSchnorrVerifier();
    private static final SchnorrVerifier BOUNCY = new BouncyCastleSchnorrVerifier();
    private static final HexFormat HEX = HexFormat.of();

    static Stream<SchnorrVerifier> verifiers() {
        return Stream.of(NATIVE, BOUNCY);
    }

    /** One row of bip340-test-vectors.csv: index,secret key,public key,aux_rand,message,signature,result,comment. */
    record Vector(String index, byte[] pubkey, byte[] msg, byte[] sig, boolean valid, String comment) {
        static Vector of(String line) {
            String[] c = line.split(",", 8);
            return new Vector(c[0], HEX.parseHex(c[2]), HEX.parseHex(c[4]), HEX.parseHex(c[5]),
                    Boolean.parseBoolean(c[6].toLowerCase()), c[7]);
        }
    }

    static List<Vector> vectors() throws IOException {
        try (InputStream in = SchnorrVerifierTest.class.getResourceAsStream("/bip340-test-vectors.csv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\r?\n");
            List<Vector> out = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                if (!lines[i].isBlank()) {
                    out.add(Vector.of(lines[i]));
                }
            }
            return out;
        }
    }

    static Stream<Arguments> vectorsForEachVerifier() throws IOException {
        List<Vector> vectors = vectors();
        return verifiers().flatMap(v -> vectors.stream().map(t -> Arguments.of(v.name(), t.index(), t, v)));
    }

    @Test
    void theVectorFileHoldsTheFifteenOfficialVectors() throws IOException {
        assertThat(vectors()).hasSize(15);
        assertThat(vectors()).filteredOn(Vector::valid).hasSize(5);
    }

    @ParameterizedTest(name = "{0} vector {1}")
    @MethodSource("vectorsForEachVerifier")
    void bip340VectorGivesTheExpectedResult(String name, String index, Vector t, SchnorrVerifier verifier) {
        assertThat(verifier.verify(t.sig(), t.msg(), t.pubkey()))
                .as("vector %s (%s)", t.index(), t.comment())
                .isEqualTo(t.valid());
    }

    @Test
    void bothVerifiersAcceptEveryCorpusEvent() {
        List<String> rejected = new ArrayList<>();
        for (Event e : TestCorpus.events()) {
            byte[] sig = HEX.parseHex(e.sig());
            byte[] id = HEX.parseHex(e.id());
            byte[] pubkey = HEX.parseHex(e.pubkey());
            if (!NATIVE.verify(sig, id, pubkey) || !BOUNCY.verify(sig, id, pubkey)) {
                rejected.add(e.id());
            }
        }
        assertThat(TestCorpus.events()).hasSize(TestCorpus.SIZE);
        assertThat(rejected).isEmpty();
    }

    @Test
    void bothVerifiersRejectTamperedCorpusSignatures() {
        // Given every 10th corpus event, tampered three ways: flipped sig bit, flipped id bit, someone else's key
        List<Event> events = TestCorpus.events();
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < events.size(); i += 10) {
            Event e = events.get(i);
            Event other = events.get((i + 1) % events.size());
            byte[] sig = HEX.parseHex(e.sig());
            byte[] id = HEX.parseHex(e.id());
            byte[] pubkey = HEX.parseHex(e.pubkey());
            byte[] otherKey = HEX.parseHex(other.pubkey());
            for (SchnorrVerifier v : List.of(NATIVE, BOUNCY)) {
                if (v.verify(flipBit(sig, 40 * 8), id, pubkey) || v.verify(sig, flipBit(id, 7), pubkey)
                        || (!other.pubkey().equals(e.pubkey()) && v.verify(sig, id, otherKey))) {
                    accepted.add(v.name() + " " + e.id());
                }
            }
        }

        // Then
        assertThat(accepted).isEmpty();
    }

    static Stream<Arguments> malformed() {
        Event e = TestCorpus.events().get(0);
        byte[] sig = HEX.parseHex(e.sig());
        byte[] id = HEX.parseHex(e.id());
        byte[] key = HEX.parseHex(e.pubkey());
        byte[] notOnCurve = HEX.parseHex("EEFDEA4CDB677750A420FEE807EACF21EB9898AE79B9768766E4FAA04A2D4A34");
        byte[] fieldSize = HEX.parseHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F");
        byte[] allOnes = HEX.parseHex("ff".repeat(32));
        return Stream.of(
                Arguments.of("sig 63 bytes", copy(sig, 63), id, key),
                Arguments.of("sig 65 bytes", copy(sig, 65), id, key),
                Arguments.of("sig empty", new byte[0], id, key),
                Arguments.of("pubkey 31 bytes", sig, id, copy(key, 31)),
                Arguments.of("pubkey 33 bytes", sig, id, copy(key, 33)),
                Arguments.of("pubkey empty", sig, id, new byte[0]),
                Arguments.of("pubkey not on the curve", sig, id, notOnCurve),
                Arguments.of("pubkey equal to the field size", sig, id, fieldSize),
                Arguments.of("pubkey all ones", sig, id, allOnes),
                Arguments.of("pubkey all zero", sig, id, new byte[32]),
                Arguments.of("sig all zero", new byte[64], id, key),
                Arguments.of("all zero", new byte[64], new byte[32], new byte[32]),
                Arguments.of("sig all ones", HEX.parseHex("ff".repeat(64)), id, key),
                Arguments.of("message 31 bytes", sig, copy(id, 31), key),
                Arguments.of("message 33 bytes", sig, copy(id, 33), key),
                Arguments.of("message empty", sig, new byte[0], key));
    }

    static Stream<Arguments> malformedForEachVerifier() {
        return verifiers().flatMap(v -> malformed().map(a -> Arguments.of(v.name(), a.get()[0], a.get()[1],
                a.get()[2], a.get()[3], v)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("malformedForEachVerifier")
    void malformedInputIsFalseWithoutThrowing(String name, String input, byte[] sig, byte[] msg, byte[] pubkey,
                                              SchnorrVerifier verifier) {
        assertThatCode(() -> verifier.verify(sig, msg, pubkey)).doesNotThrowAnyException();
        assertThat(verifier.verify(sig, msg, pubkey)).isFalse();
    }

    @Test
    void bestIsOneOfTheTwoAndHasAName() {
        assertThat(SchnorrVerifier.best().name()).isIn("libsecp256k1", "bouncycastle");
        assertThat(NATIVE.name()).isEqualTo("libsecp256k1");
        assertThat(BOUNCY.name()).isEqualTo("bouncycastle");
    }

    private static byte[] flipBit(byte[] bytes, int bit) {
        byte[] out = bytes.clone();
        out[bit / 8] ^= (byte) (1 << (bit % 8));
        return out;
    }

    private static byte[] copy(byte[] bytes, int length) {
        return java.util.Arrays.copyOf(bytes, length);
    }
}
