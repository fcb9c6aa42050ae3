package io.nostrex.matcher;

import io.nostrex.contract.Delivery;
import io.nostrex.contract.WarmupMark;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventParser;
import io.nostrex.protocol.InvalidEventException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream processor of stored events: parses each one, matches it against the index and forwards
 * one record per gateway with matching subscriptions (key gateway, value the event JSON unchanged,
 * targets in a header, and its position in {@code nostr.stored} so that a gateway can drop what a
 * matcher matches again after a crash; nothing of the event's origin). Targets beyond
 * {@link SubscriptionIndex#MAX_TARGETS_BYTES} spill into further records for the same gateway. A
 * malformed event is logged and skipped. Every event is also kept a while in the task's
 * {@link RecentWindow}, for subscriptions that reach the index later, but a gateway's warm-up event
 * ({@link WarmupMark}), which goes to that gateway alone and carries the mark on. Also schedules the
 * {@link GatewaySweep}.
 */
final class EventRouter implements Processor<String, String, String, String> {
    private static final Logger LOG = LoggerFactory.getLogger(EventRouter.class);

    private final MatcherConfig config;
    private final String storeName;
    private final SubscriptionIndex index;
    private final GatewayLiveness liveness;
    private final ControlSink sink;
    private final RecentEvents recent;
    private final LongSupplier clock;
    private RecentWindow window;
    private final MatcherMetrics metrics;
    private ProcessorContext<String, String> context;

    EventRouter(MatcherConfig config, String storeName, SubscriptionIndex index, GatewayLiveness liveness,
                ControlSink sink, RecentEvents recent, MatcherMetrics metrics, LongSupplier clock) {
        this.clock = clock;
        this.metrics = metrics;
        this.config = config;
        this.storeName = storeName;
        this.index = index;
        this.liveness = liveness;
        this.sink = sink;
        this.recent = recent;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        // from now on this task handles every event of its partition: its window is complete from now
        window = recent.open(context.taskId().partition(), clock.getAsLong());
        ReadOnlyKeyValueStore<String, String> store = context.getStateStore(storeName);
        context.schedule(config.heartbeatCheckInterval(), PunctuationType.WALL_CLOCK_TIME,
                new GatewaySweep(liveness, config.gatewayTimeout(), index, sink, store));
    }

    @Override
    public void process(Record<String, String> record) {
        Event event = parse(record.value());
        if (event == null) {
            return;
        }
        String warming = WarmupMark.gatewayOf(record.headers());
        if (warming == null) {
            window.add(clock.getAsLong(), event, record.value()); // before matching: see RecentEvents
        }
        long start = System.nanoTime();
        Map<String, List<byte[]>> routes = routes(event, warming);
        metrics.match.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        metrics.events.increment();
        var position = context.recordMetadata();
        for (Map.Entry<String, List<byte[]>> route : routes.entrySet()) {
            for (byte[] targets : route.getValue()) {
                metrics.routed.increment();
                Headers headers = new RecordHeaders();
                headers.add(Delivery.TO, targets);
                position.ifPresent(p -> Delivery.writeFrom(headers, p.partition(), p.offset()));
                if (warming != null) {
                    WarmupMark.mark(headers, warming);
                }
                context.forward(new Record<>(route.getKey(), record.value(), record.timestamp(), headers));
            }
        }
    }

    /** The gateways the event goes to, with their targets: only {@code warming} for its warm-up event. */
    private Map<String, List<byte[]>> routes(Event event, String warming) {
        Map<String, List<byte[]>> routes = index.match(event);
        if (warming == null) {
            return routes;
        }
        List<byte[]> own = routes.get(warming);
        return own == null ? Map.of() : Map.of(warming, own);
    }

    @Override
    public void close() {
        if (window != null) {
            recent.close(window);
        }
    }

    private Event parse(String json) {
        if (json == null) {
            LOG.warn("skipping a stored record without a value");
            return null;
        }
        try {
            return EventParser.parse(json);
        } catch (InvalidEventException | RuntimeException e) {
            LOG.warn("skipping a malformed stored event: {}", e.getMessage());
            return null;
        }
    }
}
