package io.nostrex.loadtool;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import io.nostrex.protocol.message.ClientMessage;
import io.nostrex.protocol.message.MessageCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Events signed before a measurement starts (signing is not what is measured), kept only as their
 * ids and ready-to-send {@code ["EVENT",{...}]} texts, so a million of them fit in a modest heap.
 */
final class Corpus {
    /** Makes event {@code i}; called from several threads at once. */
    interface Maker {
        Event make(int i);
    }

    final String[] ids;
    final String[] messages;

    private Corpus(String[] ids, String[] messages) {
        this.ids = ids;
        this.messages = messages;
    }

    int size() {
        return ids.length;
    }

    /** Signs {@code n} events on all cores. */
    static Corpus sign(int n, Maker maker) {
        String[] ids = new String[n];
        String[] messages = new String[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            Event e = maker.make(i);
            ids[i] = e.id();
            messages[i] = MessageCodec.encode(new ClientMessage.EventMessage(e));
        });
        return new Corpus(ids, messages);
    }

    /** {@code n} fresh random keys. */
    static List<EventSigner> keys(int n) {
        List<EventSigner> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            keys.add(EventSigner.random());
        }
        return List.copyOf(keys);
    }

    /** A tag value that names one run, so a run's filters match only its own events. */
    static String runTag() {
        return "nostrex-bench-" + Long.toHexString(System.nanoTime() ^ Double.doubleToLongBits(Math.random()));
    }

    /** {@code prefix} padded with dots to {@code bytes} characters (ASCII, so bytes). */
    static String content(String prefix, int bytes) {
        if (prefix.length() >= bytes) {
            return prefix;
        }
        return prefix + " " + ".".repeat(bytes - prefix.length() - 1);
    }

    /** Kind of event {@code i}: the mix taken round-robin, so "1,1,1,7" is three notes to one reaction. */
    static int kindOf(List<Integer> mix, int i) {
        return mix.get(i % mix.size());
    }

    /**
     * Tags of event {@code i}: the run tag, plus a {@code d} tag for addressable kinds (so they do not
     * replace each other).
     */
    static List<List<String>> tags(String runTag, int kind, int i, List<List<String>> more) {
        List<List<String>> tags = new ArrayList<>(more.size() + 2);
        tags.add(List.of("t", runTag));
        if (kind >= 30_000 && kind < 40_000) {
            tags.add(List.of("d", "bench-" + i));
        }
        tags.addAll(more);
        return tags;
    }
}
