package dev.weft.uring;

import dev.weft.Runtime;
import dev.weft.runtime.Runtimes;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** The three runtimes on the io_uring driver, for parameterized tests. */
final class UringRuntimes {
    private UringRuntimes() { }

    /** A runtime to test on, with a readable name. */
    record Rt(String name, Supplier<Runtime> factory) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Multi-thread (2 workers), current-thread and JDK-default, named {@code <prefix>-multi} and so on. */
    static Stream<Rt> all(String prefix) {
        return Stream.of(
                new Rt("multi-thread", () -> Runtimes.multiThreadBuilder().name(prefix + "-multi").workers(2).ioDriver("io_uring").build()),
                new Rt("current-thread", () -> Runtimes.currentThread(prefix + "-current").ioDriver("io_uring")),
                new Rt("jdk", () -> Runtimes.jdkDefault(prefix + "-jdk").ioDriver("io_uring")));
    }
}
