package io.nostrex.validator;

import io.nostrex.contract.ClientSettings;
import io.nostrex.contract.Offsets;
import io.nostrex.contract.Origin;
import io.nostrex.contract.PolicyView;
import io.nostrex.contract.Topics;
import io.nostrex.contract.VanishMark;
import io.nostrex.contract.Verdict;
import io.nostrex.contract.WarmupMark;
import io.nostrex.ops.Ops;
import io.nostrex.ops.StageWatch;
import io.nostrex.ops.Worker;
import io.nostrex.protocol.EventVerifier;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The validator role: consumes {@code nostr.ingress}, judges each event, sends accepted stored
 * events to {@code nostr.events}, ephemeral ones straight to {@code nostr.stored}, and every other
 * verdict to {@code nostr.verdicts}. The next poll batch is judged while the sends of earlier ones
 * are in flight; offsets are committed only after every send of a batch is acknowledged (acks=all),
 * so a crash re-validates rather than loses.
 */
public final class Validator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Validator.class);
    private static final String ROLE = "validator";
    /** A loop that has not come round for this long is stuck (a send can wait up to Kafka's 2 min delivery timeout). */
    static final Duration STALL = Duration.ofMinutes(3);
    /** Poll batches whose sends may be unacknowledged while the next one is judged. */
    static final int MAX_BATCHES_IN_FLIGHT = 16;
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(250);
    private static final Duration IDLE_POLL = Duration.ofMillis(500);
    /** While sends are in flight, an empty poll returns soon so that their offsets get committed. */
    private static final Duration BUSY_POLL = Duration.ofMillis(20);

    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final EventJudge judge;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Offsets offsets;
    private final Thread thread;
    private final StageWatch watch;
    private final Worker worker;
    private final ValidatorMetrics metrics;
    /** Sends the OKs that wait for Kafka's acknowledgement (log mode): never from the producer's own thread. */
    private final java.util.concurrent.ExecutorService oks;

    private Validator(ValidatorConfig config, PolicyView policy, Ops ops) {
        this.oks = config.okAfterLog() ? java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "validator-oks");
            t.setDaemon(true);
            return t;
        }) : null;
        this.consumer = new KafkaConsumer<>(ClientSettings.groupConsumer(config.kafka(), config.group(), 1000), new StringDeserializer(), new StringDeserializer());
        this.producer = new KafkaProducer<>(ClientSettings.producer(config.kafka(), "validator"), new StringSerializer(), new StringSerializer());
        this.judge = new EventJudge(EventVerifier.best(), Policies.defaults(config.limits()), config.access(), policy,
                config.eventsPerPubkeyPerSecond(), config.recentIds());
        this.metrics = new ValidatorMetrics(ops.registry());
        this.offsets = new Offsets(MAX_BATCHES_IN_FLIGHT, COMMIT_INTERVAL, metrics.stage()::batch);
        this.watch = new StageWatch(ops, ROLE, STALL, consumer, producer);
        this.worker = watch.worker();
        this.thread = new Thread(this::loop, "validator");
    }

    /** Starts the validator; its meters go to {@code ops}' registry, its liveness to its health. */
    public static Validator start(ValidatorConfig config, Ops ops) {
        return start(config, new PolicyView(), ops);
    }

    /** Starts the validator, judging with the operators' policy as {@code policy} holds it (NIP-86). */
    public static Validator start(ValidatorConfig config, PolicyView policy, Ops ops) {
        Validator v = new Validator(config, policy, ops);
        v.consumer.subscribe(List.of(Topics.INGRESS), v.watch.assignment());
        v.thread.start();
        return v;
    }

    private void loop() {
        try {
            while (running.get()) {
                worker.beat();
                ConsumerRecords<String, String> records = consumer.poll(offsets.idle() ? IDLE_POLL : BUSY_POLL);
                if (records.isEmpty()) {
                    offsets.commitHandled(consumer);
                } else {
                    Offsets.Batch batch = offsets.open(records);
                    handle(records, batch);
                    offsets.seal(consumer, batch);
                }
            }
            worker.finished();
        } catch (WakeupException stopping) {
            worker.finished(); // close() woke us up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.finished();
        } catch (RuntimeException e) {
            worker.failed(e);
        } finally {
            offsets.commitOnClose(consumer, Duration.ofSeconds(5));
            consumer.close();
        }
    }

    private void handle(ConsumerRecords<String, String> records, Offsets.Batch batch) {
        long nowMillis = System.currentTimeMillis();
        for (ConsumerRecord<String, String> record : records) {
            Origin origin = Origin.readFrom(record.headers());
            Judgement j = record.value() == null
                    ? new Judgement(Judgement.Outcome.REJECT, null, record.key(), "invalid: empty record", "malformed")
                    : judge.judge(record.value(), record.key(), nowMillis / 1000,
                            origin == null ? java.util.Set.of() : origin.authenticated());
            metrics.judged(j);
            if (origin != null) {
                metrics.stage().sinceReceived(origin.receivedMillis(), nowMillis);
            }
            route(j, record.value(), origin, record.headers(), batch);
        }
    }

    /**
     * {@code json}: the ingress record's value, the event as the gateway wrote it ({@code EventJson});
     * an accepted event goes on with those very characters, never written again.
     */
    private void route(Judgement j, String json, Origin origin, Headers marks, Offsets.Batch batch) {
        switch (j.outcome()) {
            case ACCEPT_STORED -> {
                ProducerRecord<String, String> r = withOrigin(
                        new ProducerRecord<>(Topics.EVENTS, j.event().pubkey(), json), origin);
                if (VanishMark.isMarked(marks)) {
                    VanishMark.mark(r.headers()); // in the log, for the archivers and any replay
                }
                if (oks != null && origin != null) { // OK after the log
                    org.apache.kafka.clients.producer.Callback counted = batch.onSend();
                    producer.send(r, (meta, error) -> {
                        counted.onCompletion(meta, error);
                        if (error == null) {
                            queueOk(verdict(origin, j, true));
                        }
                    });
                } else {
                    producer.send(r, batch.onSend());
                }
            }
            case ACCEPT_EPHEMERAL -> {
                ProducerRecord<String, String> r = Topics.stored(j.event().pubkey(), json,
                        origin == null ? 0 : origin.receivedMillis());
                String warmingGateway = WarmupMark.gatewayOf(marks);
                if (warmingGateway != null) {
                    WarmupMark.mark(r.headers(), warmingGateway); // for the matcher: that gateway alone
                }
                producer.send(r, batch.onSend());
                verdict(origin, j, true, batch);
            }
            case DUPLICATE -> verdict(origin, j, true, batch);
            case REJECT -> verdict(origin, j, false, batch);
        }
    }

    /** A log-mode OK that Kafka refused: the client's OK times out with an honest error. */
    private static final org.apache.kafka.clients.producer.Callback VERDICT_LOST = (meta, error) -> {
        if (error != null) {
            LOG.warn("an OK (the event is in nostr.events) was not sent: {}", error.toString());
        }
    };

    private void verdict(Origin origin, Judgement j, boolean accepted, Offsets.Batch batch) {
        if (origin != null && j.eventId() != null) {
            producer.send(verdict(origin, j, accepted), batch.onSend());
        }
    }

    private static ProducerRecord<String, String> verdict(Origin origin, Judgement j, boolean accepted) {
        Verdict v = new Verdict(origin.connection(), j.eventId(), accepted, j.message());
        return new ProducerRecord<>(Topics.VERDICTS, origin.gateway(), v.toJson());
    }

    private final java.util.concurrent.ConcurrentLinkedQueue<ProducerRecord<String, String>> okQueue =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicBoolean okDrainScheduled = new AtomicBoolean();

    /** Called on the producer's thread: hands the OK to the OK thread, woken only when it is idle. */
    private void queueOk(ProducerRecord<String, String> ok) {
        okQueue.add(ok);
        if (okDrainScheduled.compareAndSet(false, true)) {
            try {
                oks.execute(this::drainOks);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                LOG.debug("stopping: OKs not sent; their clients' OKs time out with an error");
            }
        }
    }

    /** Sends every queued OK, as many as came together (a produce response acknowledges a batch). */
    private void drainOks() {
        while (true) {
            ProducerRecord<String, String> ok;
            while ((ok = okQueue.poll()) != null) {
                producer.send(ok, VERDICT_LOST);
            }
            okDrainScheduled.set(false);
            if (okQueue.isEmpty() || !okDrainScheduled.compareAndSet(false, true)) {
                return;
            }
        }
    }

    /** The origin goes on with the event, but not the client's address: nostr.events is kept forever. */
    private static ProducerRecord<String, String> withOrigin(ProducerRecord<String, String> r, Origin origin) {
        if (origin != null) {
            origin.withoutAddress().writeTo(r.headers());
        }
        return r;
    }

    @Override
    public void close() throws Exception {
        running.set(false);
        consumer.wakeup();
        thread.join(10_000);
        if (oks != null) {
            oks.shutdown();
            oks.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        watch.close();
        producer.close(Duration.ofSeconds(5));
    }
}
