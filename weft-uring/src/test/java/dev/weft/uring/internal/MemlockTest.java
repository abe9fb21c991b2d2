package dev.weft.uring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The memlock limit is named, with its fixes, before the kernel answers ENOMEM. */
class MemlockTest {
    @Test
    void aPoolOverTheLimitIsRefusedWithTheLimitAndTheFixesNamed() {
        String why = Memlock.refusal("files", 16L << 20, 8L << 20, false);
        assertThat(why).contains("BufPool 'files'", "16.0 MiB", "RLIMIT_MEMLOCK of 8.0 MiB", "ulimit -l",
                "LimitMEMLOCK", "CAP_IPC_LOCK", "smaller pool");
    }

    @Test
    void theLimitDoesNotApplyWithCapIpcLockWhenUnlimitedOrWhenThePoolFits() {
        assertThat(Memlock.refusal("p", 16L << 20, 8L << 20, true)).isNull();
        assertThat(Memlock.refusal("p", 16L << 20, -1, false)).isNull();
        assertThat(Memlock.refusal("p", 8L << 20, 8L << 20, false)).isNull();
    }

    @Test
    void anEnomemFromTheKernelIsExplainedAsTheMemlockLimit() {
        IllegalStateException e = Memlock.registerFailed("p", 1L << 40, new ErrnoException("io_uring_register", Errno.ENOMEM, null));
        assertThat(e.getMessage()).containsAnyOf("RLIMIT_MEMLOCK", "ulimit -l");
        IllegalStateException other = Memlock.registerFailed("p", 1, new ErrnoException("io_uring_register", Errno.EINVAL, null));
        assertThat(other.getMessage()).contains("EINVAL");
    }

    @Test
    void thisProcesssLimitAndCapabilityCanBeRead() throws Exception {
        long limit = Sys.softLimit(Memlock.RLIMIT_MEMLOCK);
        assertThat(limit == -1 || limit >= 0).isTrue();
        String status = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/status"));
        boolean root = status.lines().anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[2].equals("0"));
        if (root) {
            assertThat(Memlock.hasIpcLock()).as("root holds CAP_IPC_LOCK unless dropped").isTrue();
        }
    }
}
