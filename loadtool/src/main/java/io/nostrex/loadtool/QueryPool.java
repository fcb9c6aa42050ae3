package io.nostrex.loadtool;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.message.MessageCodec;
import io.nostrex.protocol.message.MessageException;
import io.nostrex.protocol.message.RelayMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The values the query mode draws its filters from: authors, kinds, {@code #t} and {@code #p}
 * values and ids that are in the store, a {@code #t} value most events carry ({@code popular},
 * null when none) and the span of {@code created_at} they cover, either known from the preload or
 * sampled from the relay.
 */
record QueryPool(List<String> authors, List<Integer> kinds, List<String> topics, List<String> mentions,
                 List<String> ids, String popular, long oldest, long newest) {

    /**
     * The filter shapes, taken round-robin over the queries: one author; an author with a kind; a
     * kind; one {@code #t}; three {@code #t} values; a {@code #t} with a kind; the popular
     * {@code #t}; one {@code #p}; ten ids; an hour's window of {@code since} and {@code until}.
     */
    static final List<String> TYPES = List.of("authors", "authors+kinds", "kinds", "#t", "#t several", "#t+kinds",
            "#t popular", "#p", "ids", "window");

    /** Ids per {@code ids} filter. */
    static final int IDS_PER_FILTER = 10;
    /** Values per {@code #t several} filter. */
    static final int SEVERAL = 3;
    /** The span of a {@code window} filter, in seconds. */
    static final long WINDOW_SECONDS = 3600;

    QueryPool {
        authors = List.copyOf(authors);
        kinds = List.copyOf(kinds);
        topics = List.copyOf(topics);
        mentions = List.copyOf(mentions);
        ids = List.copyOf(ids);
    }

    /** The filter shapes this pool has values for. */
    List<String> types() {
        return TYPES.stream().filter(this::hasValuesFor).toList();
    }

    private boolean hasValuesFor(String type) {
        return switch (type) {
            case "authors" -> !authors.isEmpty();
            case "authors+kinds" -> !authors.isEmpty() && !kinds.isEmpty();
            case "kinds" -> !kinds.isEmpty();
            case "#t" -> !topics.isEmpty();
            case "#t several" -> topics.size() >= SEVERAL;
            case "#t+kinds" -> !topics.isEmpty() && !kinds.isEmpty();
            case "#t popular" -> popular != null;
            case "#p" -> !mentions.isEmpty();
            case "ids" -> !ids.isEmpty();
            case "window" -> newest > oldest;
            default -> false;
        };
    }

    /** One filter of {@code type} with random values from the pool, as JSON. */
    String filter(String type, int limit, Random random) {
        String condition = switch (type) {
            case "authors" -> "\"authors\":[\"" + pick(authors, random) + "\"]";
            case "authors+kinds" -> "\"authors\":[\"" + pick(authors, random) + "\"],\"kinds\":[" + pick(kinds, random) + "]";
            case "kinds" -> "\"kinds\":[" + pick(kinds, random) + "]";
            case "#t" -> "\"#t\":[" + quote(pick(topics, random)) + "]";
            case "#t several" -> "\"#t\":[" + severalTopics(random) + "]";
            case "#t+kinds" -> "\"#t\":[" + quote(pick(topics, random)) + "],\"kinds\":[" + pick(kinds, random) + "]";
            case "#t popular" -> "\"#t\":[" + quote(popular) + "]";
            case "#p" -> "\"#p\":[\"" + pick(mentions, random) + "\"]";
            case "ids" -> "\"ids\":[" + someIds(random) + "]";
            case "window" -> window(random);
            default -> throw new IllegalArgumentException("unknown filter type " + type);
        };
        return "{" + condition + ",\"limit\":" + limit + "}";
    }

    private String severalTopics(Random random) {
        Set<String> chosen = new LinkedHashSet<>();
        while (chosen.size() < SEVERAL) {
            chosen.add(pick(topics, random));
        }
        return String.join(",", chosen.stream().map(QueryPool::quote).toList());
    }

    private String window(Random random) {
        long span = Math.max(1, newest - oldest - WINDOW_SECONDS);
        long since = oldest + (long) (random.nextDouble() * span);
        return "\"since\":" + since + ",\"until\":" + (since + WINDOW_SECONDS);
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

    /**
     * A pool from sampled events; the popular {@code #t} is the value at least a fifth of them
     * carry, if any (the most carried one).
     */
    static QueryPool of(List<Event> events) {
        Set<String> authors = new LinkedHashSet<>();
        Set<Integer> kinds = new LinkedHashSet<>();
        Map<String, Integer> topics = new LinkedHashMap<>();
        Set<String> mentions = new LinkedHashSet<>();
        List<String> ids = new ArrayList<>();
        long oldest = Long.MAX_VALUE;
        long newest = 0;
        for (Event e : events) {
            authors.add(e.pubkey());
            kinds.add(e.kind());
            e.tagValues("t").stream().distinct().forEach(t -> topics.merge(t, 1, Integer::sum));
            mentions.addAll(e.tagValues("p").stream().filter(p -> p.matches("[0-9a-f]{64}")).toList());
            ids.add(e.id());
            oldest = Math.min(oldest, e.createdAt());
            newest = Math.max(newest, e.createdAt());
        }
        String popular = topics.entrySet().stream().filter(t -> t.getValue() * 5 >= events.size())
                .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        return new QueryPool(List.copyOf(authors), List.copyOf(kinds), List.copyOf(topics.keySet()), List.copyOf(mentions),
                ids, popular, events.isEmpty() ? 0 : oldest, newest);
    }
}
