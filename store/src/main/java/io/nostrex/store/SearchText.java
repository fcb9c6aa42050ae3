package io.nostrex.store;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.SearchWords;

/**
 * NIP-50: what of an event is indexed for full-text search, and the text of a filter's search,
 * both as the {@link SearchWords} tokenizer splits them, joined by spaces: PostgreSQL's parser
 * splits such text into exactly those words, so {@code to_tsvector} and {@code plainto_tsquery}
 * ('simple' configuration) find what the matcher finds live.
 */
final class SearchText {
    private SearchText() {}

    /** The words indexed for the event, space-separated; null for none. */
    static String indexed(Event event) {
        String words = String.join(" ", SearchWords.ofEvent(event));
        return words.isEmpty() ? null : words;
    }

    /** The words of a filter's search, space-separated, without NIP-50 extensions; "" when none remain. */
    static String query(String search) {
        return String.join(" ", SearchWords.ofSearch(search));
    }
}
