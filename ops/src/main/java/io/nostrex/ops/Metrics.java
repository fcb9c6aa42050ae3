package io.nostrex.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The meter registry of a process and the binders every role shares: JVM and process meters once
 * per process, Kafka client meters (consumer lag among them) per client, labelled with the role.
 */
public final class Metrics {
    /** The label that names the role of a meter: gateway, validator, matcher or archiver. */
    public static final String ROLE = "role";
    /** How often the Kafka binders look for new client metrics (a partition's lag appears once assigned). */
    static final Duration KAFKA_REFRESH = Duration.ofSeconds(10);

    private static final ScheduledExecutorService KAFKA_SCHEDULER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kafka-metrics");
        t.setDaemon(true);
        return t;
    });

    private Metrics() {}

    /** A Prometheus registry with the JVM and process meters bound. */
    public static PrometheusMeterRegistry prometheus() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmHeapPressureMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmCompilationMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        return registry;
    }

    /** Histogram buckets for latencies, 1 ms to 30 s: few enough series, fine enough for an SLO. */
    public static Duration[] latencyBuckets() {
        long[] millis = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 30_000};
        Duration[] d = new Duration[millis.length];
        for (int i = 0; i < millis.length; i++) {
            d[i] = Duration.ofMillis(millis[i]);
        }
        return d;
    }

    /** The tags of a role's meters. */
    public static Tags role(String role) {
        return Tags.of(ROLE, role);
    }

    /** Binds a consumer's metrics (lag, fetch rates); close the result with the consumer. */
    public static AutoCloseable bind(MeterRegistry registry, Consumer<?, ?> consumer, String role) {
        KafkaClientMetrics m = new KafkaClientMetrics(consumer, role(role), KAFKA_SCHEDULER, KAFKA_REFRESH);
        m.bindTo(registry);
        return m;
    }

    /** Binds a producer's metrics (send rates, errors, buffer); close the result with the producer. */
    public static AutoCloseable bind(MeterRegistry registry, Producer<?, ?> producer, String role) {
        KafkaClientMetrics m = new KafkaClientMetrics(producer, role(role), KAFKA_SCHEDULER, KAFKA_REFRESH);
        m.bindTo(registry);
        return m;
    }

    /** Binds a Kafka Streams client's metrics (its consumers' lag among them). */
    public static AutoCloseable bind(MeterRegistry registry, KafkaStreams streams, String role) {
        KafkaStreamsMetrics m = new KafkaStreamsMetrics(streams, role(role), KAFKA_SCHEDULER, KAFKA_REFRESH);
        m.bindTo(registry);
        return m;
    }
}
