package io.nostrex.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The query-thread time each client address has used lately (a sum that halves every
 * {@value #HALF_LIFE_MILLIS} ms), and whether one is over its share: more than {@value #OVER}
 * times an even split among the addresses that queried lately, and at least {@value #FLOOR_MILLIS}
 * ms. {@link FairQueries} asks only while queries wait for a thread, so an address alone on the
 * relay may use all of it; by address, not connection, so that opening more connections buys no
 * more. Thread-safe.
 */
final class QueryShares {
    static final long HALF_LIFE_MILLIS = 5_000;
    static final double OVER = 1.5;
    static final double FLOOR_MILLIS = 500;
    /** An address that has not queried for this long is forgotten. */
    static final long FORGET_MILLIS = 60_000;
    /** How often the total over all addresses is summed again. */
    private static final long TALLY_MILLIS = 100;

    private final LongSupplier clockMillis;
    private final Map<String, Usage> byAddress = new ConcurrentHashMap<>();
    private final Object tallyLock = new Object();
    private boolean tallied;
    private long tallyAt;
    private double total;
    private int active;

    QueryShares() {
        this(System::currentTimeMillis);
    }

    QueryShares(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    /** Query time of one address: milliseconds as of {@code at}, halving every half-life since. */
    private static final class Usage {
        private double millis;
        private long at;
        private long askedAt;

        Usage(long now) {
            this.at = now;
            this.askedAt = now;
        }

        synchronized double decayed(long now) {
            if (now > at) {
                millis *= Math.pow(0.5, (double) (now - at) / HALF_LIFE_MILLIS);
                at = now;
            }
            return millis;
        }

        synchronized void add(long now, double more) {
            decayed(now);
            millis += more;
            askedAt = Math.max(askedAt, now);
        }

        synchronized long askedAt() {
            return askedAt;
        }
    }

    /** The address asks for query time (it counts among those sharing from now). */
    void asking(String address) {
        long now = clockMillis.getAsLong();
        byAddress.computeIfAbsent(address, a -> new Usage(now)).add(now, 0);
    }

    /** A query of this address took {@code nanos} of a query thread. */
    void used(String address, long nanos) {
        long now = clockMillis.getAsLong();
        byAddress.computeIfAbsent(address, a -> new Usage(now)).add(now, nanos / 1e6);
    }

    /** Its recent query time, in milliseconds (decayed). */
    double recentMillis(String address) {
        Usage u = byAddress.get(address);
        return u == null ? 0 : u.decayed(clockMillis.getAsLong());
    }

    /** Whether this address has had more than its share lately (see the class comment). */
    boolean over(String address) {
        double mine = recentMillis(address);
        if (mine < FLOOR_MILLIS) {
            return false;
        }
        synchronized (tallyLock) {
            long now = clockMillis.getAsLong();
            if (!tallied || now - tallyAt >= TALLY_MILLIS) {
                tally(now);
            }
            return active > 1 && mine > OVER * total / active;
        }
    }

    /** Addresses that queried within the last {@value #FORGET_MILLIS} ms. */
    int active() {
        synchronized (tallyLock) {
            tally(clockMillis.getAsLong());
            return active;
        }
    }

    private void tally(long now) {
        double sum = 0;
        int n = 0;
        for (Map.Entry<String, Usage> e : byAddress.entrySet()) {
            Usage u = e.getValue();
            if (now - u.askedAt() > FORGET_MILLIS) {
                byAddress.remove(e.getKey(), u);
                continue;
            }
            sum += u.decayed(now);
            n++;
        }
        total = sum;
        active = n;
        tallyAt = now;
        tallied = true;
    }
}
