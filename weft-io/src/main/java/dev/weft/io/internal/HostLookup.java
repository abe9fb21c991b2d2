package dev.weft.io.internal;

import dev.weft.Task;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Host-name lookups for weft-io's sockets. A lookup can block its thread for seconds (a DNS query
 * in {@code getaddrinfo}, a hosts file on a slow disk), so it runs on the blocking pool
 * ({@link PoolCalls}); an IP literal needs no lookup and is parsed where it is.
 */
public final class HostLookup {
    private HostLookup() { }

    /** The address of an IP literal ({@code 127.0.0.1}, {@code ::1}), or null for a host name. */
    public static InetAddress literalOrNull(String host) {
        try {
            return InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException notALiteral) {
            return null;
        }
    }

    /** True if {@code address} is a host name not yet looked up. */
    public static boolean needsLookup(SocketAddress address) {
        return address instanceof InetSocketAddress isa && isa.isUnresolved();
    }

    /**
     * {@code address} with its host looked up, parking on the blocking pool if it is a name (a
     * resolved address or an IP literal comes back at once).
     *
     * @param what the operation, for the error a poll gets (it cannot park)
     * @throws java.net.UnknownHostException if the name is unknown
     * @throws IllegalStateException if a lookup is needed and the caller is a poll (it cannot park)
     */
    public static SocketAddress resolve(SocketAddress address, String what) throws IOException {
        if (!(address instanceof InetSocketAddress isa) || !isa.isUnresolved()) {
            return address;
        }
        String host = isa.getHostString();
        InetAddress literal = literalOrNull(host);
        if (literal != null) {
            return new InetSocketAddress(literal, isa.getPort());
        }
        if (!PoolCalls.canPark()) {
            throw new IllegalStateException(what + " must look up host name '" + host + "' first, which parks until the "
                    + "blocking pool has an answer, and a poll cannot park. Call it from a sequential task (Weft.spawn), "
                    + "or pass an address already looked up (an InetAddress, e.g. from Weft.spawnBlocking(() -> "
                    + "InetAddress.getByName(host)))");
        }
        return new InetSocketAddress(PoolCalls.call(() -> InetAddress.getByName(host)), isa.getPort());
    }

    /** Starts looking {@code address}'s host up on the blocking pool, for a future to poll. */
    public static Task<InetAddress> start(InetSocketAddress address) {
        String host = address.getHostString();
        return PoolCalls.start(() -> InetAddress.getByName(host));
    }
}
