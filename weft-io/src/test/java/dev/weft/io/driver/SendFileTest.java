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
}
