package dev.weft.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.Runtime;
import dev.weft.runtime.Runtimes;
import dev.weft.spi.AbstractRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a runtime's I/O driver is chosen: by name, with a clear fallback and a clear error. */
class IoDriverChoiceTest {
    @Test
    void anUnavailableDriverFallsBackToNioWithOneLogLineNamingTheCause(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f.txt"), "hello");
        List<String> lines = new CopyOnWriteArrayList<>();
        Logger jul = Logger.getLogger("dev.weft.io");
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r.getMessage());
            }

            @Override
            public void flush() { }

            @Override
            public void close() { }
        };
        jul.addHandler(h);
        try (Runtime rt = Runtimes.multiThreadBuilder().name("fallback").workers(1).ioDriver("never-here").build()) {
            String text = rt.run(() -> {
                String first = null;
                for (int i = 0; i < 3; i++) {
                    try (AsyncFile f = AsyncFile.open(file)) {
                        IoBuf buf = IoBuf.allocate(16);
                        f.readAt(buf, 0);
                        first = new String(buf.flip().toByteArray());
                    }
                }
                return first;
            });
            assertThat(text).isEqualTo("hello");
            assertThat(((AbstractRuntime) rt).blockingPoolIfStarted()).as("NIO's files run on the blocking pool").isNotNull();
            Harness.awaitTrue(() -> !lines.isEmpty(), 5_000, "the fallback is logged");
            Thread.sleep(100);
            assertThat(lines).hasSize(1);
            assertThat(lines.getFirst()).contains("fallback", "never-here", "the kernel is too old", "Using NIO");
        } finally {
            jul.removeHandler(h);
        }
    }

    @Test
    void anUnknownDriverNameIsAnErrorThatListsTheKnownOnes(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f.txt"), "x");
        try (Runtime rt = Runtimes.currentThread("unknown").ioDriver("epoll-turbo")) {
            Throwable t = catchThrowable(() -> rt.run(() -> AsyncFile.open(file)));
            assertThat(t).hasMessageContaining("epoll-turbo").hasMessageContaining("[nio, never-here]");
        }
    }
}
