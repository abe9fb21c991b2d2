package dev.weft.tck;

import dev.weft.Runtime;
import dev.weft.runtime.Runtimes;
import dev.weft.uring.Uring;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/**
 * The driver conformance suite that NIO passes, on io_uring: TCP streams and listeners go through
 * the io_uring driver (UDP still through NIO on the same runtime), on all three runtimes.
 */
class UringDriverConformanceTest {
    @BeforeAll
    static void needsIoUring() {
        Assumptions.assumeTrue(Uring.isAvailable(), "io_uring is unavailable here: " + Uring.unavailabilityCause());
    }

    @Nested
    class MultiThread extends DriverConformanceTest {
        @Override
        protected Runtime newRuntime() {
            return Runtimes.multiThreadBuilder().name("uring-multi").workers(2).ioDriver("io_uring").build();
        }
    }

    /** The JDK-default runtime gives the driver a thread of its own; its tasks' requests are queued to it. */
    @Nested
    class JdkDefault extends DriverConformanceTest {
        @Override
        protected Runtime newRuntime() {
            return Runtimes.jdkDefault("uring-jdk").ioDriver("io_uring");
        }
    }

    @Nested
    class CurrentThread extends DriverConformanceTest {
        @Override
        protected Runtime newRuntime() {
            return Runtimes.currentThread("uring-current").ioDriver("io_uring");
        }
    }
}
