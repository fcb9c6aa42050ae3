package io.nostrex.protocol.crypto;

import fr.acinq.secp256k1.Secp256k1;

/**
 * libsecp256k1 through ACINQ's JNI bindings. The binding throws (rather than returning false) on
 * some malformed inputs, such as a public key that is not on the curve; those count as invalid.
 */
public final class NativeSchnorrVerifier implements SchnorrVerifier {
    private final Secp256k1 secp;

    /** Loads the native library; throws LinkageError or RuntimeException when it cannot be loaded. */
    public NativeSchnorrVerifier() {
        this.secp = Secp256k1.get();
        byte[] zero = new byte[32];
        verify(new byte[64], zero, zero); // forces the native library to load now, not on first event
    }

    @Override
    public boolean verify(byte[] sig, byte[] msg, byte[] pubkey) {
        if (sig.length != 64 || pubkey.length != 32) {
            return false;
        }
        try {
            return secp.verifySchnorr(sig, msg, pubkey);
        } catch (RuntimeException invalidInput) {
            return false;
        }
    }

    @Override
    public String name() {
        return "libsecp256k1";
    }
}
