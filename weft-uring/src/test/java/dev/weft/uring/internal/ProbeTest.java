package dev.weft.uring.internal;

import static dev.weft.uring.internal.RingTestSupport.assumeUring;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProbeTest {
    @Test
    void theKernelSupportsNopReadWriteButNotAnOpcodePastItsLast() throws Exception {
        assumeUring();
        Probe probe = Probe.load();
        assertThat(probe.supports(Opcode.NOP)).isTrue();
        assertThat(probe.supports(Opcode.READ)).isTrue();
        assertThat(probe.supports(Opcode.WRITE)).isTrue();
        assertThat(probe.lastOp()).isGreaterThanOrEqualTo(Opcode.WRITE);
        assertThat(probe.supports(probe.lastOp() + 1)).isFalse();
        assertThat(probe.supports(255)).isFalse();
        assertThat(probe.supports(-1)).isFalse();
    }
}
