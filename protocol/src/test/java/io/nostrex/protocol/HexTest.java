package io.nostrex.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HexTest {
    @Test
    void everyByteRoundTripsAndDecodesAsTheJdkDoes() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        String hex = Hex.encode(all);
        assertThat(hex).isEqualTo(HexFormat.of().formatHex(all));
        assertThat(Hex.decode(hex)).isEqualTo(all);
        assertThat(Hex.decode(hex.toUpperCase())).isEqualTo(all);
        byte[] random = new byte[64];
        new Random(7).nextBytes(random);
        assertThat(Hex.decode(Hex.encode(random))).isEqualTo(random);
    }

    @Test
    void onlyLowercaseHexOfTheExactLengthIsLowerHex() {
        String id = "0123456789abcdef".repeat(4);
        assertThat(Hex.isLowerHex(id, 64)).isTrue();
        assertThat(Hex.isLowerHex(id, 62)).isFalse();
        assertThat(Hex.isLowerHex(null, 64)).isFalse();
        for (char c : new char[] {'A', 'F', 'g', 'G', '/', ':', '`', ' ', '\u0000', '\u00e9', '\uff10', '\uff41'}) {
            assertThat(Hex.isLowerHex(id.substring(1) + c, 64)).as("ending in U+%04X", (int) c).isFalse();
        }
    }

    @Test
    void aCharacterThatIsNotAnAsciiHexDigitCannotBeDecoded() {
        assertThatThrownBy(() -> Hex.decode("abc")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("odd");
        for (String bad : new String[] {"0g", "g0", "\uff10\uff10", "0\u00e9", "-1", " 0"}) {
            assertThatThrownBy(() -> Hex.decode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a hex digit");
        }
    }
}
