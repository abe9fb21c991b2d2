package dev.weft.uring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.CancelledException;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.io.Io;
import dev.weft.io.IoBuf;
import dev.weft.io.TcpListener;
import dev.weft.io.TcpStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reads cancelled at random moments while 4 MiB flow through an io_uring socket: the kernel
 * receives into the socket's own buffer, so a cancelled reader loses nothing and the next reader
 * gets every byte once, in order. No descriptor is left open afterwards.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UringCancelStormTest {
    static Stream<UringRuntimes.Rt> runtimes() {
        return UringRuntimes.all("storm");
    }

    @BeforeAll
    static void needsIoUring() {
        Assumptions.assumeTrue(Uring.isAvailable(), "io_uring is unavailable here: " + Uring.unavailabilityCause());
    }

    static long openFds() throws Exception {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void cancelledReadsLoseAndRepeatNothing(UringRuntimes.Rt kind) throws Exception {
        byte[] data = new byte[4 << 20];
        new Random(9).nextBytes(data);
        long fdsBefore = openFds();
        int[] cancels = new int[1];
        byte[] received;
        try (Runtime rt = kind.factory().get()) {
            received = rt.run(() -> {
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                    Task<Void> sender = Weft.spawn(() -> {
                        try (TcpStream out = listener.accept()) {
                            Random rnd = new Random(1);
                            int at = 0;
                            while (at < data.length) {
                                int n = Math.min(data.length - at, 1 + rnd.nextInt(40_000));
                                Io.writeAll(out, IoBuf.wrap(data, at, n));
                                at += n;
                                if (rnd.nextBoolean()) {
                                    Weft.sleep(Duration.ofNanos(rnd.nextInt(1_000_000)));  // let readers wait in the kernel
                                }
                            }
                            out.shutdownOutput();
                        }
                    });
                    ByteArrayOutputStream got = new ByteArrayOutputStream(data.length);
                    Random rnd = new Random(2);
                    try (TcpStream in = TcpStream.connect(listener.localAddress())) {
                        boolean ended = false;
                        while (!ended) {
                            Task<Integer> reader = Weft.spawn(() -> {
                                IoBuf buf = IoBuf.allocate(1 + rnd.nextInt(70_000));
                                int n = in.readInto(buf);
                                if (n > 0) {
                                    got.write(buf.flip().toByteArray());    // one reader at a time
                                }
                                return n;
                            });
                            if (rnd.nextBoolean()) {
                                Weft.sleep(Duration.ofNanos(rnd.nextInt(200_000)));
                                reader.cancel();
                            }
                            Throwable t = catchThrowable(reader::join);
                            if (t instanceof CancelledException) {
                                cancels[0]++;
                            } else if (t != null) {
                                throw new AssertionError(t);
                            } else if (reader.join() < 0) {
                                ended = true;
                            }
                        }
                    }
                    sender.join();
                    return got.toByteArray();
                }
            });
        }
        assertThat(received.length).as("bytes received (%d reads cancelled)", cancels[0]).isEqualTo(data.length);
        assertThat(java.util.Arrays.equals(received, data)).as("every byte once, in order").isTrue();
        assertThat(cancels[0]).as("reads cancelled while waiting").isPositive();
        assertThat(openFds()).as("descriptors open after the runtime closed (before: %d)", fdsBefore).isLessThanOrEqualTo(fdsBefore);
    }
}
