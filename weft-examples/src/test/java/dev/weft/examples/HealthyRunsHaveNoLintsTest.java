package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.examples.net.EchoServer;
import dev.weft.io.Io;
import dev.weft.io.IoBuf;
import dev.weft.io.TcpListener;
import dev.weft.io.TcpStream;
import dev.weft.runtime.Runtimes;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lints stay silent on healthy programs: the echo workload in both styles (with its
 * connections left idle long enough for the lost-waker lint to look) and the camera workload.
 * Dumps are sampled while they run; any LINT line fails the test, with the dump.
 */
class HealthyRunsHaveNoLintsTest {

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "poll"})
    void echoServesWithoutALint(String style) throws Exception {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("echo-" + style).workers(2).build()) {
            TcpListener listener = rt.spawn(() -> TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))).join();
            Task<Void> server = style.equals("poll") ? rt.spawnFuture("acceptor", new EchoServer.AcceptLoop(listener))
                    : rt.spawn("acceptor", () -> EchoServer.serve(listener));
            Sampler lints = Sampler.start();
            List<Task<Integer>> clients = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                clients.add(rt.spawn("client-" + i, () -> {
                    try (TcpStream c = TcpStream.connect(listener.localAddress())) {
                        IoBuf in = IoBuf.allocate(64);
                        int echoed = 0;
                        for (int r = 0; r < 200; r++) {
                            Io.writeAll(c, IoBuf.wrap(("ping " + r).getBytes(StandardCharsets.US_ASCII)));
                            Io.readExact(c, in.clear(), ("ping " + r).length());
                            echoed++;
                        }
                        Weft.sleep(Duration.ofMillis(1_500));    // idle connections: the lost-waker lint looks
                        return echoed;
                    }
                }));
            }
            for (Task<Integer> c : clients) {
                assertThat(c.join()).isEqualTo(200);
            }
            assertThat(lints.stop()).as("lint lines seen in dumps during the echo run").isEmpty();
            server.cancel();
            rt.spawn(listener::close).join();
        }
    }

    @ParameterizedTest
    @EnumSource(CameraDemo.Wakeup.class)
    void camerasRunWithoutALint(CameraDemo.Wakeup wakeup) throws Exception {
        Sampler lints = Sampler.start();
        CameraDemo.Result result = CameraDemo.run(5, 100, 150, wakeup);     // 1.5 s of frames (CameraDemoTest counts them)
        assertThat(result.seen().frames()).isPositive();
        assertThat(lints.stop()).as("lint lines seen in dumps during the camera run").isEmpty();
    }

    /** Takes a dump every 250 ms on its own thread and keeps every LINT line (with its task line). */
    private static final class Sampler {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Set<String> found = new TreeSet<>();
        private Thread thread;

        static Sampler start() {
            Sampler s = new Sampler();
            s.thread = Thread.ofPlatform().daemon().start(() -> {
                while (s.running.get()) {
                    String[] lines = Weft.dump().split("\n");
                    for (int i = 0; i < lines.length; i++) {
                        if (lines[i].contains("LINT ")) {
                            synchronized (s.found) {
                                s.found.add(lines[i - 1].trim().replaceAll(" for .*", "") + " -> " + lines[i].trim());
                            }
                        }
                    }
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            return s;
        }

        Set<String> stop() throws InterruptedException {
            running.set(false);
            thread.join();
            synchronized (found) {
                return new TreeSet<>(found);
            }
        }
    }
}
