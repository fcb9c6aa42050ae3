package io.nostrex.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PolicyRecordTest {
    private static final String ADMIN = "ad".repeat(32);

    @Test
    void entriesRoundTripThroughKeyAndValueAndATombstoneLiftsThem() throws Exception {
        PolicyRecord ban = new PolicyRecord(PolicyRecord.Kind.BAN_PUBKEY, "ab".repeat(32), null, "spam \"bot\"", ADMIN, 42);
        assertThat(ban.key()).isEqualTo("ban-pubkey:" + "ab".repeat(32));
        assertThat(PolicyRecord.read(ban.key(), ban.toJson())).isEqualTo(ban);
        PolicyRecord name = new PolicyRecord(PolicyRecord.Kind.RELAY_NAME, "", "My relay", null, ADMIN, 7);
        assertThat(name.key()).isEqualTo("relay-name:");
        assertThat(PolicyRecord.read(name.key(), name.toJson())).isEqualTo(name);

        PolicyView view = new PolicyView();
        view.apply(ban);
        view.apply(name);
        view.apply(PolicyRecord.read("block-ip:127.0.0.1", new PolicyRecord(PolicyRecord.Kind.BLOCK_IP, "127.0.0.1",
                null, null, ADMIN, 9).toJson()));
        assertThat(view.isBannedPubkey("ab".repeat(32))).isTrue();
        assertThat(view.relayField(PolicyRecord.Kind.RELAY_NAME)).isEqualTo("My relay");
        assertThat(view.isBlockedIp("127.0.0.1")).isTrue();
        view.apply(PolicyRecord.read(ban.key(), null));
        assertThat(view.isBannedPubkey("ab".repeat(32))).isFalse();
        assertThat(view.list(PolicyRecord.Kind.BAN_PUBKEY)).isEmpty();
    }

    @Test
    void keysOfAnotherVersionAreLeftAloneAndBadValuesRefused() {
        assertThat(catching(() -> PolicyRecord.read("grant-role:x", "{}"))).isNull();
        assertThat(catching(() -> PolicyRecord.read("no colon", "{}"))).isNull();
        assertThatThrownBy(() -> PolicyRecord.read("ban-event:" + "ab".repeat(32), "{nope"))
                .isInstanceOf(ContractException.class).hasMessageStartingWith("malformed policy record ban-event:");
    }

    private interface Read {
        PolicyRecord get() throws ContractException;
    }

    private static PolicyRecord catching(Read read) {
        try {
            return read.get();
        } catch (ContractException e) {
            throw new AssertionError(e);
        }
    }
}
