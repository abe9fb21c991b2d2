package dev.weft.uring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.uring.internal.Errno;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class UringTest {
    @Test
    void availableHereWithNoCause() {
        Assumptions.assumeTrue(Uring.isAvailable(), Uring.unavailabilityCause());
        assertThat(Uring.unavailabilityCause()).isNull();
    }

    @Test
    void probeFindsTheBasicOperations() {
        Assumptions.assumeTrue(Uring.isAvailable(), Uring.unavailabilityCause());
        assertThat(Uring.supportedOperations()).contains("NOP", "READ", "WRITE");
        assertThat(Uring.supportedOperations()).doesNotContain("BOGUS");
    }

    @Test
    void eachErrnoGetsItsOwnSentenceWithTheFix() {
        assertThat(Uring.causeFor(Errno.ENOSYS, 0)).contains("no io_uring").contains("ENOSYS");
        assertThat(Uring.causeFor(Errno.EPERM, 0)).contains("seccomp").contains("EPERM");
        assertThat(Uring.causeFor(Errno.EPERM, 1)).contains("kernel.io_uring_disabled = 1")
                .contains("sysctl -w kernel.io_uring_disabled=0");
        assertThat(Uring.causeFor(Errno.ENOMEM, 0)).contains("RLIMIT_MEMLOCK").contains("ulimit -l");
        assertThat(Uring.causeFor(0, 2)).contains("kernel.io_uring_disabled = 2");
        assertThat(Uring.causeFor(4711, 0)).contains("errno 4711");
    }
}
