package io.nostrex.store;

import io.nostrex.protocol.Deletion;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.KindClass;

/**
 * Addresses {@code kind:pubkey:d} of replaceable and addressable events, in the spelling of
 * {@link Event#address()}, and their stored form: a SHA-256 digest, fixed-size whatever the d tag holds.
 */
final class Addresses {
    private Addresses() {}

    /**
     * The address named by an {@code a} tag value, spelled as {@link Event#address()} spells it (kind
     * without leading zeros, empty d for replaceable kinds); null when it is malformed or names a kind
     * that has no address (regular, ephemeral).
     */
    static String normalize(String a) {
        if (!Deletion.isAddress(a)) {
            return null;
        }
        int first = a.indexOf(':');
        int kind = Integer.parseInt(a.substring(0, first));
        String pubkey = Deletion.addressPubkey(a);
        return switch (KindClass.of(kind)) {
            case REPLACEABLE -> kind + ":" + pubkey + ":";
            case ADDRESSABLE -> kind + ":" + pubkey + ":" + a.substring(first + 66);
            default -> null;
        };
    }

    static byte[] digest(String address) {
        return Digests.sha256(address);
    }
}
