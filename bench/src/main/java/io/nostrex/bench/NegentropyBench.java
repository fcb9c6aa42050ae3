package io.nostrex.bench;

import io.nostrex.protocol.negentropy.NegItems;
import io.nostrex.protocol.negentropy.Negentropy;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * NIP-77: one whole reconciliation, client and server in one thread, over {@code records} records
 * a side (created_at spread over a year) of which {@code differPerMille} per mille differ on each
 * side, with the gateway's 60 KB frames. What a sync session costs the relay's CPU (the server's
 * share is about half), beside loading the records from PostgreSQL.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = "-Xmx2g")
public class NegentropyBench {
    @Param({"10000", "100000"})
    public int records;

    @Param({"0", "10", "100"})
    public int differPerMille;

    private NegItems client;
    private NegItems server;

    @Setup
    public void setup() {
        Random r = new Random(42);
        NegItems.Builder c = new NegItems.Builder();
        NegItems.Builder s = new NegItems.Builder();
        for (int i = 0; i < records; i++) {
            long createdAt = 1_700_000_000L + r.nextInt(365 * 86_400);
            byte[] id = new byte[32];
            r.nextBytes(id);
            int roll = r.nextInt(1000);
            if (roll >= differPerMille) {
                c.add(createdAt, id);
                s.add(createdAt, id);
            } else if (roll % 2 == 0) {
                c.add(createdAt, id);
            } else {
                s.add(createdAt, id);
            }
        }
        client = c.build();
        server = s.build();
    }

    /** Returns the number of ids the client learned, so that nothing is optimised away. */
    @Benchmark
    public int reconcile() throws Exception {
        Negentropy c = new Negentropy(client, 60_000);
        Negentropy s = new Negentropy(server, 60_000);
        int learned = 0;
        byte[] msg = c.initiate();
        while (msg != null) {
            Negentropy.Round round = c.reconcile(s.answer(msg));
            learned += round.have().size() + round.need().size();
            msg = round.next();
        }
        return learned;
    }
}
