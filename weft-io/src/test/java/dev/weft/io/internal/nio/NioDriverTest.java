package dev.weft.io.internal.nio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The NIO driver under raw channels: readiness reaches the right task on each runtime that waits on a driver. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NioDriverTest {

    static List<Supplier<Runtime>> runtimes() {
        return List.of(
                () -> Runtimes.multiThreadBuilder().name("nio-multi").workers(2).build(),
                () -> Runtimes.currentThread("nio-current"),
                () -> Runtimes.jdkDefault("nio-jdk"));
    }

    static int await(Future<Integer> op) {
        return Weft.await(op);
    }

    static int read(SocketChannel ch, Registration reg, ByteBuffer dst) {
        return await(cx -> {
            int n = NioChannels.read(cx, ch, reg, dst);
            return n == NioChannels.PENDING ? Poll.pending() : Poll.ready(n);
        });
    }

    static void writeAll(SocketChannel ch, Registration reg, ByteBuffer src) {
        while (src.hasRemaining()) {
            await(cx -> {
                int n = NioChannels.write(cx, ch, reg, src);
                return n == NioChannels.PENDING ? Poll.pending() : Poll.ready(n);
            });
        }
    }

    /** An echo server on the runtime; clients are plain blocking sockets on platform threads. */
    @Test
    void echoesToBlockingClientsOnEveryRuntime() throws Exception {
        for (Supplier<Runtime> make : runtimes()) {
            try (Runtime rt = make.get()) {
                ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
                int clients = 20;
                List<Thread> threads = new ArrayList<>();
                List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
                for (int i = 0; i < clients; i++) {
                    int seed = i;
                    threads.add(Thread.ofPlatform().start(() -> {
                        try (Socket s = new Socket("127.0.0.1", port)) {
                            Random rnd = new Random(seed);
                            OutputStream out = s.getOutputStream();
                            DataInputStream in = new DataInputStream(s.getInputStream());
                            for (int m = 0; m < 50; m++) {
                                byte[] msg = new byte[1 + rnd.nextInt(20_000)];
                                rnd.nextBytes(msg);
                                out.write(msg);
                                byte[] back = new byte[msg.length];
                                in.readFully(back);
                                assertThat(back).isEqualTo(msg);
                            }
                            s.shutdownOutput();
                            assertThat(in.read()).as("the server closes after our EOF").isEqualTo(-1);
                        } catch (Throwable t) {
                            failures.add(t);
                        }
                    }));
                }
                rt.run(() -> {      // drives a current-thread runtime on this thread while it serves
                    NioDriver driver = NioDriver.current();
                    Registration acceptReg = driver.register(server);
                    List<dev.weft.Task<Void>> echoes = new ArrayList<>();
                    for (int i = 0; i < clients; i++) {
                        SocketChannel c = Weft.await(cx -> {
                            SocketChannel got = NioChannels.accept(cx, server, acceptReg);
                            return got == null ? Poll.pending() : Poll.ready(got);
                        });
                        echoes.add(Weft.spawn(() -> {
                            Registration reg = driver.register(c);
                            ByteBuffer buf = ByteBuffer.allocateDirect(4096);
                            while (read(c, reg, buf.clear()) > 0) {
                                writeAll(c, reg, buf.flip());
                            }
                            reg.close();        // closes the channel on the driver thread
                        }));
                    }
                    acceptReg.close();
                    echoes.forEach(dev.weft.Task::join);
                });
                for (Thread t : threads) {
                    t.join();
                }
                assertThat(failures).as(rt.name()).isEmpty();
            }
        }
    }

    @Test
    void closingAChannelWakesItsWaiterWithAnError() throws Exception {
        for (Supplier<Runtime> make : runtimes()) {
            try (Runtime rt = make.get(); ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
                Socket peer = new Socket();
                peer.connect(server.getLocalAddress());
                SocketChannel c = server.accept();
                Throwable thrown = rt.run(() -> {
                    Registration reg = NioDriver.current().register(c);
                    Weft.spawn(() -> {
                        Weft.sleep(java.time.Duration.ofMillis(30));
                        reg.close();
                    });
                    try {
                        read(c, reg, ByteBuffer.allocate(16));
                        return null;
                    } catch (RuntimeException e) {
                        return e;
                    }
                });
                assertThat(thrown).as(rt.name()).isNotNull();
                assertThat(thrown).hasRootCauseInstanceOf(IOException.class);
                peer.close();
                c.close();
            }
        }
    }

    /**
     * Virtual threads that wake the selector while a worker selects: the selector's wakeup takes
     * a JDK monitor that the selecting thread also takes, and a virtual thread that blocks on it
     * unmounts and must be run again by a worker, perhaps the one waiting on the same monitor.
     */
    @Test
    void wakeupsFromVirtualThreadsNeverStallTheRuntime() {
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
            for (int run = 0; run < 10; run++) {
                try (Runtime rt = Runtimes.multiThreadBuilder().name("nio-wakeups").workers(2).build()) {
                    rt.run(() -> {
                        NioDriver driver = NioDriver.current();
                        List<dev.weft.Task<Void>> tasks = new ArrayList<>();
                        for (int t = 0; t < 16; t++) {
                            long seed = t;
                            tasks.add(Weft.spawn(() -> {
                                Random rnd = new Random(seed);
                                for (int i = 0; i < 300; i++) {
                                    driver.wakeup();
                                    Weft.sleep(java.time.Duration.ofNanos(rnd.nextInt(300_000)));
                                }
                            }));
                        }
                        tasks.forEach(dev.weft.Task::join);
                    });
                }
            }
        });
    }
}
