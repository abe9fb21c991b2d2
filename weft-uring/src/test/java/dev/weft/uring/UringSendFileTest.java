package dev.weft.uring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Runtime;
import dev.weft.Weft;
import dev.weft.io.AsyncFile;
import dev.weft.io.TcpStream;
import dev.weft.runtime.Runtimes;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code TcpStream.sendFile} on io_uring: both forms send the range whole; the sequential one
 * reads into a native buffer and sends from it, with no byte copied in Java.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UringSendFileTest {
    @BeforeAll
    static void needsIoUring() {
        Assumptions.assumeTrue(Uring.isAvailable(), "io_uring is unavailable here: " + Uring.unavailabilityCause());
    }

    private static CompletableFuture<byte[]> peer(ServerSocket server) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                return in.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, r -> Thread.ofPlatform().start(r));
    }

    @Test
    void bothFormsSendTheRangeWholeAndTheSequentialOneCopiesNothingInJava(@TempDir Path dir) throws Exception {
        byte[] data = new byte[3 << 20];
        new java.util.Random(8).nextBytes(data);
        Path file = Files.write(dir.resolve("f.bin"), data);
        long from = 12_345;
        long count = data.length - 2 * from;
        byte[] expected = Arrays.copyOfRange(data, (int) from, (int) (from + count));
        try (Runtime rt = Runtimes.multiThreadBuilder().name("uring-sendfile").workers(2).ioDriver("io_uring").build();
             ServerSocket server = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            Uring uring = rt.extension(Uring.class).orElseThrow();
            InetSocketAddress at = new InetSocketAddress(server.getInetAddress(), server.getLocalPort());

            CompletableFuture<byte[]> first = peer(server);
            Uring.Stats before = uring.stats();
            long sent = rt.run(() -> {
                try (AsyncFile f = AsyncFile.open(file); TcpStream conn = TcpStream.connect(at)) {
                    long n = conn.sendFile(f, from, count);
                    conn.flush();
                    return n;
                }
            });
            assertThat(sent).isEqualTo(count);
            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(expected);
            assertThat(uring.stats().copiedBytes() - before.copiedBytes()).isZero();

            CompletableFuture<byte[]> second = peer(server);
            long sentByFuture = rt.run(() -> {
                try (AsyncFile f = AsyncFile.open(file); TcpStream conn = TcpStream.connect(at)) {
                    long n = Weft.await(conn.sendFileFuture(f, from, count));
                    conn.flush();
                    return n;
                }
            });
            assertThat(sentByFuture).isEqualTo(count);
            assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(expected);
        }
    }
}
