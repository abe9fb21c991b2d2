package dev.weft.uring.internal;

import dev.weft.uring.Uring;
import org.junit.jupiter.api.Assumptions;

/** Shared by the ring tests: skip with the cause where io_uring is unavailable. */
final class RingTestSupport {
    private RingTestSupport() { }

    static void assumeUring() {
        Assumptions.assumeTrue(Uring.isAvailable(), Uring.unavailabilityCause());
    }
}
