package io.nostrex.loadtool;

import io.nostrex.contract.Origin;
import io.nostrex.contract.Topics;
import io.nostrex.protocol.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nostrex bench hops}: reads the newest records of the pipeline's topics from Kafka (no
 * consumer group, nothing committed) and prints how long accepted events took between stages.
 */
@Command(name = "hops", mixinStandardHelpOptions = true,
        description = {"Pipeline hops: how long the newest events took between gateway, validator and archiver,",
                "from the times the pipeline records in Kafka (receive time header, record timestamps).",
                "Reads only: no consumer group, no commits. `./nostrex dev` prints its Kafka address at start."})
final class HopsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--kafka", required = true, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers of the relay")
    String bootstrap;

    @Option(names = "--last", defaultValue = "100000", description = "newest records read per partition of each topic (default: ${DEFAULT-VALUE})")
    int last;

    @Option(names = "--delivered-only", description = "only events that were delivered to a live subscription")
    boolean deliveredOnly;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS", description = "give up reading after this long (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() {
        if (last <= 0 || timeoutSeconds <= 0) {
            throw new ParameterException(spec.commandLine(), "--last and --timeout must be positive");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        Map<String, Long> received = new HashMap<>();
        Map<String, Long> ingress = new HashMap<>();
        Map<String, Long> events = new HashMap<>();
        Map<String, Long> stored = new HashMap<>();
        Set<String> delivered = new HashSet<>();
        boolean complete = true;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringDeserializer(), new StringDeserializer())) {
            complete &= read(consumer, Topics.INGRESS, deadline, r -> {
                Origin origin = Origin.readFrom(r.headers());
                String id = eventId(r.value());
                if (origin != null && origin.receivedMillis() > 0 && id != null) {
                    received.putIfAbsent(id, origin.receivedMillis());
                    ingress.putIfAbsent(id, r.timestamp());
                }
            });
            complete &= read(consumer, Topics.EVENTS, deadline, r -> putTime(events, r));
            complete &= read(consumer, Topics.STORED, deadline, r -> putTime(stored, r));
            if (deliveredOnly) {
                complete &= read(consumer, Topics.DELIVERIES, deadline, r -> {
                    String id = eventId(r.value());
                    if (id != null) {
                        delivered.add(id);
                    }
                });
            }
        }
        System.out.printf("bench hops %s: newest %,d records per partition%s (times in whole milliseconds)%n",
                bootstrap, last, deliveredOnly ? ", events delivered live only" : "");
        PipelineHops.of(new PipelineHops.Times(received, ingress, events, stored), deliveredOnly ? delivered : null)
                .forEach((hop, summary) -> System.out.printf("  %-17s %s%n", hop, summary.line()));
        if (!complete) {
            System.out.println("  INCOMPLETE  the timeout passed before every topic was read to its end");
        }
        return complete ? 0 : 1;
    }

    /** Reads the newest {@code last} records of every partition up to the end it had when called. */
    private boolean read(KafkaConsumer<String, String> consumer, String topic, long deadline,
                         Consumer<ConsumerRecord<String, String>> handler) {
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        consumer.assign(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
        for (TopicPartition p : partitions) {
            consumer.seek(p, Math.max(begin.get(p), end.get(p) - last));
        }
        while (System.nanoTime() < deadline) {
            boolean done = true;
            for (TopicPartition p : partitions) {
                done &= consumer.position(p) >= end.get(p);
            }
            if (done) {
                return true;
            }
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                    handler.accept(r);
                }
            }
        }
        return false;
    }

    private static void putTime(Map<String, Long> times, ConsumerRecord<String, String> r) {
        String id = eventId(r.value());
        if (id != null) {
            times.putIfAbsent(id, r.timestamp());
        }
    }

    /** The event id of a record's JSON value; null for tombstones, acks and anything malformed. */
    private static String eventId(String json) {
        if (json == null) {
            return null;
        }
        try {
            return Json.read(json).path("id").textValue();
        } catch (Json.MalformedJsonException e) {
            return null;
        }
    }
}
