package io.nostrex.store;

import io.nostrex.protocol.Hex;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 of strings, and hex ids to bytes: the fixed-size keys the schema stores. */
final class Digests {
    private Digests() {}

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** 64 lowercase hex characters (an id or pubkey) as 32 bytes. */
    static byte[] id(String hex) {
        return Hex.decode(hex);
    }
}
