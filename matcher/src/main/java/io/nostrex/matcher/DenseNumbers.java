package io.nostrex.matcher;

import java.util.ArrayDeque;

/**
 * Small non-negative numbers handed out and given back, the last given back reused first, so that
 * per-thread arrays indexed by them stay as short as the live set. Not thread-safe: the index
 * guards it.
 */
final class DenseNumbers {
    private final ArrayDeque<Integer> free = new ArrayDeque<>();
    private int next;

    int take() {
        Integer reused = free.poll();
        return reused != null ? reused : next++;
    }

    void give(int number) {
        free.push(number);
    }
}
