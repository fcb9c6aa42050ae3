package io.nostrex.gateway;

import io.nostrex.protocol.Filter;
import io.nostrex.protocol.auth.ReadAccess;
import java.util.List;

/**
 * The read path to stored events (PostgreSQL in production). Blocking: called on query threads.
 * Every method leaves out the private events that {@code access} may not read.
 */
public interface History {
    /**
     * The JSON (UTF-8) of stored events matching any filter, newest first, ties lowest id, each
     * filter's limit capped.
     */
    List<byte[]> query(List<Filter> filters, int maxLimit, ReadAccess access);

    /**
     * The JSON (UTF-8) of stored events matching any filter, stored at or after the time (live
     * catch-up; at most {@code cap} per filter).
     */
    List<byte[]> queryStoredSince(List<Filter> filters, long storedSinceMillis, int cap, ReadAccess access);

    /**
     * NIP-45: how many stored events match any filter, each filter read up to {@code cap + 1} rows;
     * past that, an estimate marked approximate. {@code hll}: the HyperLogLog registers in hex for
     * the queries NIP-45 names, null otherwise.
     */
    Count count(List<Filter> filters, ReadAccess access, int cap);

    /** A COUNT's answer. */
    record Count(long count, boolean approximate, String hll) {}

    /**
     * NIP-77: the created_at and id of the stored events matching any filter, limits ignored, to
     * {@code sink}; returns how many, stopping at {@code cap + 1}.
     */
    int timesAndIds(List<Filter> filters, int cap, ReadAccess access, java.util.function.ObjLongConsumer<byte[]> sink);
}
