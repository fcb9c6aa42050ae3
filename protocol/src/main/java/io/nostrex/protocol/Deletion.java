package io.nostrex.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * What a NIP-09 deletion request (kind 5) asks to delete: event ids from {@code e} tags,
 * addresses {@code kind:pubkey:d} from {@code a} tags, and the kinds named by {@code k} tags.
 */
public record Deletion(List<String> eventIds, List<String> addresses, List<Integer> kinds) {
    public static final int KIND = 5;

    public Deletion {
        eventIds = List.copyOf(eventIds);
        addresses = List.copyOf(addresses);
        kinds = List.copyOf(kinds);
    }

    /** The targets of a kind-5 event; malformed values are skipped. */
    public static Deletion of(Event event) {
        if (event.kind() != KIND) {
            throw new IllegalArgumentException("not a deletion request: kind " + event.kind());
        }
        List<String> ids = new ArrayList<>();
        for (String id : event.tagValues("e")) {
            if (Hex.isLowerHex(id, 64)) {
                ids.add(id);
            }
        }
        List<String> addresses = new ArrayList<>();
        for (String a : event.tagValues("a")) {
            if (isAddress(a)) {
                addresses.add(a);
            }
        }
        List<Integer> kinds = new ArrayList<>();
        for (String k : event.tagValues("k")) {
            if (k.matches("\\d{1,5}") && Integer.parseInt(k) <= KindClass.MAX_KIND) {
                kinds.add(Integer.parseInt(k));
            }
        }
        return new Deletion(ids, addresses, kinds);
    }

    /** True for {@code kind:64-hex-pubkey:d} (d may be empty or contain colons). */
    public static boolean isAddress(String a) {
        int first = a.indexOf(':');
        if (first < 1 || first > 5 || a.length() < first + 66 || a.charAt(first + 65) != ':') {
            return false;
        }
        String kind = a.substring(0, first);
        return kind.chars().allMatch(c -> c >= '0' && c <= '9')
                && Integer.parseInt(kind) <= KindClass.MAX_KIND
                && Hex.isLowerHex(a.substring(first + 1, first + 65), 64);
    }

    /** The pubkey named in an address accepted by {@link #isAddress}. */
    public static String addressPubkey(String a) {
        int first = a.indexOf(':');
        return a.substring(first + 1, first + 65);
    }
}
