package io.nostrex.store;

import io.nostrex.protocol.Event;
import java.util.Set;
import java.util.regex.Pattern;

/** NIP-50: what of an event is indexed for full-text search, and the text of a filter's search. */
final class SearchText {
    /** PostgreSQL caps a tsvector at 1 MB; indexing the first characters keeps far below it. */
    static final int MAX_INDEXED_CHARS = 65_536;
    /** Encrypted content (NIP-04 DMs, NIP-59 gift wraps) is not words: not indexed. */
    private static final Set<Integer> ENCRYPTED_KINDS = Set.of(4, 1059);
    /** NIP-50 extensions ({@code include:spam}, {@code language:en}...) are not search words. */
    private static final Pattern EXTENSION = Pattern.compile("(^|\\s)[a-z_]+:\\S*");

    private SearchText() {}

    /** The text indexed for the event, null for none. NULs are dropped: PostgreSQL text cannot hold them. */
    static String indexed(Event event) {
        String content = event.content();
        if (content.isEmpty() || ENCRYPTED_KINDS.contains(event.kind())) {
            return null;
        }
        if (content.length() > MAX_INDEXED_CHARS) {
            int end = Character.isHighSurrogate(content.charAt(MAX_INDEXED_CHARS - 1))
                    ? MAX_INDEXED_CHARS - 1 : MAX_INDEXED_CHARS;
            content = content.substring(0, end);
        }
        return content.replace("\0", "");
    }

    /** The words of a filter's search string, without NIP-50 extensions; "" when none remain. */
    static String query(String search) {
        return EXTENSION.matcher(search.replace("\0", "")).replaceAll(" ").trim();
    }
}
