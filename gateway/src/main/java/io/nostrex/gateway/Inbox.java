package io.nostrex.gateway;

import io.nostrex.contract.ContractException;
import io.nostrex.contract.Delivery;
import io.nostrex.contract.Topics;
import io.nostrex.contract.Verdict;
import io.nostrex.contract.WarmupMark;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import io.nostrex.ops.Worker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this gateway's partition of the verdicts and deliveries topics (no consumer group: a
 * gateway reads only its own partition, from the end, and skips records keyed for other gateways
 * that hash to the same partition) and hands them to the connections.
 */
final class Inbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);

    private final KafkaConsumer<String, String> consumer;
    private final String gatewayId;
    private final PendingOks pending;
    private final LiveSubscriptions live;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Worker worker;
    private final Thread thread;

    Inbox(Map<String, Object> kafka, String gatewayId, PendingOks pending, LiveSubscriptions live, Worker worker) {
        this.worker = worker;
        Map<String, Object> p = new HashMap<>(kafka);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        this.gatewayId = gatewayId;
        this.pending = pending;
        this.live = live;
        List<TopicPartition> mine = List.of(
                partition(Topics.VERDICTS), partition(Topics.DELIVERIES));
        consumer.assign(mine);
        consumer.seekToEnd(mine);
        mine.forEach(consumer::position); // fix the start position now, before any client is served
        this.thread = new Thread(this::loop, "gateway-inbox");
        thread.start();
    }

    private TopicPartition partition(String topic) {
        int count = consumer.partitionsFor(topic).size();
        return new TopicPartition(topic, Topics.gatewayPartition(gatewayId, count));
    }

    KafkaConsumer<String, String> consumer() {
        return consumer;
    }

    private void loop() {
        try {
            while (running.get()) {
                worker.beat();
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (gatewayId.equals(r.key())) {
                        dispatch(r);
                    }
                }
                live.flushDeliveries();
            }
            worker.finished();
        } catch (WakeupException stopping) {
            worker.finished();
        } catch (RuntimeException | Error e) {
            worker.failed(e);
        } finally {
            consumer.close();
        }
    }

    private void dispatch(ConsumerRecord<String, String> r) {
        try {
            if (r.topic().equals(Topics.VERDICTS)) {
                Verdict v = Verdict.fromJson(r.value());
                pending.answer(v.connection(), v.eventId(), v.accepted(), v.message());
                return;
            }
            Long swept = Delivery.readSwept(r.headers());
            if (swept != null) {
                live.swept(swept);
                return;
            }
            Delivery.Ack ack = Delivery.readAck(r.headers());
            if (ack != null) {
                live.acknowledged(ack);
                return;
            }
            Delivery.Position from = position(r);
            live.deliver(Delivery.readTargets(r.headers()), r.value(), from, from == null ? 0 : r.timestamp(),
                    WarmupMark.gatewayOf(r.headers()) != null);
        } catch (ContractException | RuntimeException e) {
            LOG.warn("skipping a malformed record on {} at offset {}: {}", r.topic(), r.offset(), e.toString());
        }
    }

    /** The live match's place in nostr.stored; a malformed one is ignored (the event still goes out). */
    private static Delivery.Position position(ConsumerRecord<String, String> r) {
        try {
            return Delivery.readFrom(r.headers());
        } catch (ContractException e) {
            LOG.warn("ignoring the position of the delivery at offset {}: {}", r.offset(), e.getMessage());
            return null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(5_000);
    }
}
