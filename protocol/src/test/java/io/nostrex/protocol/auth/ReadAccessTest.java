package io.nostrex.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.protocol.Event;
import io.nostrex.protocol.EventSigner;
import io.nostrex.protocol.Filter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadAccessTest {
    private static final EventSigner ALICE = EventSigner.random();
    private static final EventSigner BOB = EventSigner.random();
    private static final EventSigner CAROL = EventSigner.random();
    private static final Event DM = ALICE.sign(1, 4, List.of(List.of("p", BOB.pubkey())), "secret");
    private static final Event WRAP = CAROL.sign(1, 1059, List.of(List.of("p", BOB.pubkey())), "sealed");
    private static final Event NOTE = ALICE.sign(1, 1, List.of(), "public");

    @Test
    void privateKindsAreReadOnlyByTheirAuthorAndRecipients() {
        ReadAccess anonymous = ReadAccess.anonymous(ReadAccess.DEFAULT_PRIVATE_KINDS);
        assertThat(anonymous.mayRead(NOTE)).isTrue();
        assertThat(anonymous.mayRead(DM)).isFalse();
        assertThat(anonymous.mayRead(WRAP)).isFalse();
        assertThat(anonymous.with(ALICE.pubkey()).mayRead(DM)).as("author").isTrue();
        assertThat(anonymous.with(ALICE.pubkey()).mayRead(WRAP)).isFalse();
        assertThat(anonymous.with(BOB.pubkey()).mayRead(DM)).as("recipient").isTrue();
        assertThat(anonymous.with(BOB.pubkey()).mayRead(WRAP)).isTrue();
        assertThat(anonymous.with(CAROL.pubkey()).mayRead(DM)).isFalse();
        assertThat(anonymous.with(CAROL.pubkey()).with(BOB.pubkey()).mayRead(DM)).as("one of several").isTrue();
        assertThat(ReadAccess.anonymous(Set.of()).mayRead(DM)).as("no private kinds").isTrue();
    }

    @Test
    void filtersAreClassedByTheKindsTheyCanMatch() {
        ReadAccess access = ReadAccess.anonymous(ReadAccess.DEFAULT_PRIVATE_KINDS);
        Filter dms = filter(Set.of(4));
        Filter dmsAndWraps = filter(Set.of(4, 1059));
        Filter dmsAndNotes = filter(Set.of(4, 1));
        Filter notes = filter(Set.of(1));
        assertThat(access.asksOnlyPrivate(dms)).isTrue();
        assertThat(access.asksOnlyPrivate(dmsAndWraps)).isTrue();
        assertThat(access.asksOnlyPrivate(dmsAndNotes)).isFalse();
        assertThat(access.asksOnlyPrivate(Filter.any())).isFalse();
        assertThat(access.mayMatchPrivate(dmsAndNotes)).isTrue();
        assertThat(access.mayMatchPrivate(Filter.any())).isTrue();
        assertThat(access.mayMatchPrivate(notes)).isFalse();
    }

    private static Filter filter(Set<Integer> kinds) {
        return new Filter(null, null, kinds, Map.of(), null, null, null, null);
    }
}
