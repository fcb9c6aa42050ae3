package io.nostrex.app;

import io.nostrex.contract.ClientSettings;
import io.nostrex.contract.ContractException;
import io.nostrex.contract.Origin;
import io.nostrex.contract.Topics;
import io.nostrex.contract.Verdict;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventJson;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Imports through the relay's own pipeline, as a gateway of its own would: each event goes to
 * {@code nostr.ingress} with an origin naming this import and the line as the connection, so the
 * validator and the archiver judge and answer it exactly as a client's EVENT; the answers are read
 * from this import's partition of {@code nostr.verdicts}.
 */
final class KafkaImportSender implements ImportSender {
    private final String gatewayId = "import-" + UUID.randomUUID().toString().substring(0, 12);
    private final KafkaProducer<String, String> producer;
    private final int ingressPartitions;
    private final KafkaConsumer<String, String> verdicts;
    private final ImportTally tally;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread reader;

    KafkaImportSender(Map<String, Object> kafka, ImportTally tally) {
        this.tally = tally;
        this.producer = new KafkaProducer<>(ClientSettings.producer(kafka, "import"), new StringSerializer(), new StringSerializer());
        Map<String, Object> props = new HashMap<>(kafka);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.verdicts = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        int partitions = verdicts.partitionsFor(Topics.VERDICTS, Duration.ofSeconds(30)).size();
        TopicPartition mine = new TopicPartition(Topics.VERDICTS, Topics.gatewayPartition(gatewayId, partitions));
        verdicts.assign(List.of(mine));
        verdicts.seekToEnd(List.of(mine));
        verdicts.position(mine); // resolve the end now: every answer comes after it
        ingressPartitions = producer.partitionsFor(Topics.INGRESS).size();
        this.reader = new Thread(this::readVerdicts, "import-verdicts");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void send(long line, Event event) {
        ProducerRecord<String, String> r = new ProducerRecord<>(Topics.INGRESS,
                Topics.partitionOf(event.pubkey(), ingressPartitions), event.id(), EventJson.write(event));
        new Origin(gatewayId, line, System.currentTimeMillis(), null).writeTo(r.headers());
        producer.send(r, (meta, error) -> {
            if (error != null) {
                tally.answered(line, false, "error: Kafka did not take it: " + error.getMessage());
            }
        });
    }

    private void readVerdicts() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, String> r : verdicts.poll(Duration.ofMillis(200))) {
                    if (gatewayId.equals(r.key()) && r.value() != null) {
                        answer(r.value());
                    }
                }
            }
        } catch (WakeupException closing) {
            // close() is ending the import
        }
    }

    private void answer(String json) {
        try {
            Verdict v = Verdict.fromJson(json);
            tally.answered(v.connection(), v.accepted(), v.message());
        } catch (ContractException e) {
            System.err.println("ignoring a malformed verdict: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        running.set(false);
        verdicts.wakeup();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        verdicts.close();
        producer.close(Duration.ofSeconds(10));
    }
}
