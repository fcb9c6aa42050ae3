package io.nostrex.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmbeddedPostgresSizingTest {
    private static final long GIB = 1024L * 1024 * 1024;

    @Test
    void sharedBuffersAreAnEighthOfMemoryBetweenPostgresDefaultAndOneGib() {
        assertThat(EmbeddedPostgres.sharedBuffersMiB(512L * 1024 * 1024)).isEqualTo(128);
        assertThat(EmbeddedPostgres.sharedBuffersMiB(GIB)).isEqualTo(128);
        assertThat(EmbeddedPostgres.sharedBuffersMiB(4 * GIB)).isEqualTo(512);
        assertThat(EmbeddedPostgres.sharedBuffersMiB(8 * GIB)).isEqualTo(1024);
        assertThat(EmbeddedPostgres.sharedBuffersMiB(24 * GIB)).isEqualTo(1024);
    }
}
