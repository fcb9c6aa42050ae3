package io.nostrex.bench;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.EventParser;
import io.nostrex.protocol.Hex;
import io.nostrex.protocol.InvalidEventException;
import io.nostrex.protocol.Json;
import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What each stage after the gateway pays per event to read and write it, over the real corpus, one
 * event per operation: the streaming parse of text and of UTF-8 bytes, the tree parse it replaced,
 * and writing the event back to JSON (text, then bytes), which the stages no longer do.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class EventJsonBench {
    private List<String> json;
    private byte[][] utf8;
    private Event[] events;
    private int next;

    @Setup
    public void setup() throws InvalidEventException {
        json = Corpus.lines();
        utf8 = new byte[json.size()][];
        events = new Event[json.size()];
        for (int i = 0; i < json.size(); i++) {
            events[i] = EventParser.parse(json.get(i));
            utf8[i] = EventJson.write(events[i]).getBytes(StandardCharsets.UTF_8);
        }
    }

    private int index() {
        int i = next;
        next = i + 1 == json.size() ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public Event parseText() throws InvalidEventException {
        return EventParser.parse(json.get(index()));
    }

    @Benchmark
    public Event parseBytes() throws InvalidEventException {
        return EventParser.parse(utf8[index()]);
    }

    @Benchmark
    public Event parseTextAsTree() throws Exception {
        return EventParser.parse(Json.read(json.get(index())));
    }

    /** The hex work of one event: its id, pubkey and signature checked as lowercase hex, then decoded. */
    @Benchmark
    public int hexCheckAndDecode() {
        Event e = events[index()];
        int ok = (Hex.isLowerHex(e.id(), 64) ? 1 : 0) + (Hex.isLowerHex(e.pubkey(), 64) ? 1 : 0)
                + (Hex.isLowerHex(e.sig(), 128) ? 1 : 0);
        return ok + Hex.decode(e.id())[0] + Hex.decode(e.pubkey())[0] + Hex.decode(e.sig())[0];
    }

    @Benchmark
    public byte[] writeToBytes() {
        return EventJson.write(events[index()]).getBytes(StandardCharsets.UTF_8);
    }
}
