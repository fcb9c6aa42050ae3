package io.nostrex.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A text message read as bytes in pooled buffers is decoded whole, whatever the buffers' boundaries. */
class MessageTextTest {
    private static final String TEXT = "[\"EVENT\",{\"content\":\"caf\u00e9 \uD83D\uDE00 \u65e5\u672c\"}]";

    @Test
    void aCharacterSplitAcrossBuffersIsDecodedWhole() {
        byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= bytes.length; cut++) {
            ByteBuffer first = ByteBuffer.allocateDirect(cut).put(bytes, 0, cut).flip();
            ByteBuffer second = ByteBuffer.allocateDirect(bytes.length - cut).put(bytes, cut, bytes.length - cut).flip();
            assertThat(Gateway.utf8(new ByteBuffer[] {first, second})).isEqualTo(TEXT);
        }
    }

    @Test
    void oneHeapBufferAndNoneAtAll() {
        byte[] bytes = ("xx" + TEXT).getBytes(StandardCharsets.UTF_8);
        ByteBuffer heap = ByteBuffer.wrap(bytes, 2, bytes.length - 2);
        assertThat(Gateway.utf8(new ByteBuffer[] {heap.slice()})).isEqualTo(TEXT);
        assertThat(Gateway.utf8(new ByteBuffer[] {heap})).isEqualTo(TEXT);
        assertThat(Gateway.utf8(new ByteBuffer[0])).isEmpty();
    }
}
