package io.nostrex.bench;

import io.nostrex.protocol.Canonical;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventParser;
import io.nostrex.protocol.EventVerifier;
import io.nostrex.protocol.Hex;
import io.nostrex.protocol.InvalidEventException;
import io.nostrex.protocol.crypto.BouncyCastleSchnorrVerifier;
import io.nostrex.protocol.crypto.NativeSchnorrVerifier;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The validator's hot path over the real corpus, one event per operation, one thread: parse,
 * canonical serialization + SHA-256 id, BIP-340 verification; and each step alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class EventValidationBench {
    private List<String> json;
    private List<Event> events;
    private EventVerifier nativeVerifier;
    private EventVerifier bouncyCastle;
    private NativeSchnorrVerifier schnorr;
    private byte[][] sigs;
    private byte[][] ids;
    private byte[][] pubkeys;
    private int next;

    @Setup
    public void setup() throws InvalidEventException {
        json = Corpus.lines();
        events = new ArrayList<>(json.size());
        for (String line : json) {
            events.add(EventParser.parse(line));
        }
        schnorr = new NativeSchnorrVerifier();
        nativeVerifier = new EventVerifier(schnorr);
        sigs = new byte[events.size()][];
        ids = new byte[events.size()][];
        pubkeys = new byte[events.size()][];
        for (int i = 0; i < events.size(); i++) {
            sigs[i] = Hex.decode(events.get(i).sig());
            ids[i] = Hex.decode(events.get(i).id());
            pubkeys[i] = Hex.decode(events.get(i).pubkey());
        }
        bouncyCastle = new EventVerifier(new BouncyCastleSchnorrVerifier());
    }

    private int index() {
        int i = next;
        next = i + 1 == json.size() ? 0 : i + 1;
        return i;
    }

    /** Full validation as the validator does it: parse + id + signature (libsecp256k1). */
    @Benchmark
    public Event fullValidation() throws InvalidEventException {
        return nativeVerifier.parseAndVerify(json.get(index()));
    }

    /** Full validation with the pure-Java fallback verifier. */
    @Benchmark
    public Event fullValidationBouncyCastle() throws InvalidEventException {
        return bouncyCastle.parseAndVerify(json.get(index()));
    }

    /** The BIP-340 check alone (libsecp256k1), on precomputed ids: the floor of full validation. */
    @Benchmark
    public boolean signatureOnly() {
        int i = index();
        return schnorr.verify(sigs[i], ids[i], pubkeys[i]);
    }

    @Benchmark
    public Event parseOnly() throws InvalidEventException {
        return EventParser.parse(json.get(index()));
    }

    @Benchmark
    public String canonicalId() {
        return Canonical.id(events.get(index()));
    }

    @Benchmark
    public byte[] canonicalSerialization() {
        return Canonical.serialize(events.get(index()));
    }
}
