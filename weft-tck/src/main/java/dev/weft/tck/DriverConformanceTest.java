package dev.weft.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Either;
import dev.weft.Future;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.TimedOutException;
import dev.weft.Weft;
import dev.weft.io.Codecs;
import dev.weft.io.FrameException;
import dev.weft.io.Framed;
import dev.weft.io.Io;
import dev.weft.io.IoBuf;
import dev.weft.io.TcpListener;
import dev.weft.io.TcpStream;
import dev.weft.io.UdpSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The conformance suite every I/O driver passes, on every runtime that waits on drivers: a
 * subclass says which runtime (and so which thread waits on the driver); the driver is whatever
 * the I/O types pick on it (NIO today; io_uring later, with the same tests). Everything runs
 * inside {@code runtime.run}, so a current-thread runtime is driven by the test thread.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class DriverConformanceTest {

    /** A fresh runtime; the test closes it. */
    protected abstract Runtime newRuntime();

    /**
     * Runs {@code body} on a fresh runtime. A body still running after {@value #DUMP_AFTER_SECONDS}
     * s (a hang, shortly before the class's timeout) gets a task dump of every runtime printed to
     * standard error, so a failure on a CI machine says what was parked where.
     */
    private void onRuntime(dev.weft.Action body) {
        Thread dumper = Thread.ofPlatform().daemon().name("driver-conformance-dump").start(() -> {
            try {
                Thread.sleep(DUMP_AFTER_SECONDS * 1_000L);
                System.err.println("DriverConformanceTest: still running after " + DUMP_AFTER_SECONDS + " s; task dump:");
                Weft.dump(System.err);
                System.err.println("DriverConformanceTest: platform threads:");
                Thread.getAllStackTraces().forEach((t, stack) -> {
                    System.err.println("  " + t + " " + t.getState());
                    for (int i = 0; i < Math.min(stack.length, 12); i++) {
                        System.err.println("      at " + stack[i]);
                    }
                });
            } catch (InterruptedException finished) {
                // the body ended in time
            }
        });
        try (Runtime rt = newRuntime()) {
            rt.run(body);
        } finally {
            dumper.interrupt();
        }
    }

    /** When a body that has not finished is dumped (the class times out at 120 s). */
    static final int DUMP_AFTER_SECONDS = 100;

    private static TcpListener listen() throws IOException {
        return TcpListener.bind(new InetSocketAddress("127.0.0.1", 0), 4096);
    }

    /** Echoes every byte it reads until end of stream, then closes. */
    private static void echo(TcpStream conn) throws IOException {
        try (conn) {
            Io.copy(conn, conn);
        }
    }

    /**
     * Echoes length-delimited frames of at most 1 KiB; a bad frame is recorded and closes this
     * connection only (the Framed closes it).
     */
    private static void framedEcho(TcpStream c, List<? super FrameException> errors) throws IOException {
        try (Framed<byte[]> frames = Codecs.lengthDelimited(c, 1024)) {
            byte[] f;
            while ((f = frames.next()) != null) {
                frames.send(f);
            }
        } catch (FrameException e) {
            errors.add(e);
        }
    }

    @Test
    void echoesMessagesOfRandomSizes() {
        onRuntime(() -> {
            try (TcpListener listener = listen()) {
                int clients = 8;
                List<Task<Void>> server = new ArrayList<>();
                Task<Void> acceptor = Weft.spawn(() -> {
                    for (int i = 0; i < clients; i++) {
                        TcpStream c = listener.accept();
                        server.add(Weft.spawn(() -> echo(c)));
                    }
                });
                List<Task<Void>> tasks = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    long seed = i;
                    tasks.add(Weft.spawn(() -> {
                        Random rnd = new Random(seed);
                        try (TcpStream conn = TcpStream.connect(listener.localAddress())) {
                            for (int m = 0; m < 20; m++) {
                                byte[] msg = new byte[1 + rnd.nextInt(m % 5 == 0 ? 300_000 : 2_000)];
                                rnd.nextBytes(msg);
                                // write and read at once: a large message does not fit in the socket buffers
                                Task<Integer> writer = Weft.spawn(() -> Io.writeAll(conn, IoBuf.wrap(msg)));
                                IoBuf back = IoBuf.allocate(msg.length);
                                Io.readExact(conn, back, msg.length);
                                writer.join();
                                assertThat(back.flip().toByteArray()).isEqualTo(msg);
                            }
                        }
                    }));
                }
                tasks.forEach(Task::join);
                acceptor.join();
                server.forEach(Task::join);
            }
        });
    }

    @Test
    void writesInPlaceKeepTheirOrderAmongPlainWritesAndFramesBothWays() {
        onRuntime(() -> {
            try (TcpListener listener = listen()) {
                Task<Void> server = Weft.spawn(() -> echo(listener.accept()));     // Io.copy: reads into the writer's room
                try (TcpStream conn = TcpStream.connect(listener.localAddress())) {
                    Random rnd = new Random(3);
                    java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
                    Task<IoBuf> reader = Weft.spawn(() -> Io.readToEnd(conn, 8 << 20));
                    for (int i = 0; i < 2_000; i++) {
                        byte[] chunk = new byte[1 + rnd.nextInt(i % 100 == 0 ? 60_000 : 700)];
                        rnd.nextBytes(chunk);
                        sent.write(chunk, 0, chunk.length);
                        if (rnd.nextBoolean()) {
                            IoBuf room = conn.reserve(Math.min(chunk.length, conn.maxReserve()));
                            int n = Math.min(chunk.length, room.remaining());
                            room.put(chunk, 0, n);
                            conn.commit(n);
                            if (n < chunk.length) {
                                Io.writeAll(conn, IoBuf.wrap(chunk, n, chunk.length - n));
                            }
                        } else {
                            Io.writeAll(conn, IoBuf.wrap(chunk));
                        }
                    }
                    conn.flush();
                    conn.shutdownOutput();
                    assertThat(reader.join().toByteArray()).isEqualTo(sent.toByteArray());
                }
                server.join();
                try (TcpListener frames = listen()) {
                    Task<Void> framedServer = Weft.spawn(() -> framedEcho(frames.accept(), new ArrayList<>()));
                    try (Framed<byte[]> client = Codecs.lengthDelimited(TcpStream.connect(frames.localAddress()), 1024)) {
                        Task<Integer> replies = Weft.spawn(() -> {
                            int n = 0;
                            for (byte[] f; (f = client.next()) != null && n < 5_000; ) {
                                assertThat(f).hasSize(1 + n % 1000).containsOnly((byte) n);
                                n++;
                                if (n == 5_000) {
                                    break;
                                }
                            }
                            return n;
                        });
                        for (int i = 0; i < 5_000; i++) {
                            byte[] f = new byte[1 + i % 1000];
                            java.util.Arrays.fill(f, (byte) i);
                            client.feed(f);                 // encoded into the stream's buffer when it has room
                            if (i % 50 == 49) {
                                client.flush();
                            }
                        }
                        client.flush();
                        assertThat(replies.join()).isEqualTo(5_000);
                    }
                    framedServer.join();
                }
            }
        });
    }

    /** Byte {@code i} of the test streams below: a sequence that shows any lost, doubled or reordered byte. */
    private static byte seq(long i) {
        return (byte) (i % 251);
    }

    @Test
    void ownedReadsOfPooledBuffersLoseNoByteWhenCancelledAtRandomAndWritesKeepTheirOrder() {
        onRuntime(() -> {
            java.util.List<dev.weft.io.BufPool.Leak> leaks = new java.util.concurrent.CopyOnWriteArrayList<>();
            dev.weft.io.BufPool pool = dev.weft.io.BufPool.builder(4096, 16).direct().name("owned")
                    .leakDetection(true).leakListener(leaks::add).build();
            long total = 4 << 20;
            try (TcpListener listener = listen()) {
                Task<TcpStream> accepted = Weft.spawn(listener::accept);
                try (TcpStream conn = TcpStream.connect(listener.localAddress()); TcpStream server = accepted.join()) {
                    // The writer mixes owned writes of pooled buffers, plain writes and writes in place.
                    Task<Void> writer = Weft.spawn(() -> {
                        Random rnd = new Random(11);
                        long i = 0;
                        while (i < total) {
                            int n = (int) Math.min(total - i, 1 + rnd.nextInt(4096));
                            switch (rnd.nextInt(3)) {
                                case 0 -> {
                                    IoBuf b = pool.take();
                                    for (int k = 0; k < n; k++) {
                                        b.put(seq(i + k));
                                    }
                                    pool.give(server.writeAll(b.flip()).buf());
                                }
                                case 1 -> {
                                    byte[] a = new byte[n];
                                    for (int k = 0; k < n; k++) {
                                        a[k] = seq(i + k);
                                    }
                                    Io.writeAll(server, IoBuf.wrap(a));
                                }
                                default -> {
                                    n = Math.min(n, server.maxReserve());
                                    IoBuf room = server.reserve(n);
                                    for (int k = 0; k < n; k++) {
                                        room.put(seq(i + k));
                                    }
                                    server.commit(n);
                                }
                            }
                            i += n;
                            if (rnd.nextInt(16) == 0) {
                                server.flush();
                                Weft.sleep(Duration.ofMillis(2));   // a gap: the reader's timer wins races
                            }
                        }
                        server.flush();
                        server.shutdownOutput();
                    });
                    // The reader races every owned read against a short timer: a lost race drops the read.
                    Random rnd = new Random(12);
                    long got = 0;
                    int cancelled = 0;
                    for (;;) {
                        IoBuf buf = pool.take();
                        Either<dev.weft.io.ReadResult, Void> r = Weft.select(conn.readOwned(buf),
                                Future.sleep(Duration.ofNanos(rnd.nextInt(500_000))));
                        if (r instanceof Either.Second) {
                            cancelled++;                // the buffer went back to the pool with the read
                            continue;
                        }
                        dev.weft.io.ReadResult res = ((Either.First<dev.weft.io.ReadResult, Void>) r).value();
                        if (res.eof()) {
                            pool.give(res.buf());
                            break;
                        }
                        IoBuf b = res.buf().flip();
                        for (int k = 0; k < res.count(); k++) {
                            if (b.get() != seq(got + k)) {
                                throw new AssertionError("byte " + (got + k) + " is wrong: a byte was lost or doubled");
                            }
                        }
                        got += res.count();
                        pool.give(res.buf());
                    }
                    writer.join();
                    assertThat(got).isEqualTo(total);
                    assertThat(cancelled).as("some reads lost their race").isPositive();
                }
            }
            assertThat(pool.outstanding()).as("every buffer is back, given or forfeited").isZero();
            pool.close();
            assertThat(leaks).isEmpty();
        });
    }

    @Test
    void halfCloseLetsThePeerAnswerAfterEndOfStream() {
        onRuntime(() -> {
            try (TcpListener listener = listen()) {
                Task<Void> server = Weft.spawn(() -> {
                    try (TcpStream c = listener.accept()) {
                        IoBuf all = Io.readToEnd(c, 1 << 20);           // until the client's half-close
                        Io.writeAll(c, IoBuf.wrap(("got " + all.remaining()).getBytes()));
                    }
                });
                try (TcpStream conn = TcpStream.connect(listener.localAddress())) {
                    Io.writeAll(conn, IoBuf.wrap(new byte[12_345]));
                    conn.shutdownOutput();
                    IoBuf reply = Io.readToEnd(conn, 1024);
                    assertThat(new String(reply.toByteArray())).isEqualTo("got 12345");
                }
                server.join();
            }
        });
    }

    @Test
    void aPeerResetMidReadFailsOnlyThatConnection() {
        onRuntime(() -> {
            try (TcpListener listener = listen()) {
                Task<Throwable> victim = Weft.spawn(() -> {
                    try (TcpStream c = listener.accept()) {
                        IoBuf buf = IoBuf.allocate(64);
                        Io.readExact(c, buf, 64);                       // the peer sends 10 bytes, then resets
                        return null;
                    } catch (IOException e) {
                        return e;
                    }
                });
                TcpStream rude = TcpStream.connect(listener.localAddress());
                Io.writeAll(rude, IoBuf.wrap(new byte[10]));
                Weft.sleep(Duration.ofMillis(20));
                rude.abort();
                assertThat(victim.join()).as("the reset reaches the reader as an I/O error").isInstanceOf(IOException.class);

                Task<Void> next = Weft.spawn(() -> echo(listener.accept()));   // the listener still serves
                try (TcpStream polite = TcpStream.connect(listener.localAddress())) {
                    Io.writeAll(polite, IoBuf.wrap("still here".getBytes()));
                    IoBuf back = IoBuf.allocate(10);
                    Io.readExact(polite, back, 10);
                    assertThat(new String(back.flip().toByteArray())).isEqualTo("still here");
                }
                next.join();
            }
        });
    }

    @Test
    void acceptsTwoThousandConnectionsArrivingAtOnce() {
        onRuntime(() -> {
            int n = 2_000;
            try (TcpListener listener = listen()) {
                AtomicInteger served = new AtomicInteger();
                Task<Void> server = Weft.spawn(() -> {
                    List<Task<Void>> conns = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        TcpStream c = listener.accept();
                        conns.add(Weft.spawn(() -> {
                            echo(c);
                            served.incrementAndGet();
                        }));
                    }
                    conns.forEach(Task::join);
                });
                List<Task<Void>> clients = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    byte b = (byte) i;
                    clients.add(Weft.spawn(() -> {
                        try (TcpStream conn = TcpStream.connect(listener.localAddress())) {
                            Io.writeAll(conn, IoBuf.wrap(new byte[] {b}));
                            conn.shutdownOutput();
                            IoBuf back = Io.readToEnd(conn, 16);
                            assertThat(back.toByteArray()).containsExactly(b);
                        }
                    }));
                }
                clients.forEach(Task::join);
                server.join();
                assertThat(served.get()).isEqualTo(n);
            }
        });
    }

    @Test
    void aCancelledReadLosesNoBytes() {
        onRuntime(() -> {
            try (TcpListener listener = listen()) {
                Task<TcpStream> accepted = Weft.spawn(listener::accept);
                try (TcpStream conn = TcpStream.connect(listener.localAddress()); TcpStream server = accepted.join()) {
                    IoBuf buf = IoBuf.allocate(64);
                    // sequential form: a timeout cancels the parked read
                    assertThatThrownBy(() -> Weft.timeout(Duration.ofMillis(20), () -> conn.readInto(buf)))
                            .isInstanceOf(TimedOutException.class);
                    // poll form: a select that the timer wins drops the read future
                    Either<Integer, Void> first = Weft.select(conn.readFuture(buf), Future.sleep(Duration.ofMillis(20)));
                    assertThat(first).isInstanceOf(Either.Second.class);

                    Io.writeAll(server, IoBuf.wrap("hello, world".getBytes()));
                    Io.readExact(conn, buf, 12);
                    assertThat(new String(buf.flip().toByteArray())).isEqualTo("hello, world");
                }
            }
        });
    }

    @Test
    void anOversizedFrameClosesOnlyItsConnection() {
        onRuntime(() -> {
            try (TcpListener listener = listen()) {
                List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
                Task<Void> server = Weft.spawn(() -> {
                    List<Task<Void>> conns = new ArrayList<>();
                    for (int i = 0; i < 2; i++) {
                        TcpStream c = listener.accept();
                        conns.add(Weft.spawn(() -> framedEcho(c, errors)));
                    }
                    conns.forEach(Task::join);
                });
                try (TcpStream bad = TcpStream.connect(listener.localAddress());
                     TcpStream good = TcpStream.connect(listener.localAddress())) {
                    Io.writeAll(bad, IoBuf.allocate(4).putInt(1 << 20).flip());    // claims a 1 MiB frame
                    IoBuf rest = Io.readToEnd(bad, 16);
                    assertThat(rest.remaining()).as("the bad connection is closed").isZero();

                    try (Framed<byte[]> frames = Codecs.lengthDelimited(good, 1024)) {
                        frames.send("fine".getBytes());
                        assertThat(frames.next()).isEqualTo("fine".getBytes());
                    }
                }
                server.join();
                assertThat(errors).singleElement().satisfies(e -> assertThat(e.getMessage()).contains("1024"));
            }
        });
    }

    @Test
    void garbageAndADisconnectMidFrameFailOnlyTheirConnections() {
        onRuntime(() -> {
            try (TcpListener listener = listen()) {
                List<FrameException> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
                Task<Void> server = Weft.spawn(() -> {
                    List<Task<Void>> conns = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        TcpStream c = listener.accept();
                        conns.add(Weft.spawn(() -> framedEcho(c, errors)));
                    }
                    conns.forEach(Task::join);
                });
                try (TcpStream garbage = TcpStream.connect(listener.localAddress());
                     TcpStream quitter = TcpStream.connect(listener.localAddress());
                     TcpStream good = TcpStream.connect(listener.localAddress())) {
                    Io.writeAll(garbage, IoBuf.wrap(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xf0}));  // a negative length
                    Io.writeAll(quitter, IoBuf.allocate(14).putInt(100).put(new byte[10]).flip());   // 10 of 100 bytes, then gone
                    quitter.shutdownOutput();
                    try (Framed<byte[]> frames = Codecs.lengthDelimited(good, 1024)) {
                        for (int i = 0; i < 10; i++) {
                            byte[] msg = ("message " + i).getBytes();
                            frames.send(msg);
                            assertThat(frames.next()).isEqualTo(msg);
                        }
                    }
                    assertThat(Io.readToEnd(garbage, 16).remaining()).as("the server closed the garbage sender").isZero();
                }
                server.join();
                assertThat(errors).extracting(FrameException::kind)
                        .containsExactlyInAnyOrder(FrameException.Kind.MALFORMED, FrameException.Kind.TRUNCATED);
            }
        });
    }

    @Test
    void aClientThatNeverReadsStallsOnlyItsOwnConnection() {
        onRuntime(() -> {
            try (TcpListener listener = listen()) {
                List<Task<Void>> serving = new java.util.concurrent.CopyOnWriteArrayList<>();
                Task<Void> acceptor = Weft.spawn(() -> {
                    for (int i = 0; i < 2; i++) {
                        TcpStream c = listener.accept();
                        serving.add(Weft.spawn(() -> {
                            try {
                                echo(c);
                            } catch (IOException e) {
                                // the stalled client is closed at the end of the test
                            }
                        }));
                    }
                });
                TcpStream stalled = TcpStream.connect(listener.localAddress());
                byte[] lots = new byte[64 * 1024];
                // the server echoes into a client that never reads: its writes pend once the buffers fill
                Task<Long> flood = Weft.spawn(() -> {
                    long sent = 0;
                    try {
                        while (true) {
                            sent += Io.writeAll(stalled, IoBuf.wrap(lots));
                        }
                    } catch (IOException e) {
                        return sent;
                    }
                });
                Weft.sleep(Duration.ofMillis(200));
                try (TcpStream other = TcpStream.connect(listener.localAddress())) {
                    for (int i = 0; i < 50; i++) {
                        Io.writeAll(other, IoBuf.wrap(new byte[] {(byte) i, 1, 2, 3}));
                        IoBuf back = IoBuf.allocate(4);
                        Io.readExact(other, back, 4);
                        assertThat(back.flip().get()).isEqualTo((byte) i);
                    }
                }
                assertThat(flood.isDone()).as("the flooding writer is still blocked by its own peer").isFalse();
                stalled.abort();
                flood.join();
                acceptor.join();
                for (Task<Void> t : serving) {
                    t.join();
                }
            }
        });
    }

    @Test
    void closingAListenerFailsAPendingAccept() {
        onRuntime(() -> {
            TcpListener listener = listen();
            Task<TcpStream> waiting = Weft.spawn(listener::accept);
            Weft.sleep(Duration.ofMillis(20));
            listener.close();
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(waiting::join);
            assertThat(t).hasRootCauseInstanceOf(IOException.class);
        });
    }

    /**
     * Datagrams both ways, addressed and connected; a datagram longer than the buffer's room is
     * truncated; a receive abandoned while it waits (it lost a select) loses no datagram.
     */
    @Test
    void udpDatagramsArriveWholeAndAnAbandonedReceiveLosesNone() {
        onRuntime(() -> {
            try (UdpSocket a = UdpSocket.bind(new InetSocketAddress("127.0.0.1", 0));
                 UdpSocket b = UdpSocket.bind(new InetSocketAddress("127.0.0.1", 0))) {
                Random rnd = new Random(11);
                for (int i = 0; i < 50; i++) {
                    byte[] msg = new byte[1 + rnd.nextInt(8000)];
                    rnd.nextBytes(msg);
                    IoBuf src = IoBuf.wrap(msg);
                    a.sendTo(src, b.localAddress());
                    assertThat(src.hasRemaining()).as("the datagram was taken whole").isFalse();
                    IoBuf in = IoBuf.allocate(9000);
                    java.net.SocketAddress from = b.receive(in);
                    assertThat(from).isEqualTo(a.localAddress());
                    assertThat(in.flip().toByteArray()).isEqualTo(msg);
                }
                b.connect(a.localAddress());
                b.send(IoBuf.wrap("0123456789".getBytes()));
                IoBuf small = IoBuf.allocate(4);
                a.receive(small);
                assertThat(new String(small.flip().toByteArray())).as("truncated to the room").isEqualTo("0123");
                // a receive that waits, then loses a select: the datagram sent after it is not lost
                Either<java.net.SocketAddress, Void> lost = Weft.select(a.receiveFuture(IoBuf.allocate(64)),
                        Future.sleep(Duration.ofMillis(30)));
                assertThat(lost).isInstanceOf(Either.Second.class);
                b.send(IoBuf.wrap("after".getBytes()));
                IoBuf got = IoBuf.allocate(64);
                a.receive(got);
                assertThat(new String(got.flip().toByteArray())).isEqualTo("after");
            }
        });
    }

    /**
     * A closed UDP socket neither receives nor sends (issue 12, fault 5): both fail at once with
     * {@code ClosedChannelException}, as reads and writes of a closed TCP stream do, even while
     * the driver has not closed the channel yet.
     */
    @Test
    void aClosedUdpSocketNeitherReceivesNorSends() {
        onRuntime(() -> {
            try (UdpSocket peer = UdpSocket.bind(new InetSocketAddress("127.0.0.1", 0))) {
                UdpSocket socket = UdpSocket.bind(new InetSocketAddress("127.0.0.1", 0));
                peer.sendTo(IoBuf.wrap("waiting".getBytes()), socket.localAddress());
                Weft.sleep(Duration.ofMillis(20));             // the datagram is in the socket's receive buffer
                socket.close();
                assertThatThrownBy(() -> socket.receive(IoBuf.allocate(64))).as("receive after close")
                        .isInstanceOf(java.nio.channels.ClosedChannelException.class);
                assertThatThrownBy(() -> socket.sendTo(IoBuf.wrap("late".getBytes()), peer.localAddress()))
                        .as("send after close").isInstanceOf(java.nio.channels.ClosedChannelException.class);
                Either<java.net.SocketAddress, Void> got = Weft.select(peer.receiveFuture(IoBuf.allocate(64)),
                        Future.sleep(Duration.ofMillis(100)));
                assertThat(got).as("the peer received nothing from the closed socket").isInstanceOf(Either.Second.class);
            }
        });
    }

    /**
     * Closing a runtime closes every socket its driver made, including those no task ever waited
     * on (issue 12, fault 4): the peer of an accepted connection reads end of stream, and the
     * ports of a listener and a UDP socket can be bound again.
     */
    @Test
    void closingTheRuntimeClosesSocketsThatNeverWaited() throws Exception {
        int[] ports = new int[2];
        try (java.net.Socket client = new java.net.Socket()) {
            try (Runtime rt = newRuntime()) {
                rt.run(() -> {
                    // none of these is ever closed or waited on: the selector never hears of them
                    TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0));
                    UdpSocket udp = UdpSocket.bind(new InetSocketAddress("127.0.0.1", 0));
                    ports[0] = listener.localAddress().getPort();
                    ports[1] = udp.localAddress().getPort();
                    Weft.spawnBlocking(() -> {
                        client.connect(listener.localAddress(), 5_000);     // the kernel completes it from the backlog
                        return null;
                    }).join();
                    TcpStream accepted = listener.accept();                 // queued already: returns without waiting
                    assertThat(accepted.isOpen()).isTrue();
                });
            }
            client.setSoTimeout(3_000);
            assertThat(client.getInputStream().read()).as("the peer of the accepted stream reads end of stream").isEqualTo(-1);
        }
        try (java.net.DatagramSocket again = new java.net.DatagramSocket(null)) {
            again.bind(new InetSocketAddress("127.0.0.1", ports[1]));          // throws BindException if still bound
        }
        try (java.net.ServerSocket again = new java.net.ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress("127.0.0.1", ports[0]));
        }
    }

    /**
     * {@code TcpListener.close()} returns once the port is free (issue 12, fault 6): binding the
     * same port right after succeeds, whether the listener never waited (no selection key), had
     * a task waiting in accept, or was closed by a poll task on a worker or the driving thread.
     */
    @Test
    void aClosedListenersPortCanBeBoundAgainAtOnce() {
        onRuntime(() -> {
            int port = 0;
            for (int round = 0; round < 100; round++) {
                int at = port;
                TcpListener listener;
                try {
                    listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", at), 16);
                } catch (java.net.BindException e) {
                    throw new AssertionError("round " + round + ": port " + at + " is still bound after close()", e);
                }
                port = listener.localAddress().getPort();
                switch (round % 3) {
                    case 0 -> listener.close();
                    case 1 -> {
                        Task<TcpStream> accepting = Weft.spawn(listener::accept);
                        Weft.sleep(Duration.ofMillis(1));
                        listener.close();
                        assertThat(org.assertj.core.api.Assertions.catchThrowable(accepting::join)).isNotNull();
                    }
                    default -> Weft.spawnFuture(cx -> {
                        listener.close();
                        return dev.weft.Poll.ready(null);
                    }).join();
                }
            }
        });
    }

    /**
     * Closed from a thread outside its runtime (the current-thread runtime is then not being
     * driven at all), a listener's port is free when {@code close()} returns.
     */
    @Test
    void aListenerClosedOutsideItsRuntimeFreesItsPortAtOnce() throws Exception {
        try (Runtime rt = newRuntime()) {
            for (int round = 0; round < 20; round++) {
                TcpListener listener = rt.run(() -> {
                    TcpListener l = listen();
                    Task<TcpStream> accepting = Weft.spawn(l::accept);
                    Weft.sleep(Duration.ofMillis(1));           // a task waits on it: it has a selection key
                    accepting.cancel();
                    org.assertj.core.api.Assertions.catchThrowable(accepting::join);
                    return l;
                });
                int port = listener.localAddress().getPort();
                listener.close();
                try (java.net.ServerSocket again = new java.net.ServerSocket()) {
                    again.setReuseAddress(true);
                    again.bind(new InetSocketAddress("127.0.0.1", port));
                } catch (java.net.BindException e) {
                    throw new AssertionError("round " + round + ": port " + port + " is still bound after close()", e);
                }
            }
        }
    }

    /**
     * Cancel storms during file and socket I/O (issue 12, fault 10): see {@link CancelStorm}.
     * Afterwards the shared file and connections work for fresh tasks, every task ended once
     * within a bound, and no pooled buffer leaked.
     */
    @Test
    void cancelStormsDuringFileAndSocketIoLeaveEverythingWorking(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        onRuntime(() -> new CancelStorm(42).run(dir));
    }
}
