package io.nostrex.matcher;

import io.nostrex.contract.ContractException;
import io.nostrex.contract.SubscriptionRecord;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.FilterParser;
import io.nostrex.protocol.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import io.nostrex.contract.Delivery;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Readable test data: filters written as JSON with single quotes and $NAMES for hex values. */
final class Fixtures {
    static final String ID1 = "1".repeat(64);
    static final String ID2 = "2".repeat(64);
    static final String ALICE = "a".repeat(64);
    static final String BOB = "b".repeat(64);
    static final String CAROL = "c".repeat(64);
    static final String SIG = "0".repeat(128);

    private Fixtures() {}

    /** A filter from JSON like {@code {'authors':['$ALICE'],'kinds':[1]}}. */
    static Filter filter(String json) {
        String text = json.replace('\'', '"').replace("$ID1", ID1).replace("$ID2", ID2)
                .replace("$ALICE", ALICE).replace("$BOB", BOB).replace("$CAROL", CAROL);
        try {
            return FilterParser.parse(Json.read(text));
        } catch (Json.MalformedJsonException | FilterParser.InvalidFilterException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** An event; each tag written {@code "e:value"} or {@code "e:value:extra"}; signature irrelevant. */
    static Event event(String id, String pubkey, int kind, long createdAt, String... tags) {
        List<List<String>> parsed = new ArrayList<>();
        for (String tag : tags) {
            parsed.add(Arrays.asList(tag.split(":", -1)));
        }
        return new Event(id, pubkey, createdAt, kind, parsed, "", SIG);
    }

    static SubscriptionRecord sub(String gateway, long connection, String id, long version, String... filters) {
        return new SubscriptionRecord(gateway, connection, id, version,
                Arrays.stream(filters).map(Fixtures::filter).toList());
    }

    /**
     * Where the index sends the event, read back from its header values the way a gateway reads them:
     * gateway -> targets, in order, over all of that gateway's records.
     */
    static Map<String, List<Delivery.Target>> routing(SubscriptionIndex index, Event event) {
        Map<String, List<Delivery.Target>> out = new TreeMap<>();
        index.match(event).forEach((gateway, values) -> {
            List<Delivery.Target> targets = new ArrayList<>();
            for (byte[] value : values) {
                Headers headers = new RecordHeaders();
                headers.add(Delivery.TO, value);
                try {
                    targets.addAll(Delivery.readTargets(headers));
                } catch (ContractException e) {
                    throw new AssertionError("unreadable header value " + new String(value, java.nio.charset.StandardCharsets.UTF_8), e);
                }
            }
            out.put(gateway, targets);
        });
        return out;
    }

    /** The (connection, subscription id) pairs of one gateway's targets, one per subscription id. */
    static List<String> pairs(List<Delivery.Target> targets) {
        List<String> pairs = new ArrayList<>();
        targets.forEach(t -> t.subscriptionIds().forEach(id -> pairs.add(t.connection() + "/" + id)));
        return pairs;
    }

    /** Routing as gateway -> connection -> subscription ids, order-free, for comparisons. */
    static Map<String, Map<Long, Set<String>>> normalized(Map<String, List<Delivery.Target>> routing) {
        Map<String, Map<Long, Set<String>>> out = new TreeMap<>();
        routing.forEach((gateway, targets) -> {
            Map<Long, Set<String>> byConn = new TreeMap<>();
            for (Delivery.Target t : targets) {
                byConn.computeIfAbsent(t.connection(), c -> new TreeSet<>()).addAll(t.subscriptionIds());
            }
            out.put(gateway, byConn);
        });
        return out;
    }
}
