package io.nostrex.gateway;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The open connections of this gateway by id. */
final class Connections {
    private final ConcurrentHashMap<Long, Connection> byId = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    long nextId() {
        return ids.incrementAndGet();
    }

    void add(Connection c) {
        byId.put(c.id, c);
    }

    void remove(Connection c) {
        byId.remove(c.id);
    }

    Connection get(long id) {
        return byId.get(id);
    }

    Collection<Connection> all() {
        return byId.values();
    }

    int size() {
        return byId.size();
    }
}
