package dev.weft.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Weft's own blocking calls run on the blocking pool (issue 12, fault 8): a host-name lookup
 * that holds its thread (as {@code getaddrinfo} does) must not hold a worker, because a Weft
 * worker, unlike the JDK's scheduler, does not make up for a blocked carrier. The lookups go
 * through {@link SlowTestResolver}.
 */
class HostLookupTest {

    /** The runtimes where a held carrier stalls everything: one worker, one driving thread; and the JDK's. */
    static Stream<Harness.Rt> runtimes() {
        return Stream.of(
                new Harness.Rt("current-thread", () -> Runtimes.currentThread("lookup-current")),
                new Harness.Rt("multi-thread, 1 worker", () -> Runtimes.multiThreadBuilder().name("lookup-multi").workers(1).build()),
                new Harness.Rt("jdk", () -> Runtimes.jdkDefault("lookup-jdk")));
    }

    private static String slowName(String label) {
        return label + "-" + System.nanoTime() + SlowTestResolver.SUFFIX;     // unique: lookups are cached
    }

    /** Runs {@code body} while a ticker task counts 1 ms sleeps; the resolver waits for it to move. */
    private static void withTicker(dev.weft.Action body) throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Task<Void> ticker = Weft.spawn(() -> {
            while (!stop.get()) {
                Weft.sleep(Duration.ofMillis(1));
                ticks.incrementAndGet();
            }
        });
        SlowTestResolver.progress = ticks::get;
        SlowTestResolver.othersProgressed = false;
        SlowTestResolver.lastThread = null;
        try {
            body.run();
        } finally {
            stop.set(true);
            ticker.join();
        }
    }

    private static void assertLookedUpOnThePool() {
        assertThat(SlowTestResolver.othersProgressed).as("other tasks ran while the host name was looked up").isTrue();
        assertThat(SlowTestResolver.lastThread.isVirtual()).as("looked up on %s", SlowTestResolver.lastThread).isFalse();
        assertThat(SlowTestResolver.lastThread.getName()).as("looked up on a blocking-pool thread").contains("-blocking-");
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void aSlowHostLookupInConnectDoesNotStallOtherTasks(Harness.Rt kind) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (Runtime rt = kind.open()) {
                rt.run(() -> {
                    try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                        Task<TcpStream> accepted = Weft.spawn(listener::accept);
                        withTicker(() -> {
                            try (TcpStream conn = TcpStream.connect(slowName("connect"), listener.localAddress().getPort())) {
                                assertThat(conn.remoteAddress().getPort()).isEqualTo(listener.localAddress().getPort());
                            }
                        });
                        accepted.join().close();
                        assertLookedUpOnThePool();
                    }
                });
            }
        });
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void bindingToAHostNameLooksItUpOnThePool(Harness.Rt kind) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (Runtime rt = kind.open()) {
                rt.run(() -> {
                    withTicker(() -> {
                        try (UdpSocket socket = UdpSocket.bind(slowName("udp"), 0)) {
                            assertThat(socket.localAddress().getAddress().isLoopbackAddress()).isTrue();
                        }
                    });
                    assertLookedUpOnThePool();
                    withTicker(() -> {
                        try (TcpListener listener = TcpListener.bind(slowName("tcp"), 0)) {
                            assertThat(listener.localAddress().getAddress().isLoopbackAddress()).isTrue();
                        }
                    });
                    assertLookedUpOnThePool();
                });
            }
        });
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void anUnknownHostIsAnUnknownHostException(Harness.Rt kind) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (Runtime rt = kind.open()) {
                rt.run(() -> {
                    SlowTestResolver.progress = () -> Integer.MAX_VALUE;       // no need to be slow here
                    assertThatThrownBy(() -> TcpStream.connect(slowName("unknown"), 80))
                            .isInstanceOf(UnknownHostException.class).hasMessageContaining("unknown");
                });
            }
        });
    }
}
