package io.nostrex.validator;

import io.nostrex.contract.ClientSettings;
import io.nostrex.contract.Offsets;
import io.nostrex.contract.Origin;
import io.nostrex.contract.Topics;
import io.nostrex.contract.Verdict;
import io.nostrex.protocol.EventJson;
import io.nostrex.protocol.EventVerifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validator role: consumes {@code nostr.ingress}, judges each event, sends accepted stored
 * events to {@code nostr.events}, ephemeral ones straight to {@code nostr.stored}, and every other
 * verdict to {@code nostr.verdicts}. Offsets are committed only after every send of a poll batch is
 * acknowledged (acks=all), so a crash re-validates rather than loses.
 */
public final class Validator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Validator.class);

    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final EventJudge judge;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Offsets offsets = new Offsets();
    private final Thread thread;

    private Validator(ValidatorConfig config) {
        this.consumer = new KafkaConsumer<>(ClientSettings.groupConsumer(config.kafka(), config.group(), 1000), new StringDeserializer(), new StringDeserializer());
        this.producer = new KafkaProducer<>(ClientSettings.producer(config.kafka()), new StringSerializer(), new StringSerializer());
        this.judge = new EventJudge(EventVerifier.best(), Policies.defaults(config.limits()), config.recentIds());
        this.thread = new Thread(this::loop, "validator");
    }

    public static Validator start(ValidatorConfig config) {
        Validator v = new Validator(config);
        v.consumer.subscribe(List.of(Topics.INGRESS));
        v.thread.start();
        return v;
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    private void loop() {
        try {
            while (running.get()) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    handle(records);
                    offsets.handled(consumer, records);
                }
            }
        } catch (WakeupException stopping) {
            // close() woke us up
        } catch (RuntimeException | InterruptedException | ExecutionException e) {
            LOG.error("validator stopped: {}", e.toString(), e);
        } finally {
            offsets.commitOnClose(consumer);
            consumer.close();
        }
    }

    private void handle(ConsumerRecords<String, String> records) throws InterruptedException, ExecutionException {
        long now = System.currentTimeMillis() / 1000;
        List<Future<RecordMetadata>> sends = new ArrayList<>(records.count() * 2);
        for (ConsumerRecord<String, String> record : records) {
            Origin origin = Origin.readFrom(record.headers());
            Judgement j = record.value() == null
                    ? new Judgement(Judgement.Outcome.REJECT, null, record.key(), "invalid: empty record")
                    : judge.judge(record.value(), record.key(), now);
            route(j, origin, sends);
        }
        for (Future<RecordMetadata> send : sends) {
            send.get();
        }
    }

    private void route(Judgement j, Origin origin, List<Future<RecordMetadata>> sends) {
        switch (j.outcome()) {
            case ACCEPT_STORED -> sends.add(producer.send(withOrigin(
                    new ProducerRecord<>(Topics.EVENTS, j.event().pubkey(), EventJson.write(j.event())), origin)));
            case ACCEPT_EPHEMERAL -> {
                sends.add(producer.send(new ProducerRecord<>(Topics.STORED, j.event().pubkey(),
                        EventJson.write(j.event()))));
                sends.add(verdict(origin, j, true));
            }
            case DUPLICATE -> sends.add(verdict(origin, j, true));
            case REJECT -> sends.add(verdict(origin, j, false));
        }
        sends.removeIf(java.util.Objects::isNull);
    }

    private Future<RecordMetadata> verdict(Origin origin, Judgement j, boolean accepted) {
        if (origin == null || j.eventId() == null) {
            return null;
        }
        Verdict v = new Verdict(origin.connection(), j.eventId(), accepted, j.message());
        return producer.send(new ProducerRecord<>(Topics.VERDICTS, origin.gateway(), v.toJson()));
    }

    private static ProducerRecord<String, String> withOrigin(ProducerRecord<String, String> r, Origin origin) {
        if (origin != null) {
            origin.writeTo(r.headers());
        }
        return r;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(10_000);
        producer.close(Duration.ofSeconds(5));
    }
}
