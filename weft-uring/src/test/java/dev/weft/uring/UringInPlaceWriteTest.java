package dev.weft.uring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.io.Codecs;
import dev.weft.io.Framed;
import dev.weft.io.Io;
import dev.weft.io.IoBuf;
import dev.weft.io.TcpStream;
import dev.weft.runtime.Runtimes;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seed 002's "no copy" claim, measured by the ring's own counters: frames encoded by a
 * {@link Framed} on io_uring are sent from the memory the codec wrote them into, while a plain
 * write of the same bytes is copied once. The peer is a plain {@code java.net} socket, so only the
 * client's bytes are counted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UringInPlaceWriteTest {
    @BeforeAll
    static void needsIoUring() {
        Assumptions.assumeTrue(Uring.isAvailable(), "io_uring is unavailable here: " + Uring.unavailabilityCause());
    }

    /** Accepts one connection on a platform thread and counts its bytes to the end. */
    private static CompletableFuture<Long> countingPeer(ServerSocket server) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                long total = 0;
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    total += n;
                }
                return total;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, r -> Thread.ofPlatform().start(r));
    }

    @Test
    void framesAreSentFromWhereTheCodecWroteThemWithNoCopyInJava() throws Exception {
        int frames = 2_000;
        int size = 1_000;
        try (Runtime rt = Runtimes.multiThreadBuilder().name("in-place").workers(2).ioDriver("io_uring").build();
             ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<Long> peer = countingPeer(server);
            Uring uring = rt.extension(Uring.class).orElseThrow();
            Uring.Stats before = uring.stats();
            rt.run(() -> {
                try (Framed<byte[]> out = Codecs.lengthDelimited(
                        TcpStream.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort())), 4096)) {
                    byte[] payload = new byte[size];
                    for (int i = 0; i < frames; i++) {
                        out.feed(payload);
                        if (i % 16 == 15) {
                            out.flush();
                        }
                    }
                    out.flush();
                }
            });
            long expected = (long) frames * (4 + size);
            assertThat(peer.get(30, TimeUnit.SECONDS)).isEqualTo(expected);
            Uring.Stats framed = uring.stats();
            assertThat(framed.copiedBytes() - before.copiedBytes()).as("bytes copied in Java").isZero();
            assertThat(framed.inPlaceBytes() - before.inPlaceBytes()).as("bytes sent where they were encoded")
                    .isEqualTo(expected);

            // The same bytes through plain writes are copied into the send buffer: the counter sees them.
            CompletableFuture<Long> peer2 = countingPeer(server);
            rt.run(() -> {
                try (TcpStream conn = TcpStream.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()))) {
                    Io.writeAll(conn, IoBuf.wrap(new byte[(int) expected]));
                    conn.flush();
                }
            });
            assertThat(peer2.get(30, TimeUnit.SECONDS)).isEqualTo(expected);
            assertThat(uring.stats().copiedBytes() - framed.copiedBytes()).isEqualTo(expected);
        }
    }

    @Test
    void aReservationHeldAcrossACloseFromAnotherTaskNeverWritesFreedMemory() throws Exception {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("in-place-close").workers(2).ioDriver("io_uring").build();
             ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<Long> peer = countingPeer(server);
            rt.run(() -> {
                TcpStream conn = TcpStream.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()));
                IoBuf room = conn.reserve(1024);
                Weft.spawn(conn::close).join();                     // closed by someone else meanwhile
                for (int i = 0; i < room.remaining(); i++) {
                    room.put(i, (byte) i);                          // the memory is still the stream's: no crash
                }
                conn.commit(1024);                                  // after the close: dropped, and said so below
                assertThatThrownBy(conn::flush).isInstanceOf(IOException.class);
                assertThatThrownBy(() -> room.put(0, (byte) 1)).isInstanceOf(IllegalStateException.class);
                Task<Void> again = Weft.spawn(() -> {
                    conn.reserve(1);
                });
                assertThatThrownBy(again::join).hasRootCauseInstanceOf(java.nio.channels.ClosedChannelException.class);
            });
            assertThat(peer.get(30, TimeUnit.SECONDS)).as("nothing committed after the close was sent").isZero();
        }
    }
}
