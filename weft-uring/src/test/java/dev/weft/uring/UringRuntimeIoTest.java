package dev.weft.uring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Runtime;
import dev.weft.io.Io;
import dev.weft.io.IoBuf;
import dev.weft.io.RuntimeIo;
import dev.weft.io.TcpListener;
import dev.weft.io.TcpStream;
import dev.weft.runtime.Runtimes;
import dev.weft.spi.AbstractRuntime;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** RuntimeIo on a runtime that chose io_uring: a task on an NIO runtime talks through that runtime's ring. */
class UringRuntimeIoTest {
    @Test
    void aTaskOnAnNioRuntimeTalksThroughAnotherRuntimesRing() {
        Assumptions.assumeTrue(Uring.isAvailable(), "io_uring is unavailable here: " + Uring.unavailabilityCause());
        try (Runtime ring = Runtimes.multiThreadBuilder().name("ring").workers(1).ioDriver("io_uring").build();
             Runtime plain = Runtimes.currentThread("plain")) {
            RuntimeIo io = RuntimeIo.of(ring);
            assertThat(io.driverName()).isEqualTo("io_uring");
            int echoed = plain.run(() -> {
                TcpListener listener = io.bind(new InetSocketAddress("127.0.0.1", 0));
                var server = ring.spawn(() -> {
                    try (TcpStream s = listener.accept()) {
                        Io.copy(s, s);
                    }
                });
                try (TcpStream s = io.connect(listener.localAddress())) {
                    Io.writeAll(s, IoBuf.wrap(new byte[5000]));
                    s.shutdownOutput();
                    int n = Io.readToEnd(s, 10_000).remaining();
                    server.join();
                    listener.close();
                    return n;
                }
            });
            assertThat(echoed).isEqualTo(5000);
            assertThat(((AbstractRuntime) ring).driverNames()).contains("UringDriver");
            assertThat(((AbstractRuntime) plain).driverNames()).isEmpty();
        }
    }
}
