package io.nostrex.matcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.nostrex.contract.ContractException;
import io.nostrex.contract.Delivery;
import io.nostrex.contract.Topics;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaControlSinkTest {
    private final MockProducer<String, String> producer =
            new MockProducer<>(false, null, new StringSerializer(), new StringSerializer());
    private final KafkaControlSink sink = new KafkaControlSink(producer, Runnable::run);

    @Test
    void anAckIsANullValueForTheGatewayWithTheAckHeader() throws ContractException {
        // When a subscription version is acknowledged
        sink.ack("gw-a", new Delivery.Ack(7, "feed", 3));
        // Then the gateway's deliveries get a null-valued record carrying the ack
        ProducerRecord<String, String> sent = producer.history().get(0);
        assertThat(sent.topic()).isEqualTo(Topics.DELIVERIES);
        assertThat(sent.key()).isEqualTo("gw-a");
        assertThat(sent.value()).isNull();
        assertThat(Delivery.readAck(sent.headers())).isEqualTo(new Delivery.Ack(7, "feed", 3));
    }

    @Test
    void aReplayedEventIsADeliveryForTheGatewayWithItsTargets() throws ContractException {
        sink.deliver("gw-a", "{\"id\":\"x\"}", java.util.List.of(new Delivery.Target(7, java.util.List.of("pings"))));
        ProducerRecord<String, String> sent = producer.history().get(0);
        assertThat(sent.topic()).isEqualTo(Topics.DELIVERIES);
        assertThat(sent.key()).isEqualTo("gw-a");
        assertThat(sent.value()).isEqualTo("{\"id\":\"x\"}");
        assertThat(Delivery.readTargets(sent.headers())).containsExactly(new Delivery.Target(7, java.util.List.of("pings")));
    }

    @Test
    void aTombstoneIsANullValueOnTheSubscriptionsTopic() {
        sink.tombstone("gw-a/7/feed");
        ProducerRecord<String, String> sent = producer.history().get(0);
        assertThat(sent.topic()).isEqualTo(Topics.SUBSCRIPTIONS);
        assertThat(sent.key()).isEqualTo("gw-a/7/feed");
        assertThat(sent.value()).isNull();
    }

    @Test
    void aSweepNoticeFollowsTheTombstonesOnceKafkaHasThemAll() throws ContractException {
        // When a silent gateway is swept
        sink.swept("gw-a", java.util.List.of("gw-a/1/s", "gw-a/2/t", "gw-a"), 1_234L, true);
        // Then its keys are tombstoned, and nothing is told to the gateway while one is unconfirmed
        assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("gw-a/1/s", "gw-a/2/t", "gw-a");
        producer.completeNext();
        producer.errorNext(new KafkaException("refused")); // a failed tombstone still counts as done
        assertThat(producer.history()).hasSize(3);
        producer.completeNext();
        // And once all are, the gateway gets the notice: its re-registrations then come after them
        ProducerRecord<String, String> notice = producer.history().get(3);
        assertThat(notice.topic()).isEqualTo(Topics.DELIVERIES);
        assertThat(notice.key()).isEqualTo("gw-a");
        assertThat(notice.value()).isNull();
        assertThat(Delivery.readSwept(notice.headers())).isEqualTo(1_234L);
        assertThat(Delivery.readAck(notice.headers())).isNull();
    }

    @Test
    void aSweepThatDroppedNothingTombstonesTheHeartbeatAndTellsNoOne() {
        sink.swept("gw-a", java.util.List.of("gw-a"), 1_234L, false);
        producer.completeNext();
        assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("gw-a");
        assertThat(producer.history().get(0).topic()).isEqualTo(Topics.SUBSCRIPTIONS);
    }

    @Test
    void aFailedSendIsLoggedNotThrown() {
        // Given two sends in flight
        sink.ack("gw-a", new Delivery.Ack(1, "s", 1));
        sink.tombstone("gw-a/1/s");
        // When the broker fails both, Then nothing is thrown at the caller
        assertThatCode(() -> {
            producer.errorNext(new KafkaException("broker down"));
            producer.errorNext(new KafkaException("broker down"));
        }).doesNotThrowAnyException();
    }
}
