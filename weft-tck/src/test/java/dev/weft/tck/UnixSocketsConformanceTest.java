package dev.weft.tck;

import dev.weft.Runtime;
import dev.weft.runtime.Runtimes;
import dev.weft.uring.Uring;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/**
 * {@link UnixSocketConformanceTest} on both drivers of this repository, each on the three
 * runtimes: NIO ({@code SocketChannel}s of the UNIX family on the runtime's selector) and io_uring
 * ({@code AF_UNIX} sockets connected and accepted through the ring; skipped, with the kernel's
 * reason, where io_uring is unavailable).
 */
class UnixSocketsConformanceTest {

    @Nested
    class NioMultiThread extends UnixSocketConformanceTest {
        @Override
        protected Runtime newRuntime() {
            return Runtimes.multiThreadBuilder().name("unix-nio-multi").workers(2).build();
        }
    }

    @Nested
    class NioCurrentThread extends UnixSocketConformanceTest {
        @Override
        protected Runtime newRuntime() {
            return Runtimes.currentThread("unix-nio-current");
        }
    }

    @Nested
    class NioJdkDefault extends UnixSocketConformanceTest {
        @Override
        protected Runtime newRuntime() {
            return Runtimes.jdkDefault("unix-nio-jdk");
        }
    }

    @Nested
    class UringMultiThread extends UnixSocketConformanceTest {
        @BeforeEach
        void needsIoUring() {
            Assumptions.assumeTrue(Uring.isAvailable(), () -> "io_uring is unavailable here: " + Uring.unavailabilityCause());
        }

        @Override
        protected Runtime newRuntime() {
            return onIoUring(Runtimes.multiThreadBuilder().name("unix-uring-multi").workers(2).ioDriver("io_uring").build());
        }
    }

    @Nested
    class UringCurrentThread extends UnixSocketConformanceTest {
        @BeforeEach
        void needsIoUring() {
            Assumptions.assumeTrue(Uring.isAvailable(), () -> "io_uring is unavailable here: " + Uring.unavailabilityCause());
        }

        @Override
        protected Runtime newRuntime() {
            return onIoUring(Runtimes.currentThread("unix-uring-current").ioDriver("io_uring"));
        }
    }

    @Nested
    class UringJdkDefault extends UnixSocketConformanceTest {
        @BeforeEach
        void needsIoUring() {
            Assumptions.assumeTrue(Uring.isAvailable(), () -> "io_uring is unavailable here: " + Uring.unavailabilityCause());
        }

        @Override
        protected Runtime newRuntime() {
            return onIoUring(Runtimes.jdkDefault("unix-uring-jdk").ioDriver("io_uring"));
        }
    }

    /** {@code rt}, after checking that its I/O really goes through io_uring (not a fallback to NIO). */
    static Runtime onIoUring(Runtime rt) {
        if (rt.extension(Uring.class).isEmpty()) {
            rt.close();
            throw new AssertionError("asked for io_uring, but runtime " + rt + " has no io_uring driver");
        }
        return rt;
    }
}
