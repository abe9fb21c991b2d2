package dev.weft.uring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Runtime;
import dev.weft.io.AsyncFile;
import dev.weft.io.IoBuf;
import dev.weft.runtime.Runtimes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runtime extensions on purpose (seed 001): {@code extension(Uring.class)} where the runtime uses io_uring, empty elsewhere. */
class UringExtensionTest {
    @BeforeAll
    static void needsIoUring() {
        Assumptions.assumeTrue(Uring.isAvailable(), "io_uring is unavailable here: " + Uring.unavailabilityCause());
    }

    @Test
    void aRuntimeOnIoUringOffersItsRingsExtrasFromInsideItsTasks(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f.txt"), "hello, ring");
        try (Runtime rt = Runtimes.multiThreadBuilder().name("ext").workers(2).ioDriver("io_uring").build()) {
            Uring.Stats after = rt.run(() -> {
                Uring uring = Runtime.current().extension(Uring.class).orElseThrow();
                Uring.Stats before = uring.stats();
                try (AsyncFile f = AsyncFile.open(file)) {
                    f.readAt(IoBuf.allocate(64), 0);
                }
                assertThat(uring.runtimeName()).isEqualTo("ext");
                assertThat(uring.supports("READ")).isTrue();
                assertThat(before.sqEntries()).isPositive();
                assertThat(before.cqEntries()).isGreaterThan(before.sqEntries());
                return uring.stats();
            });
            assertThat(after.submitted()).as("openat, read, close").isGreaterThanOrEqualTo(3);
            assertThat(after.completed()).isEqualTo(after.submitted());
            assertThat(after.inFlight()).isZero();
            assertThat(rt.extension(Uring.class)).as("the same extras from outside the runtime").isPresent();
        }
    }

    @Test
    void elsewhereTheExtensionIsEmptyNeverAnError() {
        try (Runtime nio = Runtimes.currentThread("nio-ext");
             Runtime jdk = Runtimes.jdkDefault("jdk-ext")) {
            assertThat(nio.extension(Uring.class)).isEmpty();
            assertThat(jdk.extension(Uring.class)).isEmpty();
            assertThat(nio.extension(String.class)).isEmpty();
            Optional<dev.weft.runtime.CurrentThreadRuntime> self = nio.extension(dev.weft.runtime.CurrentThreadRuntime.class);
            assertThat(self.orElseThrow()).as("the runtime's own type still works").isSameAs(nio);
        }
    }
}
