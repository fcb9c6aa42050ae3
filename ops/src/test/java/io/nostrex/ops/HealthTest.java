package io.nostrex.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthTest {
    private static final long SECOND = 1_000_000_000L;

    private final Health health = new Health();
    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);

    @AfterEach
    void close() {
        health.close();
    }

    @Test
    void aWorkerThatBeatsIsLiveAndOneThatStopsBeatingIsNot() {
        // Given a worker that must beat every 60 s
        Worker w = health.worker("validator", Duration.ofSeconds(60), clock::get);

        // When it beat 59 s ago / 61 s ago
        clock.addAndGet(59 * SECOND);
        Report beating = health.liveness();
        w.beat();
        clock.addAndGet(61 * SECOND);
        Report stalled = health.liveness();

        // Then
        assertThat(beating.up()).isTrue();
        assertThat(stalled.up()).isFalse();
        assertThat(stalled.checks().get("validator").detail()).isEqualTo("no progress for 61 s");
    }

    @Test
    void aFailedWorkerIsDeadAndEveryFatalHandlerHearsOfItOnce() {
        // Given two handlers
        List<String> heard = new ArrayList<>();
        health.onFatal((worker, cause) -> heard.add("a " + worker + " " + cause.getMessage()));
        health.onFatal((worker, cause) -> heard.add("b " + worker));
        Worker w = health.worker("archiver", Duration.ofSeconds(60), clock::get);

        // When its loop ends on an error
        w.failed(new IllegalStateException("send failed"));

        // Then
        assertThat(heard).containsExactly("a archiver send failed", "b archiver");
        assertThat(health.liveness().up()).isFalse();
        assertThat(health.liveness().checks().get("archiver").detail()).contains("send failed");
    }

    @Test
    void aWorkerThatFinishedIsNotLiveButNotFatal() {
        List<String> heard = new ArrayList<>();
        health.onFatal((worker, cause) -> heard.add(worker));
        Worker w = health.worker("inbox", Duration.ofSeconds(60), clock::get);

        w.finished();

        assertThat(health.liveness().checks().get("inbox")).isEqualTo(Status.down("stopped"));
        assertThat(heard).isEmpty();
    }

    @Test
    void readinessIncludesLivenessAndItsOwnChecks() {
        // Given a live worker and a readiness check that is down
        health.worker("w", Duration.ofSeconds(60), clock::get);
        health.ready("kafka", () -> Status.down("no broker"));

        // Then liveness is up, readiness is down, and names both
        assertThat(health.liveness().up()).isTrue();
        Report ready = health.readiness();
        assertThat(ready.up()).isFalse();
        assertThat(ready.checks()).containsKeys("w", "kafka");
    }

    @Test
    void aCheckThatThrowsIsDownWithTheReason() {
        health.live("broken", () -> {
            throw new IllegalStateException("boom");
        });

        Status s = health.liveness().checks().get("broken");

        assertThat(s.up()).isFalse();
        assertThat(s.detail()).contains("boom");
    }

    @Test
    void removedChecksNoLongerCount() {
        health.ready("matcher", () -> Status.down("starting"));

        health.remove("matcher");

        assertThat(health.readiness().up()).isTrue();
        assertThat(health.readiness().checks()).isEmpty();
    }

    @Test
    void aProbeReportsItsLastAnswerUntilItIsSilentForThreePeriods() {
        // Given a probe every 5 s
        Health.Probe p = new Health.Probe(() -> Status.up("3 brokers"), Duration.ofSeconds(5), clock::get);
        assertThat(p.get()).isEqualTo(Status.down("not probed yet"));

        // When it answers, then stays silent 15 s, then 16 s
        p.run();
        Status fresh = p.get();
        clock.addAndGet(15 * SECOND);
        Status stillFresh = p.get();
        clock.addAndGet(SECOND);
        Status stale = p.get();

        // Then
        assertThat(fresh).isEqualTo(Status.up("3 brokers"));
        assertThat(stillFresh).isEqualTo(fresh);
        assertThat(stale).isEqualTo(Status.down("no answer for 16 s"));
    }

    @Test
    void aProbeThatThrowsIsDownWithTheException() {
        Health.Probe p = new Health.Probe(() -> {
            throw new java.sql.SQLException("connection refused");
        }, Duration.ofSeconds(5), clock::get);

        p.run();

        assertThat(p.get().up()).isFalse();
        assertThat(p.get().detail()).contains("connection refused");
    }

    @Test
    void theReportIsJsonWithEveryCheckSorted() throws Exception {
        // Given
        health.live("b", () -> Status.up("fine \"quoted\""));
        health.ready("a", () -> Status.down("line\nbreak"));

        // When
        JsonNode json = new ObjectMapper().readTree(health.readiness().toJson());

        // Then
        assertThat(json.get("status").asText()).isEqualTo("DOWN");
        assertThat(json.get("checks").fieldNames()).toIterable().containsExactly("a", "b");
        assertThat(json.at("/checks/a/detail").asText()).isEqualTo("line\nbreak");
        assertThat(json.at("/checks/b/status").asText()).isEqualTo("UP");
        assertThat(json.at("/checks/b/detail").asText()).isEqualTo("fine \"quoted\"");
    }
}
