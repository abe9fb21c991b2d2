package dev.weft.uring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.io.AsyncFile;
import dev.weft.io.BufPool;
import dev.weft.io.Io;
import dev.weft.io.IoBuf;
import dev.weft.io.ReadResult;
import dev.weft.io.TcpListener;
import dev.weft.io.TcpStream;
import dev.weft.runtime.Runtimes;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Registered buffers: a pool's memory registered with the ring, used by READ_FIXED/WRITE_FIXED. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UringRegisteredBuffersTest {
    @BeforeAll
    static void needsIoUring() {
        Assumptions.assumeTrue(Uring.isAvailable(), "io_uring is unavailable here: " + Uring.unavailabilityCause());
    }

    @Test
    void fileAndSocketIoOfARegisteredPoolUseFixedBuffersAndOverflowBuffersDoNot(@TempDir Path dir) throws Exception {
        byte[] data = new byte[48 * 1024];
        new java.util.Random(5).nextBytes(data);
        Path in = Files.write(dir.resolve("in.bin"), data);
        Path out = dir.resolve("out.bin");
        try (Runtime rt = Runtimes.multiThreadBuilder().name("fixed").workers(2).ioDriver("io_uring").build();
             BufPool pool = BufPool.builder(64 * 1024, 2).direct().name("registered").build()) {
            Uring uring = rt.extension(Uring.class).orElseThrow();
            uring.registerBuffers(pool);
            assertThat(uring.registeredPool()).contains("registered");
            rt.run(() -> {
                Uring.Stats s0 = uring.stats();
                IoBuf buf = pool.take();
                try (AsyncFile src = AsyncFile.open(in);
                     AsyncFile dst = AsyncFile.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    assertThat(src.readAt(buf, 0)).isEqualTo(data.length);
                    dst.writeAllAt(buf.flip(), 0);
                }
                assertThat(Files.readAllBytes(out)).isEqualTo(data);
                Uring.Stats s1 = uring.stats();
                assertThat(s1.fixedBufferOps() - s0.fixedBufferOps()).as("READ_FIXED, then WRITE_FIXED").isEqualTo(2);

                // An owned socket receive into a registered buffer, then the pool's third buffer (beyond
                // its count of two: allocated, not registered), which works as a plain receive.
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                    Task<TcpStream> accepted = Weft.spawn(listener::accept);
                    try (TcpStream a = TcpStream.connect(listener.localAddress()); TcpStream b = accepted.join()) {
                        Io.writeAll(a, IoBuf.wrap("fixed".getBytes()));
                        ReadResult r = b.read(buf.clear());
                        assertThat(new String(r.buf().flip().toByteArray())).isEqualTo("fixed");
                        assertThat(uring.stats().fixedBufferOps() - s1.fixedBufferOps()).isEqualTo(1);
                        IoBuf second = pool.take();
                        IoBuf beyond = pool.take();
                        Io.writeAll(a, IoBuf.wrap("plain".getBytes()));
                        ReadResult p = b.read(beyond);
                        assertThat(new String(p.buf().flip().toByteArray())).isEqualTo("plain");
                        assertThat(uring.stats().fixedBufferOps() - s1.fixedBufferOps()).as("not for an unregistered buffer")
                                .isEqualTo(1);
                        pool.give(second);
                        pool.give(p.buf());
                    }
                }
                pool.give(buf);
            });
            uring.unregisterBuffers();
            assertThat(uring.registeredPool()).isEmpty();
        }
    }

    @Test
    void aHeapPoolASecondPoolAndAChangeOfPoolAreHandledWithClearAnswers() {
        try (Runtime rt = Runtimes.currentThread("fixed-rules").ioDriver("io_uring");
             BufPool heap = BufPool.heap(4096, 2);
             BufPool first = BufPool.direct(4096, 2);
             BufPool second = BufPool.direct(4096, 2)) {
            Uring uring = rt.extension(Uring.class).orElseThrow();
            assertThatThrownBy(() -> uring.registerBuffers(heap)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("heap pool");
            uring.registerBuffers(first);
            assertThatThrownBy(() -> uring.registerBuffers(second)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("unregisterBuffers()");
            uring.unregisterBuffers();
            uring.registerBuffers(second);
            assertThat(uring.registeredPool()).contains(second.name());
            uring.unregisterBuffers();
        }
    }
}
