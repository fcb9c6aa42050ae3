package io.nostrex.ops;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The meters of a consuming stage (validator, archiver): the size of each poll batch and the time
 * from polling it to every send acknowledged, and how long after the gateway received an event
 * this stage was done with it (from the receive time the event's origin header carries; clocks of
 * different machines may differ a little).
 */
public final class StageMeters {
    private static final double[] BATCH_BUCKETS = {1, 10, 50, 100, 250, 500, 1_000};
    private static final Duration[] LATENCY_BUCKETS = Metrics.latencyBuckets();

    private final DistributionSummary batchRecords;
    private final Timer batchLatency;
    private final Timer sinceReceived;

    /** {@code stage}: what this role has done with the event when {@link #sinceReceived} is recorded. */
    public StageMeters(MeterRegistry registry, String role, String stage) {
        Tags tags = Metrics.role(role);
        batchRecords = DistributionSummary.builder("nostrex.batch.records").tags(tags).serviceLevelObjectives(BATCH_BUCKETS)
                .description("Records in one poll batch").register(registry);
        batchLatency = Timer.builder("nostrex.batch.latency").tags(tags).serviceLevelObjectives(LATENCY_BUCKETS)
                .description("From polling a batch to every send of it acknowledged").register(registry);
        sinceReceived = pipelineLatency(registry, role, stage);
    }

    /**
     * {@code nostrex_pipeline_latency_seconds{role,stage}}: from the gateway receiving an event to
     * {@code role} being done with it as {@code stage} says (validated, stored, delivered).
     */
    public static Timer pipelineLatency(MeterRegistry registry, String role, String stage) {
        return Timer.builder("nostrex.pipeline.latency").tags(Metrics.role(role)).tag("stage", stage)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .description("From the gateway receiving an event to this stage being done with it").register(registry);
    }

    /** A batch was handled: its sends are all acknowledged. */
    public void batch(int records, long nanos) {
        batchRecords.record(records);
        batchLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** This stage is done with an event the gateway received at {@code receivedMillis} (0: unknown). */
    public void sinceReceived(long receivedMillis, long nowMillis) {
        if (receivedMillis > 0) {
            sinceReceived.record(Math.max(0, nowMillis - receivedMillis), TimeUnit.MILLISECONDS);
        }
    }
}
