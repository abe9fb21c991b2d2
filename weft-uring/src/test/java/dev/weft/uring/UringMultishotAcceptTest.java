package dev.weft.uring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Runtime;
import dev.weft.io.TcpListener;
import dev.weft.io.TcpStream;
import dev.weft.runtime.Runtimes;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A listener on io_uring accepts with one multishot ACCEPT, not one operation per connection. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UringMultishotAcceptTest {
    @BeforeAll
    static void needsIoUring() {
        Assumptions.assumeTrue(Uring.isAvailable(), "io_uring is unavailable here: " + Uring.unavailabilityCause());
    }

    @Test
    void twoHundredConnectionsAreAcceptedWithAHandfulOfSubmissions() throws Exception {
        int n = 200;
        List<Socket> clients = new ArrayList<>();
        try (Runtime rt = Runtimes.multiThreadBuilder().name("multishot").workers(2).ioDriver("io_uring").build()) {
            Uring uring = rt.extension(Uring.class).orElseThrow();
            List<TcpStream> accepted = new ArrayList<>();
            try (TcpListener listener = rt.run(() -> TcpListener.bind(new InetSocketAddress("127.0.0.1", 0), 512))) {
                long before = uring.stats().submitted();
                Thread connector = Thread.ofPlatform().start(() -> {     // plain sockets: nothing on the ring
                    try {
                        for (int i = 0; i < n; i++) {
                            clients.add(new Socket(listener.localAddress().getAddress(), listener.localAddress().getPort()));
                        }
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                rt.run(() -> {
                    for (int i = 0; i < n; i++) {
                        accepted.add(listener.accept());
                    }
                });
                connector.join();
                long submitted = uring.stats().submitted() - before;
                assertThat(accepted).hasSize(n);
                assertThat(submitted).as("ACCEPTs submitted for %d connections (one per connection without multishot)", n)
                        .isLessThan(10);
                accepted.forEach(TcpStream::close);
            }
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
    }
}
