package dev.weft.uring.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/**
 * {@code struct sockaddr_in} / {@code sockaddr_in6} to and from {@link InetSocketAddress}: family
 * in host order, port and address in network order (big-endian).
 */
final class Sockaddr {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_STREAM = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int SO_KEEPALIVE = 9;
    static final int SO_LINGER = 13;
    static final int IPPROTO_TCP = 6;
    static final int TCP_NODELAY = 1;
    static final int SHUT_RD = 0;
    static final int SHUT_WR = 1;
    static final int MSG_NOSIGNAL = 0x4000;
    /** Room for either kind ({@code sockaddr_in6} is 28 bytes; {@code sockaddr_storage} 128). */
    static final int MAX = 128;
    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Sockaddr() { }

    static int family(InetSocketAddress a) {
        return a.getAddress() instanceof Inet6Address ? AF_INET6 : AF_INET;
    }

    /** The address in memory from {@link Native} (the caller frees it); its length is {@code byteSize()}. */
    static MemorySegment encodeNative(InetSocketAddress a) {
        return encode(Native::allocate, a);
    }

    /** The address in native memory from {@code arena}; its length is {@code byteSize()}. */
    static MemorySegment encode(Arena arena, InetSocketAddress a) {
        return encode(n -> arena.allocate(n, 4), a);
    }

    private static MemorySegment encode(java.util.function.LongFunction<MemorySegment> alloc, InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("an unresolved address: " + a);
        }
        byte[] raw = ip.getAddress();
        if (ip instanceof Inet4Address) {
            MemorySegment s = alloc.apply(16);
            s.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
            s.set(BE_SHORT, 2, (short) a.getPort());
            MemorySegment.copy(raw, 0, s, ValueLayout.JAVA_BYTE, 4, 4);
            return s;
        }
        MemorySegment s = alloc.apply(28);
        s.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET6);
        s.set(BE_SHORT, 2, (short) a.getPort());
        MemorySegment.copy(raw, 0, s, ValueLayout.JAVA_BYTE, 8, 16);
        s.set(ValueLayout.JAVA_INT, 24, ((Inet6Address) ip).getScopeId());
        return s;
    }

    static InetSocketAddress decode(MemorySegment s) {
        int family = s.get(ValueLayout.JAVA_SHORT, 0);
        int port = Short.toUnsignedInt(s.get(BE_SHORT, 2));
        try {
            if (family == AF_INET) {
                byte[] raw = new byte[4];
                MemorySegment.copy(s, ValueLayout.JAVA_BYTE, 4, raw, 0, 4);
                return new InetSocketAddress(InetAddress.getByAddress(raw), port);
            }
            if (family == AF_INET6) {
                byte[] raw = new byte[16];
                MemorySegment.copy(s, ValueLayout.JAVA_BYTE, 8, raw, 0, 16);
                return new InetSocketAddress(Inet6Address.getByAddress(null, raw, s.get(ValueLayout.JAVA_INT, 24)), port);
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);     // raw addresses of the right length: not reached
        }
        throw new IllegalArgumentException("address family " + family + " is neither IPv4 nor IPv6");
    }

    /** The socket's local ({@code peer} false) or remote address. */
    static InetSocketAddress of(int fd, boolean peer) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(MAX, 8);
            Sys.sockName(fd, peer, s);
            return decode(s);
        }
    }
}
