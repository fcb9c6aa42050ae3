package io.nostrex.matcher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One thread's scratch for one match: for each gateway the event goes to, its {@code nostrex.to}
 * header values being written (targets joined by commas, cut into values of at most
 * {@code budget} bytes), and the buckets and subscriptions already met in this match. "Already met"
 * is an epoch stamp by dense number, so nothing is cleared between matches and nothing is hashed.
 */
final class Gather {
    private final int budget;
    private int epoch;
    private int[] bucketStamps = new int[64];
    private int[] subscriptionStamps = new int[64];
    private Sink[] sinks = new Sink[4];
    private int[] touched = new int[4];
    private int touchedCount;

    Gather(int budget) {
        this.budget = budget;
    }

    void begin() {
        if (++epoch == 0) {
            // after 2^32 matches: forget every stamp, or one left from an old match could pass as current
            Arrays.fill(bucketStamps, 0);
            Arrays.fill(subscriptionStamps, 0);
            for (Sink sink : sinks) {
                if (sink != null) {
                    sink.epoch = 0;
                }
            }
            epoch = 1;
        }
        touchedCount = 0;
    }

    /** Sets the match counter, so that tests can reach its wrap-around. */
    void epoch(int value) {
        epoch = value;
    }

    /** True the first time this match meets the bucket. */
    boolean firstVisit(Bucket bucket) {
        int id = bucket.id;
        if (id >= bucketStamps.length) {
            bucketStamps = Arrays.copyOf(bucketStamps, Math.max(id + 1, bucketStamps.length * 2));
        }
        if (bucketStamps[id] == epoch) {
            return false;
        }
        bucketStamps[id] = epoch;
        return true;
    }

    /** The group's first {@code count} members matched. */
    void group(TargetGroup group, int count) {
        if (count > 0) {
            sink(group.gateway).appendJoined(group.bytes(), group.ends(), count);
        }
    }

    /** The subscription matched; kept once per match. */
    void hit(LiveSubscription sub) {
        if (!sub.reachedOnce) {
            int slot = sub.slot;
            if (slot >= subscriptionStamps.length) {
                subscriptionStamps = Arrays.copyOf(subscriptionStamps, Math.max(slot + 1, subscriptionStamps.length * 2));
            }
            if (subscriptionStamps[slot] == epoch) {
                return;
            }
            subscriptionStamps[slot] = epoch;
        }
        sink(sub.gatewayIndex).append(sub.target);
    }

    private Sink sink(int gateway) {
        if (gateway >= sinks.length) {
            sinks = Arrays.copyOf(sinks, Math.max(gateway + 1, sinks.length * 2));
        }
        Sink sink = sinks[gateway];
        if (sink == null) {
            sink = sinks[gateway] = new Sink(budget);
        }
        if (sink.epoch != epoch) {
            sink.begin(epoch);
            if (touchedCount == touched.length) {
                touched = Arrays.copyOf(touched, touchedCount * 2);
            }
            touched[touchedCount++] = gateway;
        }
        return sink;
    }

    /** The header values written, by gateway name ({@code names} by dense number). */
    Map<String, List<byte[]>> routing(String[] names) {
        if (touchedCount == 0) {
            return Map.of();
        }
        Map<String, List<byte[]>> routing = new LinkedHashMap<>();
        for (int i = 0; i < touchedCount; i++) {
            routing.put(names[touched[i]], sinks[touched[i]].finish());
        }
        return routing;
    }

    /** The header values for one gateway in one match. */
    private static final class Sink {
        private final int budget;
        private int epoch;
        private byte[] buffer = new byte[256];
        /** Bytes of the value being written; 0 before its first target. */
        private int length;
        private List<byte[]> values;

        Sink(int budget) {
            this.budget = budget;
        }

        void begin(int epoch) {
            this.epoch = epoch;
            this.length = 0;
            this.values = new ArrayList<>(1);
        }

        void append(byte[] target) {
            if (length > 0 && length + 1 + target.length + 1 > budget) {
                close();
            }
            write(target, 0, target.length);
        }

        /**
         * Appends {@code count} targets joined by commas in {@code joined}, target i ending at
         * {@code ends[i]}; cut between targets where the budget asks.
         */
        void appendJoined(byte[] joined, int[] ends, int count) {
            int from = 0;
            int first = 0;
            while (first < count) {
                int room = budget - length - 2; // a comma or '[' before, ']' after
                int last = lastFitting(ends, first, count, from, room);
                if (last < first) {
                    if (length > 0) {
                        close();
                        continue;
                    }
                    last = first; // a single target over the budget goes alone
                }
                write(joined, from, ends[last]);
                from = ends[last] + 1;
                first = last + 1;
                if (first < count) {
                    close();
                }
            }
        }

        /** The last target index whose end is within {@code room} bytes of {@code from}; first - 1 when none. */
        private static int lastFitting(int[] ends, int first, int count, int from, int room) {
            if (ends[count - 1] - from <= room) {
                return count - 1;
            }
            int lo = first;
            int hi = count - 1;
            int found = first - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (ends[mid] - from <= room) {
                    found = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return found;
        }

        private void write(byte[] source, int from, int to) {
            int needed = length + 2 + (to - from);
            if (needed > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(needed, buffer.length * 2));
            }
            buffer[length] = (byte) (length == 0 ? '[' : ',');
            length++;
            System.arraycopy(source, from, buffer, length, to - from);
            length += to - from;
        }

        private void close() {
            buffer[length++] = ']';
            values.add(Arrays.copyOf(buffer, length));
            length = 0;
        }

        List<byte[]> finish() {
            if (length > 0) {
                close();
            }
            List<byte[]> done = values;
            values = null;
            return done;
        }
    }
}
