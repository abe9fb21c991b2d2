package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.uring.Uring;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Seed 002's example on a short run: every good client gets the whole file, two connections end
 * early without harming the others, every pooled buffer comes back, and on io_uring the server's
 * bytes are never copied in Java.
 */
class ZeroCopyFileServerTest {
    @Test
    void everyGoodClientGetsTheFileAndACancelledOneLosesNoBuffer() throws Exception {
        ZeroCopyFileServer.Result r = ZeroCopyFileServer.run(8, 3, Duration.ofMillis(500));
        assertThat(r.downloaded()).containsExactly(8L << 20, 8L << 20, 8L << 20);
        assertThat(r.checksumsMatch()).isTrue();
        assertThat(r.served()).isEqualTo(3);
        assertThat(r.cutShort()).as("the client that hung up, and the one that stopped reading").isEqualTo(2);
        assertThat(r.buffersOutstanding()).as("every buffer back, including the one a cancelled send held").isZero();
        assertThat(r.leaks()).isEmpty();
        if (Uring.isAvailable()) {
            assertThat(r.driver()).isEqualTo("io_uring");
            assertThat(r.copiedBytes()).as("no copy in Java, server or clients").isZero();
            assertThat(r.inPlaceBytes()).as("sent from and received into the pooled buffers")
                    .isGreaterThanOrEqualTo(2L * 3 * (8L << 20));
            assertThat(r.fixedBufferOps()).as("the file reads used the registered buffers").isPositive();
        } else {
            System.out.println("io_uring unavailable (" + Uring.unavailabilityCause() + "): checked on NIO only");
        }
    }
}
