package dev.weft.uring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Runtime;
import dev.weft.Weft;
import dev.weft.io.IoBuf;
import dev.weft.io.TcpStream;
import dev.weft.runtime.Runtimes;
import dev.weft.uring.Uring;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stream closed while a reservation of its send buffer is out keeps its buffers until the
 * reservation ends, and then frees them, also when the reservation ends by a later call rather
 * than a commit (before, only a commit freed them, and 128 KiB stayed allocated for good).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReservationAtCloseTest {
    @BeforeAll
    static void needsIoUring() {
        Assumptions.assumeTrue(Uring.isAvailable(), "io_uring is unavailable here: " + Uring.unavailabilityCause());
    }

    @Test
    void aReservationThatEndsWithoutACommitAfterACloseStillFreesTheStreamsBuffers() throws Exception {
        try (Runtime rt = Runtimes.currentThread("reservation-close").ioDriver("io_uring");
             ServerSocket server = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofPlatform().start(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().readAllBytes();
                } catch (IOException e) {
                    // the client went away: fine
                }
            });
            long freed = rt.run(() -> {
                TcpStream conn = TcpStream.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()));
                long withStream = Native.liveBytes();
                conn.reserve(16);                               // the task is then cancelled, say: no commit
                Weft.spawn(conn::close).join();                 // closed meanwhile by another task
                assertThatThrownBy(() -> conn.writeFrom(IoBuf.wrap(new byte[1]))).isInstanceOf(IOException.class); // a later call ends it
                return withStream - Native.liveBytes();
            });
            acceptor.join();
            assertThat(freed).as("the stream's two 64 KiB buffers are freed").isGreaterThanOrEqualTo(2L * UringStreamSocket.BUFFER);
        }
    }
}
