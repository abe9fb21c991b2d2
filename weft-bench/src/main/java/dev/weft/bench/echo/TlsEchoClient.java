package dev.weft.bench.echo;

import dev.weft.bench.Percentiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The TLS load client where its C twin ({@code tls_echo_client.c}, OpenSSL) cannot be built: the
 * JDK's {@link SSLSocket}, one virtual thread per connection. Every connection completes its TLS
 * 1.3 handshake ({@link TlsKeys#CIPHER_SUITE} only, the certificate trusted as it is, no host name
 * check) before the clock starts; then each sends a 64-byte message, reads the 64 bytes back,
 * records the round trip, and sends again. Prints the same line as {@link EchoClient}. It costs
 * far more CPU than the C client (the JDK's TLS on both sides of the machine's two cores), so its
 * figures are the client's as much as the server's.
 */
final class TlsEchoClient {
    private static final int BUCKETS = 1_000_000;

    private TlsEchoClient() { }

    static void run(int port, int connections, double warmupSeconds, double measureSeconds) throws Exception {
        SSLSocketFactory factory = TlsKeys.trustingClientContext().getSocketFactory();
        List<SSLSocket> sockets = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            SSLSocket s = (SSLSocket) factory.createSocket("127.0.0.1", port);
            s.setTcpNoDelay(true);
            s.setEnabledProtocols(new String[] {TlsKeys.PROTOCOL});
            s.setEnabledCipherSuites(new String[] {TlsKeys.CIPHER_SUITE});
            s.startHandshake();
            if (i == 0) {
                System.err.println("echo: Java TLS load client, " + connections + " connection(s), negotiated "
                        + s.getSession().getProtocol() + " " + s.getSession().getCipherSuite());
            }
            sockets.add(s);
        }
        AtomicLongArray histogram = new AtomicLongArray(BUCKETS + 1);
        LongAdder measured = new LongAdder();
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmupSeconds * 1e9);
        long measureTo = measureFrom + (long) (measureSeconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (SSLSocket s : sockets) {
            threads.add(Thread.startVirtualThread(() -> {
                byte[] out = new byte[EchoClient.MESSAGE];
                byte[] in = new byte[EchoClient.MESSAGE];
                for (int i = 0; i < out.length; i++) {
                    out[i] = (byte) i;
                }
                try {
                    OutputStream o = s.getOutputStream();
                    InputStream is = s.getInputStream();
                    long now = System.nanoTime();
                    while (now < measureTo) {
                        long sentAt = now;
                        o.write(out);
                        o.flush();
                        for (int got = 0; got < in.length; ) {
                            int r = is.read(in, got, in.length - got);
                            if (r < 0) {
                                throw new IOException("the server closed a connection");
                            }
                            got += r;
                        }
                        now = System.nanoTime();
                        if (sentAt >= measureFrom && now < measureTo) {
                            histogram.incrementAndGet((int) Math.min((now - sentAt) / 1_000, BUCKETS));
                            measured.increment();
                        }
                    }
                } catch (IOException e) {
                    System.err.println("echo: Java TLS load client: " + e);
                    System.exit(1);
                }
            }));
        }
        Thread.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000));
        long cpuFrom = processCpuNanos();
        for (Thread t : threads) {
            t.join();
        }
        double cpuPercent = 100.0 * (processCpuNanos() - cpuFrom) / (measureSeconds * 1e9);
        long[] h = new long[BUCKETS + 1];
        for (int i = 0; i <= BUCKETS; i++) {
            h[i] = histogram.get(i);
        }
        long count = measured.sum();
        System.out.printf("%.0f %d %.0f%n", count / measureSeconds, Percentiles.ofHistogram(h, count, 0.99), cpuPercent);
        for (SSLSocket s : sockets) {
            s.close();
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
