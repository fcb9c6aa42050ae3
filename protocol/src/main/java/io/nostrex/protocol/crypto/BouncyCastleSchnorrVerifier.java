package io.nostrex.protocol.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;

/**
 * BIP-340 verification in pure Java on BouncyCastle's secp256k1 arithmetic: the fallback where the
 * native library cannot load, and an independent cross-check of it in tests.
 */
public final class BouncyCastleSchnorrVerifier implements SchnorrVerifier {
    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    private static final ECCurve C = CURVE.getCurve();
    private static final ECPoint G = CURVE.getG();
    private static final BigInteger N = CURVE.getN();
    private static final BigInteger P = C.getField().getCharacteristic();
    private static final byte[] CHALLENGE_TAG = sha256("BIP0340/challenge".getBytes(StandardCharsets.US_ASCII));

    @Override
    public boolean verify(byte[] sig, byte[] msg, byte[] pubkey) {
        if (sig.length != 64 || pubkey.length != 32) {
            return false;
        }
        ECPoint pub = liftX(pubkey);
        BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 0, 32));
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
        if (pub == null || r.compareTo(P) >= 0 || s.compareTo(N) >= 0) {
            return false;
        }
        BigInteger e = new BigInteger(1, challenge(sig, pubkey, msg)).mod(N);
        ECPoint rPoint = ECAlgorithms.sumOfTwoMultiplies(G, s, pub, N.subtract(e)).normalize();
        return !rPoint.isInfinity()
                && !rPoint.getAffineYCoord().testBitZero()
                && rPoint.getAffineXCoord().toBigInteger().equals(r);
    }

    @Override
    public String name() {
        return "bouncycastle";
    }

    /** The point with x coordinate x and even y, or null when x is not on the curve. */
    private static ECPoint liftX(byte[] x) {
        if (new BigInteger(1, x).compareTo(P) >= 0) {
            return null;
        }
        byte[] compressed = new byte[33];
        compressed[0] = 0x02;
        System.arraycopy(x, 0, compressed, 1, 32);
        try {
            return C.decodePoint(compressed);
        } catch (IllegalArgumentException notOnCurve) {
            return null;
        }
    }

    private static byte[] challenge(byte[] sig, byte[] pubkey, byte[] msg) {
        MessageDigest sha = sha256();
        sha.update(CHALLENGE_TAG);
        sha.update(CHALLENGE_TAG);
        sha.update(sig, 0, 32);
        sha.update(pubkey);
        sha.update(msg);
        return sha.digest();
    }

    private static byte[] sha256(byte[] data) {
        return sha256().digest(data);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
