package dev.weft.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.CancelledException;
import dev.weft.Either;
import dev.weft.Future;
import dev.weft.Task;
import dev.weft.TaskFailedException;
import dev.weft.Weft;
import dev.weft.io.AsyncFile;
import dev.weft.io.AsyncRead;
import dev.weft.io.BufPool;
import dev.weft.io.Io;
import dev.weft.io.IoBuf;
import dev.weft.io.ReadResult;
import dev.weft.io.TcpListener;
import dev.weft.io.TcpStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Cancel storms during file and socket I/O (issue 12, fault 10), for {@link DriverConformanceTest}:
 * rounds of tasks doing {@code readAt}, {@code writeAllAt}, {@code size}, {@code sendFile} and
 * owned socket reads and writes with pooled buffers, cancelled at random moments. Afterwards the
 * shared file and the shared connections still work for fresh tasks, every task completed exactly
 * once within a bound, and the pool has every buffer back (its leak accounting reports none).
 * Runs inside a sequential task.
 */
final class CancelStorm {
    static final int ROUNDS = 25;
    static final int REGION = 1 << 20;                  // bytes [0, REGION) are read, [REGION, 2*REGION) written
    static final Duration JOIN_BOUND = Duration.ofSeconds(20);

    enum Outcome { RETURNED, CANCELLED, FAILED }

    private final Random rnd;
    private final byte[] data = new byte[REGION];
    private final List<BufPool.Leak> leaks = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final BufPool pool;

    CancelStorm(long seed) {
        this.rnd = new Random(seed);
        rnd.nextBytes(data);
        this.pool = BufPool.builder(16 * 1024, 32).direct().name("storm").leakDetection(true).leakListener(leaks::add).build();
    }

    void run(Path dir) throws Exception {
        Path path = dir.resolve("storm.bin");
        Files.write(path, data);
        Files.write(path, new byte[REGION], StandardOpenOption.APPEND);
        int spawned = 0;
        List<Outcome> outcomes = new ArrayList<>();
        try (AsyncFile file = AsyncFile.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
             TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
            Task<TcpStream> accepting = Weft.spawn(listener::accept);
            TcpStream echoConn = TcpStream.connect(listener.localAddress());
            TcpStream echoPeer = accepting.join();
            Task<Long> echo = Weft.spawn(() -> Io.copy(echoPeer, echoPeer));          // echoes until end of stream
            accepting = Weft.spawn(listener::accept);
            TcpStream fileConn = TcpStream.connect(listener.localAddress());
            TcpStream filePeer = accepting.join();
            Task<Long> sink = Weft.spawn(() -> discardAll(filePeer));

            for (int round = 0; round < ROUNDS; round++) {
                List<Task<?>> tasks = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    tasks.add(Weft.spawn(() -> readAts(file)));
                }
                tasks.add(Weft.spawn(() -> writeAts(file)));
                tasks.add(Weft.spawn(() -> sizes(file)));
                tasks.add(Weft.spawn(() -> fileConn.sendFile(file, 0, REGION)));    // one writer on fileConn
                tasks.add(Weft.spawn(() -> ownedWrites(echoConn)));                 // one writer on echoConn
                tasks.add(Weft.spawn(() -> ownedReads(echoConn)));                  // one reader on echoConn
                spawned += tasks.size();
                Collections.shuffle(tasks, rnd);
                for (Task<?> t : tasks) {
                    Weft.sleep(Duration.ofNanos(rnd.nextInt(600_000)));
                    t.cancel();
                }
                for (Task<?> t : tasks) {
                    Outcome o = joinWithin(t);
                    assertThat(joinWithin(t)).as("a second join sees the same end: the task completed once").isEqualTo(o);
                    outcomes.add(o);
                }
            }
            assertThat(outcomes).as("every task completed, once").hasSize(spawned);
            assertThat(failures).as("no task failed: cancellation ends a task as cancelled").isEmpty();

            freshTasksStillUseTheFile(file);
            freshTaskStillEchoes(echoConn);
            long sent = Weft.spawn(() -> fileConn.sendFile(file, 0, 64 * 1024)).join();
            assertThat(sent).as("a fresh sendFile on the same connection").isEqualTo(64 * 1024);

            echoConn.close();
            echo.join();
            echoPeer.close();
            fileConn.close();
            sink.join();
            filePeer.close();
        }
        assertThat(pool.outstanding()).as("every pooled buffer is back (given, or forfeited by a cancelled op)").isZero();
        pool.close();
        assertThat(leaks).as("the pool's leak accounting reports nothing").isEmpty();
        assertThat(outcomes).as("the storm did cancel tasks in flight").contains(Outcome.CANCELLED);
    }

    /** Joins {@code t}, failing if it does not end within {@link #JOIN_BOUND}. */
    private Outcome joinWithin(Task<?> t) {
        try {
            Either<?, Void> r = Weft.select(t, Future.sleep(JOIN_BOUND));
            if (r instanceof Either.Second) {
                throw new AssertionError(t + " did not end within " + JOIN_BOUND + " of being cancelled");
            }
            return Outcome.RETURNED;
        } catch (CancelledException e) {
            return Outcome.CANCELLED;
        } catch (TaskFailedException e) {
            if (!failures.contains(e.getCause())) {
                failures.add(e.getCause());
            }
            return Outcome.FAILED;
        }
    }

    private void readAts(AsyncFile file) throws IOException {
        Random r = new Random();
        IoBuf buf = pool.take();
        try {
            for (;;) {
                int at = r.nextInt(REGION - buf.capacity());
                int n = file.readAt(buf.clear(), at);
                byte[] got = buf.flip().toByteArray();
                if (!Arrays.equals(got, 0, n, data, at, at + n)) {
                    throw new AssertionError("readAt(" + at + ") read wrong bytes");
                }
            }
        } finally {
            pool.give(buf);
        }
    }

    private void writeAts(AsyncFile file) throws IOException {
        Random r = new Random();
        IoBuf buf = pool.take();
        try {
            for (;;) {
                buf.clear();
                while (buf.hasRemaining()) {
                    buf.put((byte) r.nextInt());
                }
                file.writeAllAt(buf.flip(), REGION + r.nextInt(REGION - buf.capacity()));
            }
        } finally {
            pool.give(buf);
        }
    }

    private static void sizes(AsyncFile file) throws IOException {
        for (;;) {
            assertThat(file.size()).isEqualTo(2L * REGION);
            Weft.yieldNow();
        }
    }

    private void ownedWrites(TcpStream conn) throws IOException {
        for (;;) {
            IoBuf buf = pool.take();
            buf.put(new byte[buf.capacity()]).flip();
            pool.give(conn.writeAll(buf).buf());        // a cancelled write forfeits the buffer to the pool
        }
    }

    private void ownedReads(TcpStream conn) throws IOException {
        for (;;) {
            ReadResult r = conn.read(pool.take());      // a cancelled read forfeits the buffer to the pool
            pool.give(r.buf());
        }
    }

    private static long discardAll(TcpStream conn) throws IOException {
        IoBuf buf = IoBuf.allocate(256 * 1024);
        long total = 0;
        int n;
        while ((n = conn.readInto(buf.clear())) != AsyncRead.EOF) {
            total += n;
        }
        return total;
    }

    private void freshTasksStillUseTheFile(AsyncFile file) throws IOException {
        IoBuf all = IoBuf.allocate(REGION);
        int n = Weft.spawn(() -> file.readAt(all, 0)).join();
        assertThat(n).isEqualTo(REGION);
        assertThat(Arrays.equals(all.flip().toByteArray(), data)).as("the read region is intact").isTrue();
        byte[] mark = "written after the storm".getBytes();
        Weft.spawn(() -> file.writeAllAt(IoBuf.wrap(mark), REGION + 7)).join();
        IoBuf back = IoBuf.allocate(mark.length);
        Weft.spawn(() -> file.readAt(back, REGION + 7)).join();
        assertThat(back.flip().toByteArray()).isEqualTo(mark);
        assertThat(Weft.spawn(file::size).join()).isEqualTo(2L * REGION);
    }

    /** The echo connection still works: a marker written now comes back (after what the storm left in flight). */
    private static void freshTaskStillEchoes(TcpStream conn) {
        byte[] marker = ("marker-" + System.nanoTime()).getBytes();
        Weft.spawn(() -> {
            Io.writeAll(conn, IoBuf.wrap(marker));
            byte[] tail = new byte[marker.length];          // the last bytes received
            IoBuf buf = IoBuf.allocate(64 * 1024);
            while (true) {
                if (conn.readInto(buf.clear()) == AsyncRead.EOF) {
                    throw new AssertionError("the echo connection ended before the marker came back");
                }
                byte[] got = buf.flip().toByteArray();
                byte[] joined = Arrays.copyOf(tail, tail.length + got.length);
                System.arraycopy(got, 0, joined, tail.length, got.length);
                tail = Arrays.copyOfRange(joined, joined.length - marker.length, joined.length);
                if (Arrays.equals(tail, marker)) {
                    return null;
                }
            }
        }).join();
    }
}
