package dev.weft.bench.echo;

import dev.weft.bench.Percentiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * The load client of the {@code echo} suite, the same program for every server: one thread, one
 * selector, C connections on loopback. Each connection sends a 64-byte message, waits until all
 * 64 bytes are back, records the round trip, and sends again, for the warm-up and then the
 * measured period. Prints {@code <messages per second> <p99 round trip in µs> <CPU, % of a core>} on
 * stdout. The suite uses it only where its C twin ({@code echo_client.c}) cannot be built: at c500
 * this client saturates its one core before the servers do.
 *
 * <p>One thread keeps the client's CPU use to at most one of the machine's cores, for every
 * server alike. Round trips are kept in a histogram of 1 µs buckets up to 1 s.
 */
final class EchoClient {
    static final int MESSAGE = 64;
    private static final int BUCKETS = 1_000_000;

    private EchoClient() { }

    static void run(int port, int connections, double warmupSeconds, double measureSeconds) throws IOException {
        long[] histogram = new long[BUCKETS + 1];
        try (Selector selector = Selector.open()) {
            Conn[] conns = new Conn[connections];
            for (int i = 0; i < connections; i++) {
                SocketChannel ch = SocketChannel.open();
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.connect(new InetSocketAddress("127.0.0.1", port));
                ch.configureBlocking(false);
                conns[i] = new Conn(ch);
                conns[i].key = ch.register(selector, SelectionKey.OP_READ, conns[i]);
            }
            long start = System.nanoTime();
            long measureFrom = start + (long) (warmupSeconds * 1e9);
            long measureTo = measureFrom + (long) (measureSeconds * 1e9);
            for (Conn c : conns) {
                c.send(System.nanoTime());
            }
            long measured = 0;
            long now = System.nanoTime();
            long cpuFrom = -1;
            while (now < measureTo) {
                if (cpuFrom < 0 && now >= measureFrom) {
                    cpuFrom = processCpuNanos();
                }
                selector.select(1);
                var keys = selector.selectedKeys();
                for (SelectionKey k : keys) {
                    Conn c = (Conn) k.attachment();
                    if (k.isReadable()) {
                        int n = c.ch.read(c.in);
                        if (n < 0) {
                            throw new IOException("the server closed a connection");
                        }
                        if (!c.in.hasRemaining()) {
                            long t = System.nanoTime();
                            if (c.sentAt >= measureFrom && t < measureTo) {
                                long us = (t - c.sentAt) / 1_000;
                                histogram[(int) Math.min(us, BUCKETS)]++;
                                measured++;
                            }
                            c.in.clear();
                            c.send(t);
                        }
                    }
                    if (k.isValid() && k.isWritable()) {
                        c.flush();
                    }
                }
                keys.clear();
                now = System.nanoTime();
            }
            double msgPerSecond = measured / measureSeconds;
            long p99 = Percentiles.ofHistogram(histogram, measured, 0.99);
            double cpuPercent = 100.0 * (processCpuNanos() - Math.max(0, cpuFrom)) / (measureSeconds * 1e9);
            System.out.printf("%.0f %d %.0f%n", msgPerSecond, p99, cpuPercent);
            for (Conn c : conns) {
                c.ch.close();
            }
        }
    }

    /** This JVM's CPU time (all threads), for the client's share of a core. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static final class Conn {
        final SocketChannel ch;
        final ByteBuffer out = ByteBuffer.allocateDirect(MESSAGE);
        final ByteBuffer in = ByteBuffer.allocateDirect(MESSAGE);
        SelectionKey key;
        long sentAt;

        Conn(SocketChannel ch) {
            this.ch = ch;
            for (int i = 0; i < MESSAGE; i++) {
                out.put((byte) i);
            }
        }

        void send(long now) throws IOException {
            sentAt = now;
            out.clear();
            flush();
        }

        void flush() throws IOException {
            ch.write(out);
            key.interestOps(out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
    }
}
