package io.nostrex.app.load;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.message.MessageCodec;
import io.nostrex.protocol.message.MessageException;
import io.nostrex.protocol.message.RelayMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The values the query mode draws its filters from: authors, kinds, {@code #t} and {@code #p}
 * values and ids that are in the store, either known from the preload or sampled from the relay.
 */
record QueryPool(List<String> authors, List<Integer> kinds, List<String> topics, List<String> mentions,
                 List<String> ids) {

    /** The filter types, taken round-robin over the queries. */
    static final List<String> TYPES = List.of("authors", "kinds", "#t", "#p", "ids");

    /** Ids per {@code ids} filter. */
    static final int IDS_PER_FILTER = 10;

    QueryPool {
        authors = List.copyOf(authors);
        kinds = List.copyOf(kinds);
        topics = List.copyOf(topics);
        mentions = List.copyOf(mentions);
        ids = List.copyOf(ids);
    }

    /** The filter types this pool has values for. */
    List<String> types() {
        List<Integer> sizes = List.of(authors.size(), kinds.size(), topics.size(), mentions.size(), ids.size());
        List<String> types = new ArrayList<>();
        for (int t = 0; t < TYPES.size(); t++) {
            if (sizes.get(t) > 0) {
                types.add(TYPES.get(t));
            }
        }
        return types;
    }

    /** One filter of {@code type} with random values from the pool, as JSON. */
    String filter(String type, int limit, Random random) {
        String condition = switch (type) {
            case "authors" -> "\"authors\":[\"" + pick(authors, random) + "\"]";
            case "kinds" -> "\"kinds\":[" + pick(kinds, random) + "]";
            case "#t" -> "\"#t\":[" + quote(pick(topics, random)) + "]";
            case "#p" -> "\"#p\":[\"" + pick(mentions, random) + "\"]";
            case "ids" -> "\"ids\":[" + someIds(random) + "]";
            default -> throw new IllegalArgumentException("unknown filter type " + type);
        };
        return "{" + condition + ",\"limit\":" + limit + "}";
    }

    private static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2);
        EventJson.string(sb, value);
        return sb.toString();
    }

    private String someIds(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(IDS_PER_FILTER, ids.size()); i++) {
            sb.append(i == 0 ? "\"" : ",\"").append(pick(ids, random)).append('"');
        }
        return sb.toString();
    }

    private static <T> T pick(List<T> values, Random random) {
        return values.get(random.nextInt(values.size()));
    }

    /** A pool from a sample of the newest events in the store ({@code REQ {"limit":500}}). */
    static QueryPool sample(Target target, Duration timeout) throws Exception {
        List<Event> events = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        RelaySocket socket = RelaySocket.open(target.clientFor(0), target.uri(), 0, (s, text, now) -> {
            try {
                RelayMessage m = MessageCodec.decodeRelay(text);
                if (m instanceof RelayMessage.EventMessage e) {
                    synchronized (events) {
                        events.add(e.event());
                    }
                } else if (m instanceof RelayMessage.Eose || m instanceof RelayMessage.Closed) {
                    done.complete(null);
                }
            } catch (MessageException e) {
                done.completeExceptionally(e);
            }
        }, timeout).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            socket.send("[\"REQ\",\"sample\",{\"limit\":500}]");
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            socket.abort();
        }
        synchronized (events) {
            return of(events);
        }
    }

    static QueryPool of(List<Event> events) {
        Set<String> authors = new LinkedHashSet<>();
        Set<Integer> kinds = new LinkedHashSet<>();
        Set<String> topics = new LinkedHashSet<>();
        Set<String> mentions = new LinkedHashSet<>();
        List<String> ids = new ArrayList<>();
        for (Event e : events) {
            authors.add(e.pubkey());
            kinds.add(e.kind());
            topics.addAll(e.tagValues("t"));
            mentions.addAll(e.tagValues("p").stream().filter(p -> p.matches("[0-9a-f]{64}")).toList());
            ids.add(e.id());
        }
        return new QueryPool(List.copyOf(authors), List.copyOf(kinds), List.copyOf(topics), List.copyOf(mentions), ids);
    }
}
