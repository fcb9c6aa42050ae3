package io.nostrex.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OffsetsTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private MockConsumer<String, String> consumer;

    @BeforeEach
    void setUp() {
        consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
        consumer.assign(List.of(P0, P1));
    }

    private static ConsumerRecords<String, String> records(TopicPartition tp, long from, int count) {
        List<ConsumerRecord<String, String>> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(new ConsumerRecord<>(tp.topic(), tp.partition(), from + i, "k", "v"));
        }
        return new ConsumerRecords<>(Map.of(tp, list), Map.of());
    }

    private Map<TopicPartition, Long> committed() {
        Map<TopicPartition, Long> out = new HashMap<>();
        consumer.committed(java.util.Set.of(P0, P1)).forEach((tp, o) -> {
            if (o != null) {
                out.put(tp, o.offset());
            }
        });
        return out;
    }

    @Test
    void commitsOnlyTheAcknowledgedPrefixInPollOrder() throws Exception {
        Offsets offsets = new Offsets(8, Duration.ZERO);
        Offsets.Batch first = offsets.open(records(P0, 0, 3));
        Callback firstSend = first.onSend();
        offsets.seal(consumer, first);
        Offsets.Batch second = offsets.open(records(P0, 3, 2));
        Callback secondSend = second.onSend();
        offsets.seal(consumer, second);

        secondSend.onCompletion(null, null);
        offsets.commitHandled(consumer);
        assertThat(committed()).isEmpty();
        assertThat(offsets.idle()).isFalse();

        firstSend.onCompletion(null, null);
        offsets.commitHandled(consumer);
        assertThat(committed()).containsEntry(P0, 5L);
        assertThat(offsets.idle()).isTrue();
    }

    @Test
    void aBatchWithoutSendsIsHandledWhenSealed() throws Exception {
        Offsets offsets = new Offsets(1, Duration.ZERO);
        Map<TopicPartition, List<ConsumerRecord<String, String>>> both = new HashMap<>();
        both.putAll(Map.of(P0, records(P0, 10, 1).records(P0)));
        both.putAll(Map.of(P1, records(P1, 4, 2).records(P1)));
        offsets.seal(consumer, offsets.open(new ConsumerRecords<>(both, Map.of())));
        assertThat(committed()).containsEntry(P0, 11L).containsEntry(P1, 6L);
    }

    @Test
    void aFailedSendStopsTheLoopAndNothingFromItOnIsCommitted() throws Exception {
        Offsets offsets = new Offsets(8, Duration.ZERO);
        Offsets.Batch ok = offsets.open(records(P0, 0, 1));
        ok.onSend().onCompletion(null, null);
        offsets.seal(consumer, ok);
        assertThat(committed()).containsEntry(P0, 1L);

        Offsets.Batch failed = offsets.open(records(P0, 1, 1));
        Callback send = failed.onSend();
        offsets.seal(consumer, failed);
        Offsets.Batch later = offsets.open(records(P0, 2, 1));
        offsets.seal(consumer, later);

        send.onCompletion(null, new RuntimeException("broker gone"));
        assertThatThrownBy(() -> offsets.commitHandled(consumer))
                .isInstanceOf(Offsets.SendFailedException.class)
                .hasMessageContaining("broker gone");
        offsets.commitOnClose(consumer, Duration.ofMillis(100));
        assertThat(committed()).containsEntry(P0, 1L);
    }

    @Test
    void sealWaitsWhileTooManyBatchesAreUnacknowledged() throws Exception {
        Offsets offsets = new Offsets(1, Duration.ZERO);
        Offsets.Batch first = offsets.open(records(P0, 0, 1));
        Callback firstSend = first.onSend();
        offsets.seal(consumer, first);
        Offsets.Batch second = offsets.open(records(P0, 1, 1));
        Callback secondSend = second.onSend();

        CompletableFuture<Void> sealing = CompletableFuture.runAsync(() -> {
            try {
                offsets.seal(consumer, second);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertThat(sealing).isNotDone();
        firstSend.onCompletion(null, null);
        sealing.get(5, TimeUnit.SECONDS);
        secondSend.onCompletion(null, null);
        offsets.commitHandled(consumer);
        assertThat(committed()).containsEntry(P0, 2L);
    }

    @Test
    void closeCommitsWhatWasAcknowledgedAndLeavesTheRest() throws Exception {
        Offsets offsets = new Offsets(8, Duration.ZERO);
        Offsets.Batch done = offsets.open(records(P1, 0, 4));
        done.onSend().onCompletion(null, null);
        offsets.seal(consumer, done);
        Offsets.Batch stuck = offsets.open(records(P1, 4, 4));
        stuck.onSend();
        offsets.seal(consumer, stuck);

        offsets.commitOnClose(consumer, Duration.ofMillis(50));
        assertThat(committed()).containsEntry(P1, 4L);
    }

    @Test
    void commitsAtMostOncePerIntervalAndTheRestOnClose() throws Exception {
        Offsets offsets = new Offsets(8, Duration.ofHours(1));
        offsets.seal(consumer, offsets.open(records(P0, 0, 1)));
        assertThat(committed()).containsEntry(P0, 1L);
        offsets.seal(consumer, offsets.open(records(P0, 1, 1)));
        offsets.commitHandled(consumer);
        assertThat(committed()).containsEntry(P0, 1L);
        assertThat(offsets.idle()).isFalse();
        offsets.commitOnClose(consumer, Duration.ofMillis(50));
        assertThat(committed()).containsEntry(P0, 2L);
    }

    @Test
    void rejectsANonPositiveBound() {
        assertThatThrownBy(() -> new Offsets(0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
