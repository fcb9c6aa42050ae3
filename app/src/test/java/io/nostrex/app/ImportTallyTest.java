package io.nostrex.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The import's bookkeeping: the summary classes, the window, and giving up on a relay that went quiet. */
class ImportTallyTest {
    @Test
    void answersAreClassifiedByOkAndPrefix() {
        assertThat(ImportTally.classify(true, "")).isEqualTo(ImportTally.Outcome.ACCEPTED);
        assertThat(ImportTally.classify(true, "duplicate: already have this event")).isEqualTo(ImportTally.Outcome.DUPLICATE);
        assertThat(ImportTally.classify(false, "invalid: bad signature")).isEqualTo(ImportTally.Outcome.INVALID);
        assertThat(ImportTally.classify(false, "blocked: deleted")).isEqualTo(ImportTally.Outcome.BLOCKED);
        assertThat(ImportTally.classify(false, "pow: difficulty 8 is less than 20")).isEqualTo(ImportTally.Outcome.BLOCKED);
        assertThat(ImportTally.classify(false, "error: did not confirm in time")).isEqualTo(ImportTally.Outcome.FAILED);
    }

    @Test
    void aFullWindowWaitsThenGivesUpAndGivingUpFreesTheSlots() throws Exception {
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        ImportTally tally = new ImportTally(2, new PrintStream(report, true, StandardCharsets.UTF_8));
        assertThat(tally.sending(1, "a", 10)).isTrue();
        assertThat(tally.sending(2, "b", 10)).isTrue();
        assertThat(tally.sending(3, "c", 50)).as("no slot while nothing is answered").isFalse();

        tally.answered(1, true, "");
        assertThat(tally.sending(3, "c", 10)).isTrue();
        tally.giveUp("the connection ended");
        assertThat(tally.inFlight()).isZero();
        assertThat(tally.sending(4, "d", 10)).isTrue();
        assertThat(tally.sending(5, "e", 10)).as("giving up gave both slots back").isTrue();

        tally.answered(2, true, ""); // late: line 2 was given up already
        assertThat(tally.summary()).isEqualTo("imported 3 events: 1 accepted, 0 duplicate, 0 invalid, 0 blocked, 2 failed");
        assertThat(report.toString(StandardCharsets.UTF_8).lines().toList())
                .containsExactlyInAnyOrder("line 2: b: error: the connection ended", "line 3: c: error: the connection ended");
    }

    @Test
    void waitingForAnswersEndsWhenTheyStopComing() throws Exception {
        ImportTally tally = new ImportTally(10, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        tally.sending(1, "a", 10);
        tally.sending(2, "b", 10);
        tally.answered(1, false, "invalid: no");
        tally.awaitAnswers(200, () -> { });
        assertThat(tally.summary()).isEqualTo("imported 2 events: 0 accepted, 0 duplicate, 1 invalid, 0 blocked, 1 failed");
    }
}
