package io.nostrex.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class FairQueriesTest {
    /** A pool whose queue the test runs by hand, one task at a time, in order; bounded like the gateway's. */
    private static final class ManualPool implements Executor {
        final ArrayDeque<Runnable> queue = new ArrayDeque<>();
        final int capacity;

        ManualPool(int capacity) {
            this.capacity = capacity;
        }

        @Override
        public void execute(Runnable task) {
            if (queue.size() >= capacity) {
                throw new RejectedExecutionException("full");
            }
            queue.add(task);
        }

        void runAll() {
            while (!queue.isEmpty()) {
                queue.poll().run();
            }
        }
    }

    @Test
    void aClientWithManyQueriesTakesTurnsWithTheOthers() {
        ManualPool pool = new ManualPool(100);
        FairQueries fair = new FairQueries(pool, 1, 100);
        FairQueries.Lane greedy = new FairQueries.Lane();
        FairQueries.Lane polite = new FairQueries.Lane();
        List<String> ran = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String name = "greedy " + i;
            fair.submit(greedy, () -> ran.add(name), reason -> ran.add("refused " + name));
        }
        fair.submit(polite, () -> ran.add("polite"), reason -> ran.add("refused polite"));
        assertThat(pool.queue).as("one of each lane on the pool").hasSize(2);
        assertThat(fair.waiting()).isEqualTo(4);
        pool.runAll();
        assertThat(ran).containsExactly("greedy 0", "polite", "greedy 1", "greedy 2", "greedy 3", "greedy 4");
        assertThat(fair.waiting()).isZero();
    }

    @Test
    void aLaneHasSeveralOnThePoolAtOnceAndKeepsItsOwnOrder() {
        ManualPool pool = new ManualPool(100);
        FairQueries fair = new FairQueries(pool, 2, 100);
        FairQueries.Lane lane = new FairQueries.Lane();
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int n = i;
            fair.submit(lane, () -> ran.add(n), reason -> { });
        }
        assertThat(pool.queue).hasSize(2);
        pool.runAll();
        assertThat(ran).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void pastItsWaitingRoomALanesQueryIsRefusedAndTheOthersRun() {
        ManualPool pool = new ManualPool(100);
        FairQueries fair = new FairQueries(pool, 1, 2);
        FairQueries.Lane lane = new FairQueries.Lane();
        List<String> ran = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String name = "q" + i;
            fair.submit(lane, () -> ran.add(name), reason -> ran.add("refused " + name));
        }
        assertThat(ran).containsExactly("refused q3", "refused q4");
        pool.runAll();
        assertThat(ran).containsExactly("refused q3", "refused q4", "q0", "q1", "q2");
    }

    @Test
    void aFullPoolRefusesAndTheLaneStillTakesItsNextTurn() {
        ManualPool pool = new ManualPool(1);
        FairQueries fair = new FairQueries(pool, 1, 10);
        FairQueries.Lane a = new FairQueries.Lane();
        FairQueries.Lane b = new FairQueries.Lane();
        List<String> ran = new ArrayList<>();
        fair.submit(a, () -> ran.add("a0"), reason -> ran.add("refused a0"));
        fair.submit(b, () -> ran.add("b0"), reason -> ran.add("refused b0"));
        assertThat(ran).containsExactly("refused b0");
        fair.submit(b, () -> ran.add("b1"), reason -> ran.add("refused b1"));
        pool.runAll();
        fair.submit(b, () -> ran.add("b2"), reason -> ran.add("refused b2"));
        pool.runAll();
        assertThat(ran).containsExactly("refused b0", "refused b1", "a0", "b2");
    }

    @Test
    void aQueryThatThrowsStillHandsTheTurnOn() {
        ManualPool pool = new ManualPool(10);
        FairQueries fair = new FairQueries(pool, 1, 10);
        FairQueries.Lane lane = new FairQueries.Lane();
        List<String> ran = new ArrayList<>();
        fair.submit(lane, () -> {
            throw new IllegalStateException("the database went away");
        }, reason -> { });
        fair.submit(lane, () -> ran.add("next"), reason -> { });
        try {
            pool.queue.poll().run();
        } catch (IllegalStateException expected) {
            // a pool thread would log it and go on
        }
        pool.runAll();
        assertThat(ran).containsExactly("next");
    }
}
