package dev.weft.bench.soak;

import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.io.BufIOException;
import dev.weft.io.BufPool;
import dev.weft.io.IoBuf;
import dev.weft.io.ReadResult;
import dev.weft.io.TcpStream;
import dev.weft.runtime.Runtimes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak's load: a second multi-thread runtime in the same JVM with one sequential task per
 * connection. Each sends a message, reads its echo back in full, checks every byte, and sends the
 * next; after a random 500–5,000 messages it closes the connection and opens a new one, so
 * accepts, connection tasks and buffer takes and gives keep happening for the whole soak. Both
 * buffers of a connection come from its {@link BufPool} and go back when it closes.
 *
 * <p>Errors (an I/O error, a connection the server closed, a wrong byte) are counted, and the
 * first few described.
 */
final class SoakClients implements AutoCloseable {
    private final Runtime rt;
    private final BufPool pool;
    private final InetSocketAddress server;
    private final int message;
    private final LongAdder echoed = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicInteger described = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
    private final List<Task<Void>> tasks = new ArrayList<>();
    private volatile boolean running = true;

    SoakClients(int workers, BufPool pool, InetSocketAddress server, int message) {
        this.rt = Runtimes.multiThreadBuilder().name("soak-clients").workers(workers).closeGrace(Duration.ofSeconds(1)).build();
        this.pool = pool;
        this.server = server;
        this.message = message;
    }

    Runtime runtime() {
        return rt;
    }

    void start(int connections) {
        for (int i = 0; i < connections; i++) {
            int index = i;
            tasks.add(rt.spawn("soak-client-" + i, () -> {
                clientLoop(index);
                return null;
            }));
        }
    }

    /** Messages echoed (and checked) since the last call. */
    long takeEchoed() {
        return echoed.sumThenReset();
    }

    long errors() {
        return errors.sum();
    }

    Iterable<String> errorSamples() {
        return errorSamples;
    }

    /** Asks every client to stop after its current message; true if all did within {@code bound}. */
    boolean stop(Duration bound) throws InterruptedException {
        running = false;
        long deadline = System.nanoTime() + bound.toNanos();
        for (Task<Void> t : tasks) {
            while (!t.isDone()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(5);
            }
        }
        return true;
    }

    private void error(String what) {
        errors.increment();
        if (described.getAndIncrement() < 5) {
            errorSamples.add(what);
        }
    }

    private void clientLoop(int index) {
        SplittableRandom rnd = new SplittableRandom(index);
        long seq = 0;
        byte[] expected = new byte[message];
        byte[] got = new byte[message];
        while (running) {
            TcpStream conn;
            try {
                conn = TcpStream.connect(server);
            } catch (IOException e) {
                error("client " + index + ": connect failed: " + e);
                Weft.sleep(Duration.ofMillis(100));
                continue;
            }
            IoBuf out = pool.take();
            IoBuf in = pool.take();
            try (conn) {
                int n = 500 + rnd.nextInt(4_500);
                for (int k = 0; k < n && running; k++, seq++) {
                    for (int j = 0; j < message; j++) {
                        expected[j] = (byte) (seq * 31 + j * 7 + index);
                    }
                    out.clear().put(expected).flip();
                    out = conn.writeAll(out).buf();
                    in.clear().limit(message);
                    while (in.hasRemaining()) {
                        ReadResult r = conn.read(in);
                        in = r.buf();
                        if (r.eof()) {
                            throw new IOException("the server closed the connection");
                        }
                    }
                    in.get(0, got, 0, message);
                    if (!java.util.Arrays.equals(expected, got)) {
                        error("client " + index + ": message " + seq + " came back changed");
                        break;
                    }
                    echoed.increment();
                }
            } catch (BufIOException e) {
                // the buffer travels in the exception: it is one of ours, given back below
                error("client " + index + ": " + e);
            } catch (IOException e) {
                error("client " + index + ": " + e);
            } finally {
                pool.give(out);
                pool.give(in);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        rt.close();
    }
}
