package dev.weft.io;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

/**
 * A host-name resolver for the tests (installed through {@code META-INF/services}): names ending
 * in {@link #SUFFIX} resolve to 127.0.0.1 after a slow lookup that holds its thread, the way a
 * DNS query in {@code getaddrinfo} does (it spins: it does not park, so a virtual thread stays on
 * its carrier); names starting with {@code unknown} fail. Every other name goes to the JDK's own
 * resolver, so the other tests see no difference.
 */
public final class SlowTestResolver extends InetAddressResolverProvider {
    static final String SUFFIX = ".slow.weft.test";

    /** Progress of the tasks that must not stall; the lookup holds its thread until it moved by {@link #PROGRESS} or 2 s passed. */
    static volatile IntSupplier progress = () -> 0;
    static final int PROGRESS = 5;
    /** What the last slow lookup saw: its thread, and whether the others progressed meanwhile. */
    static volatile Thread lastThread;
    static volatile boolean othersProgressed;

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                if (!host.endsWith(SUFFIX)) {
                    return builtin.lookupByName(host, policy);
                }
                lastThread = Thread.currentThread();
                IntSupplier p = progress;
                int start = p.getAsInt();
                long deadline = System.nanoTime() + 2_000_000_000L;
                boolean moved;
                while (!(moved = p.getAsInt() >= start + PROGRESS) && System.nanoTime() < deadline) {
                    Thread.onSpinWait();        // a blocked system call: the thread is held, not parked
                }
                othersProgressed = moved;
                if (host.startsWith("unknown")) {
                    throw new UnknownHostException(host + ": no such host (test resolver)");
                }
                return Stream.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                return builtin.lookupByAddress(addr);
            }
        };
    }

    @Override
    public String name() {
        return "weft-io-test-slow-resolver";
    }
}
