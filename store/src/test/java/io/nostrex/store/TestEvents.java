package io.nostrex.store;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.Hex;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Builds unsigned events for store tests (the store does not verify signatures). */
final class TestEvents {
    static final String ALICE = "a1".repeat(32);
    static final String BOB = "b0".repeat(32);
    private static final AtomicLong NEXT_ID = new AtomicLong();

    private String id;
    private String pubkey = ALICE;
    private long createdAt = 1_700_000_000L;
    private int kind = 1;
    private final List<List<String>> tags = new ArrayList<>();
    private String content = "";

    private TestEvents() {}

    static TestEvents event() {
        return new TestEvents();
    }

    /** An id whose order is known: {@code id(1) < id(2)}. */
    static String id(long n) {
        return String.format("%064x", n);
    }

    TestEvents id(String value) {
        this.id = value;
        return this;
    }

    TestEvents by(String value) {
        this.pubkey = value;
        return this;
    }

    TestEvents at(long value) {
        this.createdAt = value;
        return this;
    }

    TestEvents kind(int value) {
        this.kind = value;
        return this;
    }

    TestEvents tag(String... values) {
        tags.add(List.of(values));
        return this;
    }

    TestEvents content(String value) {
        this.content = value;
        return this;
    }

    Event build() {
        String eventId = id != null ? id : Hex.encode(Digests.sha256("test event " + NEXT_ID.incrementAndGet()));
        return new Event(eventId, pubkey, createdAt, kind, tags, content, "0".repeat(128));
    }

    /** The address {@code kind:pubkey:d} of an event, as an {@code a} tag writes it. */
    static String address(int kind, String pubkey, String d) {
        return kind + ":" + pubkey + ":" + d;
    }
}
