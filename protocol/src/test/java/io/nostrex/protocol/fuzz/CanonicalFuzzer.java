package io.nostrex.protocol.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.nostrex.protocol.Canonical;
import io.nostrex.protocol.Nip01Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The canonical serialization of fields the fuzzer chooses (any well-formed text in the content
 * and the tags, any time and kind) equals the independent NIP-01 serialization, byte for byte.
 */
public final class CanonicalFuzzer {
    private static final String PUBKEY = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";

    private CanonicalFuzzer() {}

    public static void fuzzerTestOneInput(FuzzedDataProvider data) {
        long createdAt = data.consumeLong();
        int kind = data.consumeInt();
        int tagCount = data.consumeInt(0, 6);
        List<List<String>> tags = new ArrayList<>(tagCount);
        for (int t = 0; t < tagCount; t++) {
            int values = data.consumeInt(1, 4);
            List<String> tag = new ArrayList<>(values);
            for (int v = 0; v < values; v++) {
                tag.add(wellFormed(data.consumeString(24)));
            }
            tags.add(tag);
        }
        String content = wellFormed(data.consumeRemainingAsString());
        byte[] ours = Canonical.serialize(PUBKEY, createdAt, kind, tags, content);
        byte[] independent = Nip01Reference.serialize(PUBKEY, createdAt, kind, tags, content);
        if (!java.util.Arrays.equals(ours, independent)) {
            throw new FuzzFinding("canonical serialization " + new String(ours, StandardCharsets.UTF_8)
                    + " but NIP-01 gives " + new String(independent, StandardCharsets.UTF_8));
        }
    }

    /** Strings an event can hold: a lone surrogate cannot come out of JSON the parser accepts as UTF-8. */
    private static String wellFormed(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}
