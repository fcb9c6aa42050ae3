package io.nostrex.protocol.crypto;

/** BIP-340 Schnorr signature verification over secp256k1. Implementations never throw on bad input. */
public interface SchnorrVerifier {
    /**
     * @param sig    64-byte signature
     * @param msg    the signed message (for Nostr, the 32-byte event id)
     * @param pubkey 32-byte x-only public key
     * @return true only for a valid signature; false for any invalid or malformed input
     */
    boolean verify(byte[] sig, byte[] msg, byte[] pubkey);

    /** A short name for logs and benchmarks. */
    String name();

    /** The fastest verifier that works here: libsecp256k1 through JNI, else BouncyCastle. */
    static SchnorrVerifier best() {
        return Verifiers.BEST;
    }
}
