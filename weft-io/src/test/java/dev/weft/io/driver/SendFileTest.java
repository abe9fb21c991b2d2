package dev.weft.io.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.io.AsyncFile;
import dev.weft.io.Io;
import dev.weft.io.IoBuf;
import dev.weft.io.TcpListener;
import dev.weft.io.TcpStream;
import dev.weft.runtime.Runtimes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** File to socket with transferTo: every byte of the range arrives, even when the socket's buffer fills. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SendFileTest {

    @Test
    void sendsARangeOfAFileLargerThanTheSocketBuffers(@TempDir Path dir) throws Exception {
        byte[] data = new byte[8 << 20];
        new Random(7).nextBytes(data);
        Path path = Files.write(dir.resolve("big.bin"), data);
        try (var rt = Runtimes.multiThreadBuilder().name("sendfile").workers(2).build()) {
            rt.run(() -> {
                try (TcpListener listener = TcpListener.bind("127.0.0.1", 0); AsyncFile file = AsyncFile.open(path)) {
                    Task<Long> server = Weft.spawn(() -> {
                        try (TcpStream conn = listener.accept()) {
                            long n = conn.sendFile(file, 1000, data.length - 1000);
                            long past = conn.sendFile(file, data.length - 10, 100);      // the file ends first
                            return n + past;
                        }
                    });
                    try (TcpStream client = TcpStream.connect(listener.localAddress())) {
                        Weft.sleep(java.time.Duration.ofMillis(50));        // let the sender fill the buffers and park
                        IoBuf got = Io.readToEnd(client, data.length);
                        byte[] expected = new byte[data.length - 1000 + 10];
                        System.arraycopy(data, 1000, expected, 0, data.length - 1000);
                        System.arraycopy(data, data.length - 10, expected, data.length - 1000, 10);
                        assertThat(Arrays.equals(got.toByteArray(), expected)).isTrue();
                    }
                    assertThat(server.join()).isEqualTo(data.length - 1000 + 10L);
                }
            });
        }
    }

    /**
     * Bytes committed in place that the socket could not take yet (they wait in the stream's
     * stage) go before a following sendFile's, in both forms: transferTo writes to the channel
     * itself, so the stage is flushed first.
     */
    @Test
    void bytesCommittedInPlaceBeforeASendFileGoFirst(@TempDir Path dir) throws Exception {
        byte[] data = new byte[256 * 1024];
        Arrays.fill(data, (byte) 'F');
        Path path = Files.write(dir.resolve("f.bin"), data);
        try (var rt = Runtimes.multiThreadBuilder().name("sendfile-staged").workers(2).build()) {
            for (boolean future : new boolean[] {false, true}) {
                rt.run(() -> {
                    try (TcpListener listener = TcpListener.bind("127.0.0.1", 0); AsyncFile file = AsyncFile.open(path)) {
                        Task<TcpStream> accepted = Weft.spawn(listener::accept);
                        try (TcpStream conn = TcpStream.connect(listener.localAddress()); TcpStream peer = accepted.join()) {
                            // Fill the socket without waiting (the peer reads nothing yet), then commit a header:
                            // the socket cannot take it, so it stays in the stage.
                            long filled = Weft.await((dev.weft.Future<Long>) cx -> {
                                long n = 0;
                                IoBuf chunk = IoBuf.allocate(64 * 1024);
                                for (int w; (w = conn.pollWrite(dev.weft.Context.noop(), chunk.clear())) > 0; ) {
                                    n += w;
                                }
                                IoBuf room = conn.pollReserve(dev.weft.Context.noop(), 6);
                                room.put("HEADER".getBytes());
                                conn.commit(6);
                                return dev.weft.Poll.ready(n);
                            });
                            Task<Long> sending = Weft.spawn(() -> future
                                    ? Weft.await(conn.sendFileFuture(file, 0, data.length))
                                    : conn.sendFile(file, 0, data.length));
                            IoBuf got = IoBuf.allocate((int) filled + 6 + data.length);
                            Io.readExact(peer, got, got.capacity());
                            byte[] all = got.flip().toByteArray();
                            assertThat(new String(all, (int) filled, 6)).as("sendFile%s: the header first", future ? "Future" : "")
                                    .isEqualTo("HEADER");
                            assertThat(sending.join()).isEqualTo(data.length);
                        }
                    }
                });
            }
        }
    }
}
