package io.nostrex.app;

import io.nostrex.contract.Topics;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventParser;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.FilterParser;
import io.nostrex.protocol.InvalidEventException;
import io.nostrex.protocol.Json;
import io.nostrex.store.EventExport;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nostrex export}: the stored events as JSONL on standard output, one event object per line
 * (as {@code strfry export} and nak write them), oldest first, so that importing the file replays
 * history in order. Streams: memory stays bounded whatever the size of the store. With
 * {@code --from-log}, the events of {@code nostr.events} instead, in the log's order, up to where
 * the log ended when the export started.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write the stored events as JSONL to standard output, oldest first (created_at, then id).",
                "Reads the PostgreSQL of DATABASE_URL; with --from-log, nostr.events on KAFKA_BOOTSTRAP_SERVERS.",
                "--filter JSON (repeatable): only events matching any of them (a filter's limit does not apply).",
                "Progress goes to standard error on a terminal; the last line there is 'exported N events'."})
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--filter", paramLabel = "JSON", description = "a NIP-01 filter, e.g. '{\"kinds\":[1]}' (repeatable)")
    List<String> filterTexts = new ArrayList<>();

    @Option(names = "--from-log", description = "export nostr.events (in log order) instead of PostgreSQL")
    boolean fromLog;

    @Override
    public Integer call() {
        List<Filter> filters = filters();
        Settings s = Settings.fromEnvironment();
        if (!fromLog && s.databaseUrl() == null) {
            throw new ParameterException(spec.commandLine(),
                    "DATABASE_URL is not set (e.g. jdbc:postgresql://db:5432/nostrex); or export the log with --from-log");
        }
        PrintStream progress = TerminalProgress.terminal();
        Writer out = new BufferedWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8),
                1 << 16);
        try {
            long n = fromLog ? fromLog(s.kafka(), filters, out, progress) : fromStore(s, filters, out, progress);
            out.flush();
            System.err.println("exported " + n + " events");
            return 0;
        } catch (IOException | RuntimeException e) {
            System.err.println(TerminalProgress.failure("export", e));
            return 1;
        }
    }

    /** The --filter options parsed; a bad one is a usage error that names it. */
    List<Filter> filters() {
        List<Filter> filters = new ArrayList<>();
        for (String text : filterTexts) {
            try {
                filters.add(FilterParser.parse(Json.read(text)));
            } catch (Exception e) {
                throw new ParameterException(spec.commandLine(), "--filter " + text + ": " + e.getMessage());
            }
        }
        return filters;
    }

    /** Reads through plain connections: an export changes nothing, not even the schema's migrations. */
    private static long fromStore(Settings s, List<Filter> filters, Writer out, PrintStream progress) throws IOException {
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setURL(s.databaseUrl());
        if (s.databaseUser() != null) {
            db.setUser(s.databaseUser());
        }
        if (s.databasePassword() != null) {
            db.setPassword(s.databasePassword());
        }
        db.setReadOnly(true);
        return export(new EventExport(db), filters, out, progress);
    }

    /** Writes every matching stored event as a line; progress (count, rate, position, ETA) once a second. */
    static long export(EventExport export, List<Filter> filters, Writer out, PrintStream progress) throws IOException {
        EventExport.Span span = progress == null ? null : export.span();
        Progress p = new Progress(progress, span);
        long n = export.export(filters, Instant.now().getEpochSecond(), (json, createdAt) -> {
            out.write(json);
            out.write('\n');
            p.step(createdAt);
        });
        p.done();
        return n;
    }

    /** The events of nostr.events up to the end offsets seen at the start, matching any filter, in log order. */
    static long fromLog(Map<String, Object> kafka, List<Filter> filters, Writer out, PrintStream progress)
            throws IOException {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        long n = 0;
        Progress p = new Progress(progress, null);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition())) || r.value() == null) {
                        continue;
                    }
                    Event e;
                    try {
                        e = EventParser.parse(r.value());
                    } catch (InvalidEventException bad) {
                        System.err.println("skipped " + r.topic() + "-" + r.partition() + "@" + r.offset() + ": " + bad.getMessage());
                        continue;
                    }
                    if (filters.isEmpty() || filters.stream().anyMatch(f -> f.matches(e))) {
                        out.write(r.value());
                        out.write('\n');
                        n++;
                        p.step(e.createdAt());
                    }
                }
            }
        }
        p.done();
        return n;
    }

    /** Count, rate, position (the created_at reached) and, when the span is known, an ETA, once a second. */
    private static final class Progress {
        private final TerminalProgress line;
        private final EventExport.Span span;
        private long count;

        Progress(PrintStream to, EventExport.Span span) {
            this.line = new TerminalProgress(to);
            this.span = span;
        }

        void step(long createdAt) {
            count++;
            double seconds = (count & 1023) != 0 ? -1 : line.due();
            if (seconds < 0) {
                return;
            }
            String eta = "";
            if (span != null && span.newest() > span.oldest() && createdAt > span.oldest()) {
                double done = (double) (createdAt - span.oldest()) / (span.newest() - span.oldest());
                eta = String.format(", ETA %.0f s", seconds * (1 - done) / done);
            }
            line.show(String.format("exported %,d events, %,.0f/s, at %s%s", count, count / seconds,
                    Instant.ofEpochSecond(createdAt), eta));
        }

        void done() {
            line.clear();
        }
    }
}
