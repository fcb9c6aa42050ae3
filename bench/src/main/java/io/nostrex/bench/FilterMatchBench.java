package io.nostrex.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventParser;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.FilterParser;
import io.nostrex.protocol.InvalidEventException;
import io.nostrex.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Filter.matches over the real corpus against typical client filters (author feed, kind list,
 * #p mentions, #e thread, a compound one): one operation = one event checked against all of them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FilterMatchBench {
    private List<Event> events;
    private List<Filter> filters;
    private int next;

    @Setup
    public void setup() throws Exception {
        events = new ArrayList<>();
        for (String line : Corpus.lines()) {
            events.add(EventParser.parse(line));
        }
        Event a = events.get(0);
        Event b = events.get(events.size() / 2);
        filters = List.of(
                parse("{\"authors\":[\"" + a.pubkey() + "\",\"" + b.pubkey() + "\"],\"kinds\":[1,6,7]}"),
                parse("{\"kinds\":[0,3,10002]}"),
                parse("{\"#p\":[\"" + b.pubkey() + "\"],\"kinds\":[1,4,7]}"),
                parse("{\"#e\":[\"" + a.id() + "\"]}"),
                parse("{\"kinds\":[1],\"since\":1600000000,\"until\":1800000000,\"#t\":[\"nostr\",\"bitcoin\"]}"));
    }

    private static Filter parse(String json) throws Json.MalformedJsonException, FilterParser.InvalidFilterException {
        JsonNode node = Json.read(json);
        return FilterParser.parse(node);
    }

    @Benchmark
    public boolean matchFiveFilters() throws InvalidEventException {
        Event e = events.get(next);
        next = next + 1 == events.size() ? 0 : next + 1;
        return Filter.anyMatches(filters, e);
    }
}
