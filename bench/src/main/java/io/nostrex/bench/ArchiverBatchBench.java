package io.nostrex.bench;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventParser;
import io.nostrex.protocol.Hex;
import io.nostrex.protocol.KindClass;
import io.nostrex.store.Database;
import io.nostrex.store.EventStore;
import io.nostrex.store.StoreOutcome;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The archiver's write: one {@link EventStore#store} transaction of a batch of new regular events
 * (the real corpus's kind-1/7/6/4 events with fresh ids, so every one is an insert) into an
 * embedded PostgreSQL with fsync on. Score: events per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ArchiverBatchBench {
    @Param({"100", "1000"})
    public int batch;

    private EmbeddedPostgres postgres;
    private Database database;
    private EventStore store;
    private List<Event> templates;
    private final Random random = new Random(7);

    @Setup(Level.Trial)
    public void setup() throws Exception {
        postgres = EmbeddedPostgres.builder()
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on").start();
        database = Database.connect(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", 2);
        store = new EventStore(database.dataSource());
        templates = new ArrayList<>();
        for (String line : Corpus.lines()) {
            Event e = EventParser.parse(line);
            if (e.kindClass() == KindClass.REGULAR && e.kind() != 5) {
                templates.add(e);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        database.close();
        postgres.close();
    }

    private Event fresh() {
        Event t = templates.get(random.nextInt(templates.size()));
        byte[] id = new byte[32];
        random.nextBytes(id);
        return new Event(Hex.encode(id), t.pubkey(), t.createdAt(), t.kind(), t.tags(), t.content(), t.sig());
    }

    /** One transaction of {@code batch} inserts; the score is batches/s (multiply by batch for events/s). */
    @Benchmark
    public List<StoreOutcome> storeBatch() {
        List<Event> events = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            events.add(fresh());
        }
        return store.store(events);
    }

}
