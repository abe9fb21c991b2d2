package dev.weft.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Timeouts where users expect them (issue 17): connect with a timeout, and a read timeout on any stream, in both styles. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimeoutsTest {
    static java.util.stream.Stream<Harness.Rt> runtimes() {
        return Harness.runtimes();
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void aReadThatWaitsLongerThanTheLimitFailsAndTheStreamStaysUsable(Harness.Rt kind) {
        try (Runtime rt = kind.factory().get()) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create();
                AsyncIo reader = Io.withReadTimeout(pipe.right(), Duration.ofMillis(100));
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> reader.readInto(IoBuf.allocate(16)))
                        .isInstanceOf(SocketTimeoutException.class).hasMessageContaining("no bytes to read for PT0.1S");
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(90L, 5_000L);
                // the stream is unharmed: bytes that come in time are read
                Task<Void> writer = Weft.spawn(() -> {
                    Weft.sleep(Duration.ofMillis(30));
                    Io.writeAll(pipe.left(), IoBuf.wrap("hi".getBytes()));
                });
                IoBuf buf = IoBuf.allocate(16);
                assertThat(reader.readInto(buf)).isEqualTo(2);
                writer.join();
                // the future form, from poll code: the error carries the SocketTimeoutException
                Task<Integer> polled = Weft.spawnFuture(reader.readFuture(IoBuf.allocate(16)));
                assertThatThrownBy(polled::join).hasRootCauseInstanceOf(SocketTimeoutException.class);
                return null;
            });
        }
    }

    /** Progress resets the clock: a slow but steady writer never times out a reader with a generous limit per byte. */
    @ParameterizedTest
    @MethodSource("runtimes")
    void theClockRunsOnlyWhileAReadWaits(Harness.Rt kind) {
        try (Runtime rt = kind.factory().get()) {
            int total = rt.run(() -> {
                IoPipe pipe = IoPipe.create();
                AsyncIo reader = Io.withReadTimeout(pipe.right(), Duration.ofMillis(300));
                Weft.spawn(() -> {
                    for (int i = 0; i < 10; i++) {
                        Weft.sleep(Duration.ofMillis(50));     // 500 ms in all, 50 ms between bytes
                        Io.writeAll(pipe.left(), IoBuf.wrap(new byte[] {(byte) i}));
                    }
                    pipe.left().shutdownOutput();
                });
                return Io.readToEnd(reader, 100).remaining();
            });
            assertThat(total).isEqualTo(10);
        }
    }

    /**
     * A connect that cannot complete: a listener whose accept queue is full (it never accepts)
     * drops new SYNs on Linux, so the connect waits; with a timeout it fails with
     * SocketTimeoutException, and the half-made connection is closed.
     */
    @ParameterizedTest
    @MethodSource("runtimes")
    void aConnectThatCannotCompleteTimesOut(Harness.Rt kind) throws Exception {
        try (ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             Runtime rt = kind.factory().get()) {
            InetSocketAddress addr = new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), full.getLocalPort());
            List<Socket> fillers = new ArrayList<>();
            try {
                boolean queueFull = false;
                for (int i = 0; i < 8 && !queueFull; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(addr, 300);
                        fillers.add(s);
                    } catch (SocketTimeoutException e) {
                        s.close();
                        queueFull = true;
                    }
                }
                Assumptions.assumeTrue(queueFull, "this kernel accepted every connection to a full accept queue: "
                        + "no way here to make a connect wait");
                Throwable sequential = org.assertj.core.api.Assertions.catchThrowable(() ->
                        rt.run(() -> TcpStream.connect(addr, Duration.ofMillis(200))));
                assertThat(sequential).hasRootCauseInstanceOf(SocketTimeoutException.class)
                        .rootCause().hasMessageContaining("timed out after PT0.2S");
                Throwable polled = org.assertj.core.api.Assertions.catchThrowable(() ->
                        rt.run(() -> rt.spawnFuture(TcpStream.connectFuture(addr, Duration.ofMillis(200))).join()));
                assertThat(polled).hasRootCauseInstanceOf(SocketTimeoutException.class);
                assertThat(polled).hasCauseInstanceOf(UncheckedIOException.class);
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }
}
