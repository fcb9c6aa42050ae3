package io.nostrex.protocol;

import fr.acinq.secp256k1.Secp256k1;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * Signs events with one secret key (BIP-340 through libsecp256k1). The relay never signs client
 * events; this serves the load tool, tests and tools that publish.
 */
public final class EventSigner {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] secretKey;
    private final String pubkey;

    public EventSigner(byte[] secretKey) {
        if (secretKey.length != 32) {
            throw new IllegalArgumentException("a secret key is 32 bytes");
        }
        this.secretKey = secretKey.clone();
        byte[] uncompressed = Secp256k1.get().pubkeyCreate(this.secretKey);
        this.pubkey = Hex.encode(Arrays.copyOfRange(uncompressed, 1, 33));
    }

    /** A signer with a fresh random key. */
    public static EventSigner random() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return new EventSigner(key);
    }

    public String pubkey() {
        return pubkey;
    }

    public Event sign(long createdAt, int kind, List<List<String>> tags, String content) {
        byte[] id = Canonical.sha256(Canonical.serialize(pubkey, createdAt, kind, tags, content));
        byte[] aux = new byte[32];
        RANDOM.nextBytes(aux);
        byte[] sig = Secp256k1.get().signSchnorr(id, secretKey, aux);
        return new Event(Hex.encode(id), pubkey, createdAt, kind, tags, content, Hex.encode(sig));
    }

    /** Signs with created_at = now. */
    public Event sign(int kind, List<List<String>> tags, String content) {
        return sign(System.currentTimeMillis() / 1000, kind, tags, content);
    }
}
