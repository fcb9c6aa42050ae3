package io.nostrex.contract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * What the matcher sends one gateway (key: gateway instance). Two shapes:
 * <ul>
 * <li>an event: value = the event JSON exactly as served, header {@code nostrex.to} =
 *     {@code [[conn,"sub1","sub2"],[conn2,"sub"]]}, the connections and subscription ids it goes to
 *     (a connection may come in more than one target; each subscription id comes once per event).
 *     A live match also carries {@code nostrex.from} = {@code partition:offset} of the event in
 *     {@code nostr.stored}: a matcher's live matches of one partition reach the gateway in offset
 *     order, so one at or below the last a subscription got from that partition is a repeat (a
 *     matcher that crashed, or a partition that moved, matches again from the last commit). A
 *     replayed event has no such header;</li>
 * <li>a subscription acknowledgement: null value, header {@code nostrex.ack} =
 *     {@code {"conn":..,"sub":..,"v":..,"of":P,"owned":[..],"covered":[..]}}, sent by each matcher
 *     instance once its index holds that subscription version, so every event it handles afterwards
 *     is matched against it. {@code of} is the number of partitions of {@code nostr.stored},
 *     {@code owned} the partitions this instance handles, {@code covered} those for which it has
 *     just replayed every matching event it handled since the subscription's {@code since}. Without
 *     {@code of} (or with 0) the ack says nothing of partitions.</li>
 * <li>a sweep notice: null value, header {@code nostrex.swept} = the matcher's clock in milliseconds
 *     (decimal) when it dropped every subscription of the gateway, which it had not heard of for its
 *     gateway timeout. Sent once the tombstones of those subscriptions are on the subscriptions
 *     topic, so that a gateway that was only cut off, and reads this when it is back, registers its
 *     subscriptions again after them.</li>
 * </ul>
 */
public final class Delivery {
    public static final String TO = "nostrex.to";
    public static final String ACK = "nostrex.ack";
    public static final String SWEPT = "nostrex.swept";
    public static final String FROM = "nostrex.from";

    /** Where a live match's event is in {@code nostr.stored}. */
    public record Position(int partition, long offset) {}

    public static void writeFrom(Headers headers, int partition, long offset) {
        headers.add(FROM, (partition + ":" + offset).getBytes(StandardCharsets.UTF_8));
    }

    /** The position of a live match, or null (a replayed event, or a matcher that does not say). */
    public static Position readFrom(Headers headers) throws ContractException {
        Header h = headers.lastHeader(FROM);
        if (h == null) {
            return null;
        }
        String v = new String(h.value(), StandardCharsets.UTF_8);
        int colon = v.indexOf(':');
        try {
            Position p = new Position(Integer.parseInt(v.substring(0, colon)), Long.parseLong(v.substring(colon + 1)));
            if (p.partition() < 0 || p.offset() < 0) {
                throw new NumberFormatException("negative");
            }
            return p;
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new ContractException("malformed delivery position: " + v);
        }
    }

    private Delivery() {}

    /** One connection and the ids of its subscriptions that an event matched. */
    public record Target(long connection, List<String> subscriptionIds) {
        public Target {
            subscriptionIds = List.copyOf(subscriptionIds);
        }
    }

    /**
     * A subscription acknowledgement from one matcher instance: the partitions of
     * {@code nostr.stored} ({@code partitions} in all, 0 when unknown), those it handles and those
     * whose recent events it has replayed to the subscription.
     */
    public record Ack(long connection, String subscriptionId, long version, int partitions, Set<Integer> owned,
                      Set<Integer> covered) {
        public Ack {
            owned = Set.copyOf(owned);
            covered = Set.copyOf(covered);
        }

        /** An acknowledgement that says nothing of partitions. */
        public Ack(long connection, String subscriptionId, long version) {
            this(connection, subscriptionId, version, 0, Set.of(), Set.of());
        }
    }

    /**
     * One target of one subscription, {@code [conn,"sub"]}, as UTF-8: a {@link #TO} header value is
     * such targets joined by commas inside {@code [...]}. The matcher keeps these ready per
     * subscription and concatenates them.
     */
    public static byte[] target(long connection, String subscriptionId) {
        StringBuilder sb = new StringBuilder(24 + subscriptionId.length()).append('[').append(connection).append(',');
        EventJson.string(sb, subscriptionId);
        return sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    public static void writeTargets(Headers headers, List<Target> targets) {
        StringBuilder sb = new StringBuilder(32 * targets.size()).append('[');
        for (int t = 0; t < targets.size(); t++) {
            Target target = targets.get(t);
            sb.append(t > 0 ? ",[" : "[").append(target.connection());
            for (String sub : target.subscriptionIds()) {
                sb.append(',');
                EventJson.string(sb, sub);
            }
            sb.append(']');
        }
        headers.add(TO, sb.append(']').toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The targets in these headers (streamed: a gateway reads one such list per delivered event). */
    public static List<Target> readTargets(Headers headers) throws ContractException {
        Header h = headers.lastHeader(TO);
        if (h == null) {
            return List.of();
        }
        try (JsonParser p = Json.mapper().getFactory().createParser(h.value())) {
            expect(p.nextToken() == JsonToken.START_ARRAY, "not an array");
            List<Target> targets = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_ARRAY) {
                expect(p.nextToken() == JsonToken.VALUE_NUMBER_INT, "a target without a connection number");
                long connection = p.getLongValue();
                List<String> subs = new ArrayList<>(1);
                JsonToken t;
                while ((t = p.nextToken()) == JsonToken.VALUE_STRING) {
                    subs.add(p.getText());
                }
                expect(t == JsonToken.END_ARRAY, "a subscription id that is not a string");
                expect(!subs.isEmpty(), "a target without subscription ids");
                targets.add(new Target(connection, subs));
            }
            expect(p.currentToken() == JsonToken.END_ARRAY && p.nextToken() == null, "a target that is not an array");
            return targets;
        } catch (IOException | RuntimeException e) {
            throw new ContractException("malformed delivery targets: " + e.getMessage());
        }
    }

    private static void expect(boolean ok, String problem) throws ContractException {
        if (!ok) {
            throw new ContractException("malformed delivery targets: " + problem);
        }
    }

    public static void writeSwept(Headers headers, long sweptAtMillis) {
        headers.add(SWEPT, Long.toString(sweptAtMillis).getBytes(StandardCharsets.UTF_8));
    }

    /** When the matcher swept the gateway (its clock, ms), or null when the record is no sweep notice. */
    public static Long readSwept(Headers headers) throws ContractException {
        Header h = headers.lastHeader(SWEPT);
        if (h == null) {
            return null;
        }
        try {
            return Long.parseLong(new String(h.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            throw new ContractException("malformed sweep notice: " + e.getMessage());
        }
    }

    public static void writeAck(Headers headers, Ack ack) {
        StringBuilder sb = new StringBuilder(64).append("{\"conn\":").append(ack.connection()).append(",\"sub\":");
        EventJson.string(sb, ack.subscriptionId());
        sb.append(",\"v\":").append(ack.version());
        if (ack.partitions() > 0) {
            sb.append(",\"of\":").append(ack.partitions());
            appendPartitions(sb.append(",\"owned\":"), ack.owned());
            appendPartitions(sb.append(",\"covered\":"), ack.covered());
        }
        sb.append('}');
        headers.add(ACK, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The acknowledgement in these headers, or null when the record is an event delivery. */
    public static Ack readAck(Headers headers) throws ContractException {
        Header h = headers.lastHeader(ACK);
        if (h == null) {
            return null;
        }
        try {
            JsonNode n = Json.read(h.value());
            int partitions = n.path("of").asInt(0);
            if (partitions < 0) {
                throw new ContractException("malformed delivery ack: negative partition count");
            }
            return new Ack(n.path("conn").asLong(), n.path("sub").asText(), n.path("v").asLong(), partitions,
                    readPartitions(n.path("owned"), partitions), readPartitions(n.path("covered"), partitions));
        } catch (Json.MalformedJsonException e) {
            throw new ContractException("malformed delivery ack: " + e.getMessage());
        }
    }

    private static void appendPartitions(StringBuilder sb, Set<Integer> partitions) {
        sb.append('[');
        int i = 0;
        for (int p : new TreeSet<>(partitions)) {
            sb.append(i++ > 0 ? "," : "").append(p);
        }
        sb.append(']');
    }

    private static Set<Integer> readPartitions(JsonNode list, int partitions) throws ContractException {
        if (list.isMissingNode()) {
            return Set.of();
        }
        if (!list.isArray()) {
            throw new ContractException("malformed delivery ack: partitions are not a list");
        }
        Set<Integer> out = new TreeSet<>();
        for (JsonNode p : list) {
            if (!p.canConvertToInt() || !p.isIntegralNumber() || p.asInt() < 0 || p.asInt() >= partitions) {
                throw new ContractException("malformed delivery ack: no partition " + p + " of " + partitions);
            }
            out.add(p.asInt());
        }
        return out;
    }
}
