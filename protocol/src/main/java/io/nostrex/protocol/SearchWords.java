package io.nostrex.protocol;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * NIP-50: the one tokenizer behind search, in history and live. A word is a run of letters, digits
 * and combining marks, lower-cased; everything else separates words. A search matches an event when
 * every word of the search is a word of the event's content. The store indexes exactly these words
 * (PostgreSQL's parser, given words and spaces only, splits them the same way) and the matcher
 * compares them, so a search finds the same events in both.
 *
 * <p>NIP-50 extensions ({@code include:spam}, {@code domain:...}, {@code language:en}, any
 * {@code key:value}) are not words and are ignored. Encrypted content (NIP-04 direct messages,
 * NIP-59 gift wraps) has no words. Only the first {@value #MAX_INDEXED_CHARS} characters of a
 * content count, and words longer than {@value #MAX_WORD_LENGTH} characters are dropped.
 */
public final class SearchWords {
    /** PostgreSQL caps a tsvector at 1 MB; indexing the first characters keeps far below it. */
    public static final int MAX_INDEXED_CHARS = 65_536;
    public static final int MAX_WORD_LENGTH = 200;
    private static final Set<Integer> ENCRYPTED_KINDS = Set.of(4, 1059);
    private static final Pattern EXTENSION = Pattern.compile("(^|\\s)[a-z_]+:\\S*");

    private SearchWords() {}

    /** The words of a text, in order, repeats kept. */
    public static List<String> of(String text) {
        List<String> words = new ArrayList<>();
        int end = Math.min(text.length(), MAX_INDEXED_CHARS);
        int start = -1;
        for (int i = 0; i < end; ) {
            int cp = text.codePointAt(i);
            boolean inWord = isWordChar(cp);
            if (inWord && start < 0) {
                start = i;
            } else if (!inWord && start >= 0) {
                add(words, text, start, i);
                start = -1;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            add(words, text, start, Character.isHighSurrogate(text.charAt(end - 1)) ? end - 1 : end);
        }
        return words;
    }

    private static void add(List<String> words, String text, int from, int to) {
        if (to > from && to - from <= MAX_WORD_LENGTH) {
            words.add(text.substring(from, to).toLowerCase(Locale.ROOT));
        }
    }

    private static boolean isWordChar(int cp) {
        if (Character.isLetterOrDigit(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    /** The words an event is found by: its content's, none for encrypted kinds. */
    public static List<String> ofEvent(Event e) {
        return ENCRYPTED_KINDS.contains(e.kind()) ? List.of() : of(e.content());
    }

    /** The words of a filter's search, extensions left out, without repeats; empty when none remain. */
    public static List<String> ofSearch(String search) {
        return new ArrayList<>(new java.util.LinkedHashSet<>(of(EXTENSION.matcher(search).replaceAll(" "))));
    }

    /** Whether the event has every word of the search (true when the search has no words). */
    public static boolean matches(Event e, String search) {
        List<String> wanted = ofSearch(search);
        if (wanted.isEmpty()) {
            return true;
        }
        Set<String> words = new HashSet<>(ofEvent(e));
        return words.containsAll(wanted);
    }
}
