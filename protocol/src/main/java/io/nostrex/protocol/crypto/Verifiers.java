package io.nostrex.protocol.crypto;

/** Chooses the verifier once per process. */
final class Verifiers {
    static final SchnorrVerifier BEST = choose();

    private Verifiers() {}

    private static SchnorrVerifier choose() {
        if (!Boolean.getBoolean("nostrex.pureJavaCrypto")) {
            try {
                return new NativeSchnorrVerifier();
            } catch (LinkageError | RuntimeException unavailable) {
                System.getLogger(Verifiers.class.getName()).log(System.Logger.Level.WARNING,
                        "libsecp256k1 is not available here (" + unavailable + "); using BouncyCastle");
            }
        }
        return new BouncyCastleSchnorrVerifier();
    }
}
